// The Extended Clipboard pseudo-encoding (rfbproto "Extended Clipboard Pseudo-Encoding"): cut
// text messages with a negative length carry a U32 of flags (formats in the low 16 bits,
// one action in the top byte) and the action's data. Text is UTF-8 with CRLF line ends and a
// terminating NUL; `provide` data is a zlib stream of (U32 size, bytes) per format. Inflating
// and deflating run off the event loop (zlib's async API), and inflation stops at our
// announced size, so a zlib bomb from a hostile server costs at most that much memory.
import { promisify } from 'node:util';
import { constants, deflate, inflate } from 'node:zlib';

export const ClipFormat = { text: 1 << 0, rtf: 1 << 1, html: 1 << 2, dib: 1 << 3, files: 1 << 4 } as const;
export const ClipAction = { caps: 1 << 24, request: 1 << 25, peek: 1 << 26, notify: 1 << 27, provide: 1 << 28 } as const;

const ACTIONS = ClipAction.caps | ClipAction.request | ClipAction.peek | ClipAction.notify | ClipAction.provide;

/**
 * Largest clipboard text we accept or send (UTF-8 bytes, announced in our caps). A few MiB
 * hold any text a person copies (a 1 MB log excerpt); more would let one server make every
 * viewer hold it.
 */
export const MAX_EXTENDED_TEXT = 4 * 1024 * 1024;
/** Largest extended message we buffer; longer ones are skipped unread as they stream in. */
export const MAX_EXTENDED_MESSAGE = MAX_EXTENDED_TEXT + 64 * 1024;

const inflateAsync = promisify(inflate);
const deflateAsync = promisify(deflate);

/** ClientCutText (6) with the negative length that marks the extended format. */
function clientMessage(flags: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt8(6, 0);
  head.writeInt32BE(-(4 + body.length), 4);
  head.writeUInt32BE(flags >>> 0, 8);
  return Buffer.concat([head, body]);
}

/** Bits set in `flags & FORMAT_MASK`, lowest first (the order of caps sizes and provide entries). */
function formatBits(flags: number): number[] {
  const bits: number[] = [];
  for (let b = 0; b < 16; b++) if (flags & (1 << b)) bits.push(1 << b);
  return bits;
}

export function toWireText(text: string): Buffer {
  return Buffer.from(`${text.replace(/\r?\n/g, '\r\n')}\0`, 'utf8');
}

export function fromWireText(bytes: Buffer): string {
  const nul = bytes.indexOf(0);
  return (nul >= 0 ? bytes.subarray(0, nul) : bytes).toString('utf8').replace(/\r\n/g, '\n');
}

/** Splits inflated provide data into format -> bytes, in the order the flags list them. */
export function splitProvide(flags: number, raw: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let off = 0;
  for (const format of formatBits(flags)) {
    if (off + 4 > raw.length) break;
    const size = raw.readUInt32BE(off);
    off += 4;
    if (off + size > raw.length) break;
    out.set(format, raw.subarray(off, off + size));
    off += size;
  }
  return out;
}

export interface ExtendedClipboardPeer {
  /** Writes a client message to the server. */
  send(bytes: Buffer): void;
  /** Text from the server's clipboard (already decoded). */
  onText(text: string): void;
  /** A server message we dropped (too large, bad zlib data): for the log. */
  onDropped?(reason: string): void;
}

/**
 * The client side of the extension, once the server sent its caps: we answer with ours, ask
 * for text whenever the server notifies a change, and announce pasted text (notify), sending
 * it when the server requests it. Messages are handled in arrival order even though inflating
 * is asynchronous.
 */
export class ExtendedClipboard {
  private serverFlags = 0;
  private serverTextMax = 0;
  private active = false;
  /** Text we announced and the server may request. */
  private offered: string | null = null;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly peer: ExtendedClipboardPeer) {}

  /** True once the server announced the extension (its caps arrived). */
  get enabled(): boolean {
    return this.active;
  }

  /** One extended ServerCutText payload (flags and data). */
  receive(payload: Buffer): void {
    this.chain = this.chain.then(() => this.handle(payload)).catch((err: unknown) => this.peer.onDropped?.(String(err)));
  }

  /** Offers text to the server's clipboard; sent when the server asks, or at once if it cannot ask. */
  offer(text: string): void {
    this.chain = this.chain.then(async () => {
      if (this.closed) return;
      this.offered = text;
      if (this.serverFlags & ClipAction.notify) this.peer.send(clientMessage(ClipAction.notify | ClipFormat.text));
      else if (this.serverFlags & ClipAction.provide) await this.provide(text);
    });
  }

  close(): void {
    this.closed = true;
    this.offered = null;
  }

  private async handle(payload: Buffer): Promise<void> {
    if (this.closed || payload.length < 4) return;
    const flags = payload.readUInt32BE(0);
    const data = payload.subarray(4);
    const action = flags & ACTIONS;
    if (action & ClipAction.caps) return this.caps(flags, data);
    if (!this.active) return; // no caps yet: the server has not turned the extension on
    if (action & ClipAction.request) {
      if (flags & ClipFormat.text) await this.provide(this.offered ?? '');
    } else if (action & ClipAction.peek) {
      this.peer.send(clientMessage(ClipAction.notify | (this.offered !== null ? ClipFormat.text : 0)));
    } else if (action & ClipAction.notify) {
      if (flags & ClipFormat.text) this.peer.send(clientMessage(ClipAction.request | ClipFormat.text));
    } else if (action & ClipAction.provide) {
      await this.received(flags, data);
    }
  }

  private caps(flags: number, data: Buffer): void {
    this.serverFlags = flags;
    const formats = formatBits(flags);
    const textAt = formats.indexOf(ClipFormat.text);
    this.serverTextMax = textAt >= 0 && data.length >= 4 * (textAt + 1) ? data.readUInt32BE(4 * textAt) : 0;
    this.active = true;
    const sizes = Buffer.alloc(4);
    sizes.writeUInt32BE(MAX_EXTENDED_TEXT);
    const ours = ClipAction.caps | ClipAction.request | ClipAction.peek | ClipAction.notify | ClipAction.provide | ClipFormat.text;
    this.peer.send(clientMessage(ours, sizes));
  }

  private async provide(text: string): Promise<void> {
    const wire = toWireText(text);
    const limit = Math.min(MAX_EXTENDED_TEXT, this.serverTextMax || MAX_EXTENDED_TEXT);
    if (wire.length > limit) {
      this.peer.onDropped?.(`pasted text of ${wire.length} bytes is over the ${limit}-byte clipboard limit`);
      return;
    }
    const size = Buffer.alloc(4);
    size.writeUInt32BE(wire.length);
    const compressed = await deflateAsync(Buffer.concat([size, wire]));
    if (!this.closed) this.peer.send(clientMessage(ClipAction.provide | ClipFormat.text, compressed));
  }

  private async received(flags: number, data: Buffer): Promise<void> {
    if (!(flags & ClipFormat.text)) return;
    // Room for text of our limit, plus the size words of every format the server may add.
    // TigerVNC ends its data with a sync flush rather than finishing the zlib stream.
    const raw = await inflateAsync(data, { maxOutputLength: MAX_EXTENDED_TEXT + 4 * 16, finishFlush: constants.Z_SYNC_FLUSH }).catch((err: Error) => {
      this.peer.onDropped?.(`clipboard data dropped: ${err.message}`);
      return null;
    });
    if (!raw || this.closed) return;
    const text = splitProvide(flags, raw).get(ClipFormat.text);
    if (text) this.peer.onText(fromWireText(text));
  }
}
