// The stream layer: Guacamole streams a viewer opens towards us (`clipboard` today; `file`,
// `pipe`, `audio` later), their `blob`s and `end`, each blob acknowledged with `ack` (the
// client sends the next blob only after the ack, which is the flow control). Limits are per
// viewer and per kind of stream, so a client cannot make us hold more than they allow.
import { GuacStatus, GuacStatusError } from './status';

export interface StreamLimits {
  /** Streams of this kind a viewer may have open at once. */
  maxOpen: number;
  /** Decoded bytes one stream may carry. */
  maxBytes: number;
  /** What the stream carries, for the `ack` that refuses too much of it. */
  label: string;
}

/**
 * Kinds of inbound stream the gateway accepts (a protocol may still refuse one). Clipboard:
 * guacamole-common-js sends a paste as `clipboard`, its blobs and `end` in one go, so one is
 * open at a time; a few more allow pastes that follow each other closely. 256 KiB is guacd's
 * clipboard limit. A new kind (file, audio) gets its limits here.
 */
export const STREAM_LIMITS = {
  clipboard: { maxOpen: 4, maxBytes: 256 * 1024, label: 'Clipboard text' },
} as const satisfies Record<string, StreamLimits>;

export type StreamKind = keyof typeof STREAM_LIMITS;

export function isStreamKind(opcode: string): opcode is StreamKind {
  return Object.hasOwn(STREAM_LIMITS, opcode);
}

/** What receives a stream's bytes once the client ends it. */
export type StreamSink = (data: Buffer) => void;

/** Sends `ack,<stream>,<message>,<status>` to the viewer. */
export type StreamAck = (stream: string, message: string, status: number) => void;

interface OpenStream {
  kind: StreamKind;
  sink: StreamSink;
  parts: string[];
  /** Base64 characters received so far. */
  length: number;
}

/** One viewer's inbound streams. */
export class InboundStreams {
  private readonly open = new Map<string, OpenStream>();

  constructor(private readonly ack: StreamAck) {}

  /** Opens `stream` for a sink a protocol accepted, unless the viewer has too many open. */
  accept(stream: string, kind: StreamKind, sink: StreamSink): void {
    if (!this.open.has(stream) && this.openOf(kind) >= STREAM_LIMITS[kind].maxOpen) {
      this.ack(stream, `Too many ${kind} streams open`, GuacStatus.CLIENT_TOO_MANY);
      return;
    }
    this.open.set(stream, { kind, sink, parts: [], length: 0 });
  }

  /** Refuses a stream with the error's message and status. */
  refuse(stream: string, err: GuacStatusError): void {
    this.ack(stream, err.message, err.status);
  }

  blob(stream: string | undefined, data: string | undefined): void {
    const s = stream === undefined ? undefined : this.open.get(stream);
    if (!s || data === undefined) return;
    s.length += data.length;
    if (s.length > (STREAM_LIMITS[s.kind].maxBytes * 4) / 3 + 4) {
      this.open.delete(stream!);
      this.ack(stream!, `${STREAM_LIMITS[s.kind].label} too long`, GuacStatus.CLIENT_OVERRUN);
      return;
    }
    s.parts.push(data);
    this.ack(stream!, 'OK', GuacStatus.SUCCESS);
  }

  end(stream: string | undefined): void {
    const s = stream === undefined ? undefined : this.open.get(stream);
    if (!s) return;
    this.open.delete(stream!);
    // Blobs are base64 each on its own (a blob may end with padding), so decode them one by one.
    s.sink(Buffer.concat(s.parts.map((p) => Buffer.from(p, 'base64'))));
  }

  private openOf(kind: StreamKind): number {
    let n = 0;
    for (const s of this.open.values()) if (s.kind === kind) n++;
    return n;
  }
}
