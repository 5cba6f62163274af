// The seam between the Guacamole side (handshake, socket, pacing, streams: this folder) and a
// remote desktop protocol (display/vnc/ today), as guacd loads one client plugin per protocol.
// A protocol registers under the name a client `select`s; see docs/architecture.md.
import { DisplayWriter } from './display-writer';
import { ClientInfo } from './handshake';
import { StreamKind, StreamSink } from './streams';

/** One viewer as a protocol sees it: where its frames go, and how to end it. */
export interface GatewayViewer {
  readonly id: string;
  readonly writer: DisplayWriter;
  /** The remote desktop failed: tell the viewer and end it. */
  fail(err: unknown): void;
}

/** A viewer attached to a protocol's remote desktop: its input goes there. */
export interface ProtocolViewer {
  /** The viewer drew the frame that ended with `sync,<timestamp>`. */
  acknowledge(timestamp: number): void;
  /** Guacamole's mouse mask: 1 left, 2 middle, 4 right, 8/16 wheel. */
  pointer(mask: number, x: number, y: number): void;
  /** An X11 keysym. */
  key(down: boolean, keysym: number): void;
  resize(width: number, height: number): void;
  /** Accepts an inbound stream (its bytes go to the sink at `end`); throws GuacStatusError to refuse it. */
  openStream(kind: StreamKind, mimetype: string | undefined): StreamSink;
  /**
   * An `argv` stream carrying the value of a connection parameter the protocol asked for with
   * `required`; throws GuacStatusError to refuse it.
   */
  openArgument(name: string): StreamSink;
  /** The viewer left. */
  detach(): void;
}

export interface GatewayProtocol {
  /** The parameter names announced in `args`, in order. */
  readonly argNames: readonly string[];
  /**
   * Attaches a viewer once its handshake is done (`values` in `argNames` order). Throws
   * GuacStatusError for parameters it cannot use.
   */
  attach(viewer: GatewayViewer, values: readonly string[], client: ClientInfo): ProtocolViewer;
  /** Open remote desktop connections (each may serve several viewers). */
  readonly connectionCount: number;
  /** Ends every connection (the gateway is closing). */
  close(): void;
}

/** Protocols by the name a client selects. */
export type ProtocolRegistry = ReadonlyMap<string, GatewayProtocol>;
