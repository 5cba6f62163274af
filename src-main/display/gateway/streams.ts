// The stream layer: Guacamole streams a viewer opens towards us (`clipboard`, `file`; `pipe`,
// `audio` later), their `blob`s and `end`, each blob acknowledged with `ack` (the client sends
// the next blob only after the ack, which is the flow control). Limits are per viewer and per
// kind of stream, so a client cannot make us hold more than they allow. A small stream
// (clipboard) is collected and handed over at `end`; a large one (file) goes to a StreamWriter
// blob by blob, each acknowledged once the writer took it.
import type { WebSocket } from 'ws';
import { LANE_PIECE_BYTES, LANE_WINDOW, UPLOAD_BLOB_BYTES, UPLOAD_WINDOW, withLane } from '../../../src-shared/file-transfer';
import type { LaneIssuer } from '../files/transfer-lanes';
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
 * open at a time; a few more allow pastes that follow each other closely. 4 MiB is what the
 * Extended Clipboard carries (rfb/extended-clipboard; guacd stops at 256 KiB), so a 1 MB text
 * goes through. A new kind (file, audio) gets its limits here.
 */
export const STREAM_LIMITS = {
  clipboard: { maxOpen: 4, maxBytes: 4 * 1024 * 1024, label: 'Clipboard text' },
  // A connection parameter's value (`argv`, after `required`); guacd takes up to 16 KiB.
  argv: { maxOpen: 4, maxBytes: 16 * 1024, label: 'Parameter value' },
} as const satisfies Record<string, StreamLimits>;

export type StreamKind = keyof typeof STREAM_LIMITS;

export function isStreamKind(opcode: string): opcode is StreamKind {
  return Object.hasOwn(STREAM_LIMITS, opcode);
}

/**
 * Streams written as they arrive. File: a few uploads at once (a drop of several files);
 * their size limit is the policy's, given per stream. `maxQueued`: bytes a client may send
 * beyond the last ack before we stop it (guacamole-common-js's BlobWriter waits for each ack;
 * our viewer keeps a window of UPLOAD_WINDOW blobs, or LANE_WINDOW lane pieces, outstanding:
 * twice the larger is allowed).
 */
export const WRITTEN_STREAM_LIMITS = {
  file: { maxOpen: 4, maxQueued: 2 * Math.max(UPLOAD_WINDOW * UPLOAD_BLOB_BYTES, LANE_WINDOW * LANE_PIECE_BYTES), ackBlobs: true },
  // A microphone: one at a time; ~1 s of CD-quality sound may wait for the desktop. Its blobs
  // are not acknowledged (as guacd): AudioRecorder sends in real time, and stops on a second ack.
  audio: { maxOpen: 1, maxQueued: 256 * 1024, ackBlobs: false },
} as const satisfies Record<string, { maxOpen: number; maxQueued: number; ackBlobs: boolean }>;

export type WrittenStreamKind = keyof typeof WRITTEN_STREAM_LIMITS;

/**
 * Takes a written stream's bytes. Its promises reject with a GuacStatusError whose message the
 * client gets in the `ack` that ends the stream.
 */
export interface StreamWriter {
  /** Resolves once the writer can take bytes (the client gets `ack ... OK (STREAM BEGIN)`, as from guacd). */
  readonly opened: Promise<void>;
  /** Resolves when the bytes are taken: the client then gets its `ack` and sends more. */
  write(data: Buffer): Promise<void>;
  /** The client ended the stream: resolves with the message of the final `ack`. */
  end(): Promise<string>;
  /** The stream failed, was cancelled or the viewer left: drop what was written. Never rejects. */
  abort(): Promise<void>;
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

interface WrittenStream {
  kind: WrittenStreamKind;
  writer: StreamWriter;
  maxBytes: number;
  /** What the stream carries, for the messages about it. */
  overLimit: string;
  overrun: string;
  /** Decoded bytes received so far. */
  bytes: number;
  /** Bytes received but not yet acknowledged. */
  queued: number;
  /** The writes (and the end) in the order the client sent them. */
  chain: Promise<void>;
  /** Failed or cancelled: told once, written no more. */
  done: boolean;
  /** The client sent `end`. */
  ended: boolean;
  /** A transfer lane offered (its token, until it is used or the client sends blobs instead), then the lane itself. */
  laneToken: string | null;
  lane: WebSocket | null;
  /** Blobs came the Guacamole way: no lane any more (two ways at once would have no order). */
  blobs: boolean;
}

/** One viewer's inbound streams. */
export class InboundStreams {
  private readonly open = new Map<string, OpenStream>();
  private readonly written = new Map<string, WrittenStream>();

  constructor(
    private readonly ack: StreamAck,
    /** Transfer lanes for files (the app's tunnel); without them every byte comes in blobs. */
    private readonly lanes?: LaneIssuer,
  ) {}

  /**
   * Opens `stream` for a writer, unless the viewer has too many of its kind open. `limits`
   * says what the client is told when the stream passes `maxBytes`, when it sends more than
   * `maxQueued` ahead of its acks, or when too many are open.
   */
  acceptWriter(
    stream: string,
    kind: WrittenStreamKind,
    open: () => StreamWriter,
    limits: { maxBytes: number; overLimit: string; overrun: string; tooMany: string },
  ): void {
    if (this.open.has(stream) || this.written.has(stream)) {
      this.ack(stream, 'Stream already open', GuacStatus.CLIENT_BAD_REQUEST);
      return;
    }
    let n = 0;
    for (const s of this.written.values()) if (s.kind === kind) n++;
    if (n >= WRITTEN_STREAM_LIMITS[kind].maxOpen) {
      this.ack(stream, limits.tooMany, GuacStatus.CLIENT_TOO_MANY);
      return;
    }
    const { maxBytes, overLimit, overrun } = limits;
    const writer = open();
    const w: WrittenStream = {
      kind,
      writer,
      maxBytes,
      overLimit,
      overrun,
      bytes: 0,
      queued: 0,
      chain: Promise.resolve(),
      done: false,
      ended: false,
      laneToken: null,
      lane: null,
      blobs: false,
    };
    this.written.set(stream, w);
    w.chain = writer.opened.then(
      () => {
        if (w.done) return;
        let message = 'OK (STREAM BEGIN)';
        // A client that sent blobs before the stream opened keeps to them.
        if (kind === 'file' && this.lanes && !w.blobs) {
          w.laneToken = this.lanes.issue((ws) => this.openLane(stream, w, ws));
          message = withLane(message, w.laneToken);
        }
        this.ack(stream, message, GuacStatus.SUCCESS);
      },
      (err: unknown) => this.failWritten(stream, w, err),
    );
  }

  /** The client gave up on a stream it sends (an `ack` with an error status for it): drop it. */
  cancel(stream: string | undefined): void {
    const w = stream === undefined ? undefined : this.written.get(stream);
    if (!w) return;
    this.written.delete(stream!);
    w.done = true;
    this.closeLane(w);
    void w.writer.abort();
  }

  /** The viewer left: every written stream still open is dropped. */
  abortAll(): void {
    for (const w of this.written.values()) {
      w.done = true;
      this.closeLane(w);
      void w.writer.abort();
    }
    this.written.clear();
    this.open.clear();
  }

  /** Opens `stream` for a sink a protocol accepted, unless the viewer has too many open (then false). */
  accept(stream: string, kind: StreamKind, sink: StreamSink): boolean {
    if (!this.open.has(stream) && this.openOf(kind) >= STREAM_LIMITS[kind].maxOpen) {
      this.ack(stream, `Too many ${kind} streams open`, GuacStatus.CLIENT_TOO_MANY);
      return false;
    }
    this.open.set(stream, { kind, sink, parts: [], length: 0 });
    return true;
  }

  /** Refuses a stream with the error's message and status. */
  refuse(stream: string, err: GuacStatusError): void {
    this.ack(stream, err.message, err.status);
  }

  blob(stream: string | undefined, data: string | undefined): void {
    const w = stream === undefined ? undefined : this.written.get(stream);
    if (w && data !== undefined) {
      if (w.lane) return this.failWritten(stream!, w, new GuacStatusError('Blobs for a stream sent on a transfer lane', GuacStatus.CLIENT_BAD_REQUEST));
      w.blobs = true;
      this.revokeLane(w);
      return this.writeBlob(stream!, w, Buffer.from(data, 'base64'));
    }
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
    const w = stream === undefined ? undefined : this.written.get(stream);
    if (w) {
      w.ended = true;
      this.revokeLane(w);
      w.chain = w.chain.then(async () => {
        if (w.done) return;
        this.written.delete(stream!);
        try {
          const name = await w.writer.end();
          this.closeLane(w);
          this.ack(stream!, name, GuacStatus.SUCCESS);
        } catch (err) {
          this.failWritten(stream!, w, err);
        }
      });
      return;
    }
    const s = stream === undefined ? undefined : this.open.get(stream);
    if (!s) return;
    this.open.delete(stream!);
    // Blobs are base64 each on its own (a blob may end with padding), so decode them one by one.
    s.sink(Buffer.concat(s.parts.map((p) => Buffer.from(p, 'base64'))));
  }

  /** Writes in order; each blob is acknowledged once its writer took it. */
  private writeBlob(stream: string, w: WrittenStream, data: Buffer): void {
    w.bytes += data.length;
    w.queued += data.length;
    if (w.bytes > w.maxBytes) return this.failWritten(stream, w, new GuacStatusError(w.overLimit, GuacStatus.CLIENT_OVERRUN));
    if (w.queued > WRITTEN_STREAM_LIMITS[w.kind].maxQueued) {
      return this.failWritten(stream, w, new GuacStatusError(w.overrun, GuacStatus.CLIENT_OVERRUN));
    }
    w.chain = w.chain.then(async () => {
      if (w.done) return;
      try {
        await w.writer.write(data);
      } catch (err) {
        this.failWritten(stream, w, err);
        return;
      }
      w.queued -= data.length;
      if (!w.done && WRITTEN_STREAM_LIMITS[w.kind].ackBlobs) this.ack(stream, 'OK', GuacStatus.SUCCESS);
    });
  }

  /** Ends a written stream with an error `ack` (once) and drops what it wrote. */
  private failWritten(stream: string, w: WrittenStream, err: unknown): void {
    const message = err instanceof GuacStatusError ? err.message : 'Internal gateway error';
    const status = err instanceof GuacStatusError ? err.status : GuacStatus.SERVER_ERROR;
    if (w.done) return;
    w.done = true;
    this.closeLane(w);
    if (this.written.get(stream) === w) this.written.delete(stream);
    // The client hears of the failure once nothing of the stream is left.
    void w.writer.abort().then(() => this.ack(stream, message, status));
  }

  /**
   * The client connected the stream's lane: its binary messages are the stream's bytes, each
   * acknowledged on the Guacamole stream as a blob is. A lane that closes before the client's
   * `end` cancels the stream (the client went away, or gave up).
   */
  private openLane(stream: string, w: WrittenStream, ws: WebSocket): void {
    w.laneToken = null;
    if (w.done || w.ended || w.blobs || w.lane) return ws.close(1008);
    w.lane = ws;
    ws.on('message', (data, isBinary) => {
      if (w.done) return;
      if (!isBinary) return this.failWritten(stream, w, new GuacStatusError('Text on a transfer lane', GuacStatus.CLIENT_BAD_REQUEST));
      this.writeBlob(stream, w, data as Buffer);
    });
    ws.once('close', () => {
      if (w.lane !== ws) return;
      w.lane = null;
      if (!w.ended) this.cancel(stream);
    });
  }

  private revokeLane(w: WrittenStream): void {
    if (w.laneToken === null) return;
    this.lanes?.revoke(w.laneToken);
    w.laneToken = null;
  }

  private closeLane(w: WrittenStream): void {
    this.revokeLane(w);
    const ws = w.lane;
    w.lane = null;
    ws?.close(1000);
  }

  private openOf(kind: StreamKind): number {
    let n = 0;
    for (const s of this.open.values()) if (s.kind === kind) n++;
    return n;
  }
}
