// Server-to-client RFB messages after the handshake. A push parser: it turns whatever is
// buffered into events and keeps partial messages/rects buffered until they are whole.
// Rects are emitted one by one, so a large update need not be buffered in full. A decoder
// may finish a rect asynchronously (ZRLE inflates off the event loop): then `pending` is set,
// and the caller reads again once it settles; order is kept because nothing is parsed meanwhile.
import { ByteQueue } from './byte-queue';
import { DecodeContext, DecodedRect, RectDecoder, RectHeader } from './decoders';
import { RfbProtocolError } from './errors';
import { MAX_EXTENDED_MESSAGE } from './extended-clipboard';

export type ServerEvent =
  | { type: 'update-start'; rects: number }
  | { type: 'rect'; rect: Exclude<DecodedRect, { kind: 'last-rect' }> }
  | { type: 'update-end' }
  | { type: 'bell' }
  | { type: 'cut-text'; bytes: Buffer }
  /** Extended Clipboard (negative length): flags and data, see extended-clipboard. */
  | { type: 'extended-cut-text'; payload: Buffer };

const MessageType = { FramebufferUpdate: 0, SetColourMapEntries: 1, Bell: 2, ServerCutText: 3 } as const;

/**
 * Clipboard text above this is skipped as it streams in rather than buffered (guacd's limit,
 * and TigerVNC's default MaxCutText): a huge or endless cut text costs no memory.
 */
export const MAX_CUT_TEXT = 256 * 1024;

export class ServerMessageReader {
  private rectsLeft = 0;
  private header: RectHeader | null = null;
  private skipLeft = 0;
  private readonly decoders = new Map<number, RectDecoder>();
  private waitingFor: Promise<void> | null = null;
  /** Rects received per encoding number (statistics, and tests that force an encoding). */
  readonly rectCounts = new Map<number, number>();
  private ready: ServerEvent[] = [];

  constructor(
    decoders: readonly RectDecoder[],
    readonly context: DecodeContext,
  ) {
    for (const d of decoders) this.decoders.set(d.encoding, d);
  }

  /** All events that the buffered bytes complete. Throws RfbProtocolError. */
  read(q: ByteQueue): ServerEvent[] {
    const events = this.ready;
    this.ready = [];
    if (this.waitingFor) return events;
    while (this.step(q, events));
    return events;
  }

  /** Set while a rect is being decoded asynchronously; read again once it resolves. Rejects on bad data. */
  pending(): Promise<void> | null {
    return this.waitingFor;
  }

  dispose(): void {
    for (const d of this.decoders.values()) d.dispose?.();
  }

  /** One unit of progress; false when more bytes are needed. */
  private step(q: ByteQueue, out: ServerEvent[]): boolean {
    if (this.skipLeft > 0) {
      const n = Math.min(this.skipLeft, q.length);
      q.skip(n);
      this.skipLeft -= n;
      return this.skipLeft === 0;
    }
    if (this.rectsLeft > 0) return this.stepRect(q, out);
    if (q.length < 1) return false;
    const type = q.peekU8(0);
    switch (type) {
      case MessageType.FramebufferUpdate: {
        if (q.length < 4) return false;
        q.skip(2);
        const rects = q.readU16();
        out.push({ type: 'update-start', rects });
        this.rectsLeft = rects;
        if (rects === 0) out.push({ type: 'update-end' });
        return true;
      }
      case MessageType.SetColourMapEntries: {
        // Only sent for colour-map formats; we ask for true colour, so just skip it.
        if (q.length < 6) return false;
        const count = q.peekU16(4);
        if (q.length < 6 + count * 6) return false;
        q.skip(6 + count * 6);
        return true;
      }
      case MessageType.Bell:
        q.skip(1);
        out.push({ type: 'bell' });
        return true;
      case MessageType.ServerCutText: {
        if (q.length < 8) return false;
        const raw = q.peekU32(4);
        // The length is an S32: negative is the Extended Clipboard format. Either kind above
        // its limit is skipped as it streams in, so it costs no memory.
        const extended = raw >= 0x80000000;
        const len = extended ? 0x100000000 - raw : raw;
        if (len > (extended ? MAX_EXTENDED_MESSAGE : MAX_CUT_TEXT)) {
          q.skip(8);
          this.skipLeft = len;
          return true;
        }
        if (q.length < 8 + len) return false;
        q.skip(8);
        const bytes = Buffer.from(q.read(len));
        out.push(extended ? { type: 'extended-cut-text', payload: bytes } : { type: 'cut-text', bytes });
        return true;
      }
      default:
        // Unknown messages have unknown lengths: the stream cannot be resynchronised.
        throw new RfbProtocolError(`unknown server message type ${type}`);
    }
  }

  private stepRect(q: ByteQueue, out: ServerEvent[]): boolean {
    if (!this.header) {
      if (q.length < 12) return false;
      const b = q.read(12);
      this.header = {
        x: b.readUInt16BE(0),
        y: b.readUInt16BE(2),
        width: b.readUInt16BE(4),
        height: b.readUInt16BE(6),
        encoding: b.readInt32BE(8),
      };
      this.rectCounts.set(this.header.encoding, (this.rectCounts.get(this.header.encoding) ?? 0) + 1);
    }
    const decoder = this.decoders.get(this.header.encoding);
    if (!decoder) throw new RfbProtocolError(`server used encoding ${this.header.encoding}, which we did not ask for`);
    const result = decoder.decode(this.header, q, this.context);
    if (!result) return false;
    if (result instanceof Promise) {
      this.waitingFor = result.then((rect) => {
        this.waitingFor = null;
        this.finishRect(rect, this.ready);
      });
      return false;
    }
    this.finishRect(result, out);
    return true;
  }

  private finishRect(rect: DecodedRect, out: ServerEvent[]): void {
    if (rect.kind === 'pixels' && rect.more) {
      out.push({ type: 'rect', rect }); // a band: the same header's decoder goes on
      return;
    }
    this.header = null;
    if (rect.kind === 'last-rect') {
      this.rectsLeft = 0;
      out.push({ type: 'update-end' });
      return;
    }
    out.push({ type: 'rect', rect });
    if (--this.rectsLeft === 0) out.push({ type: 'update-end' });
  }
}
