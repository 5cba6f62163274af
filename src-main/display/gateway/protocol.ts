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
  /**
   * Opens (or finds) the connection viewers with these parameters (guacd's names) will share,
   * before any of them asks, and keeps it open without viewers until released. Absent: the
   * protocol opens connections only for viewers.
   */
  hold?(parameters: (name: string) => string | undefined): HeldConnection;
  /** Open remote desktop connections (each may serve several viewers). */
  readonly connectionCount: number;
  /** Ends every connection (the gateway is closing). */
  close(): void;
}

/** A connection opened before its viewers (see GatewayProtocol.hold). */
export interface HeldConnection {
  /** True once the picture is in and ready for a joining viewer; false if the connection ended first. */
  readonly ready: Promise<boolean>;
  /** The connection ended (its desktop went away): holding it again opens a new one. */
  readonly closed: boolean;
  /** Ends the hold: a connection nobody views closes. */
  release(): void;
}

/** Protocols by the name a client selects. */
export type ProtocolRegistry = ReadonlyMap<string, GatewayProtocol>;
