// Transfer lanes (src-shared/file-transfer.ts, LANE_PATH): a file's bytes as binary WebSocket
// messages on the tunnel's loopback listener instead of base64 blobs inside Guacamole
// instructions. Through the Guacamole path every byte is base64-coded, masked by the client,
// unmasked and decoded by the tunnel, parsed by the tunnel's input watch, written to the
// gateway over TCP and parsed again there; a lane's byte is unmasked once and handed on.
//
// The gateway issues a lane for one stream it has already accepted (policy, names, limits
// checked there), with a one-time token that expires unused after LANE_TTL_MS; the token is
// all the lane's URL carries, so neither the renderer nor the URL ever holds a secret or a
// container detail. Acks, `end`, cancel and errors stay on the Guacamole stream.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { LANE_PIECE_BYTES } from '../../../src-shared/file-transfer';
import { refuseUpgrade } from '../../http-guards';
import { FileGrants } from './file-grants';

/** A lane not connected within this long is of no use (the viewer connects as soon as it reads the token). */
export const LANE_TTL_MS = 30_000;

/** Takes the lane's WebSocket once its token is presented. */
export type LaneHandler = (ws: WebSocket) => void;

/** What the gateway's streams need of the lanes. */
export interface LaneIssuer {
  /** A token for one connection to `onConnect`. */
  issue(onConnect: LaneHandler): string;
  /** The token is no longer good (the client took the Guacamole way, or the stream ended). */
  revoke(token: string): void;
}

export class TransferLanes implements LaneIssuer {
  private readonly tokens: FileGrants<LaneHandler>;
  // A lane message is one upload piece at most; downloads only send this way.
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: LANE_PIECE_BYTES });

  constructor(ttlMs = LANE_TTL_MS, now: () => number = Date.now) {
    this.tokens = new FileGrants<LaneHandler>(ttlMs, now);
  }

  issue(onConnect: LaneHandler): string {
    return this.tokens.issue(onConnect);
  }

  revoke(token: string): void {
    this.tokens.take(token);
  }

  /** The tunnel's upgrade for LANE_PATH: a good token gets its lane, anything else a 403. */
  readonly upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer, params: URLSearchParams): void => {
    const token = params.get('lane');
    const onConnect = token && params.size === 1 ? this.tokens.take(token) : undefined;
    if (!onConnect) return refuseUpgrade(socket, 403, 'Forbidden');
    this.server.handleUpgrade(req, socket, head, (ws) => {
      // Oversized or invalid frames: ws closes the socket; the lane's 'close' does the rest.
      ws.on('error', () => ws.terminate());
      onConnect(ws);
    });
  };

  close(): void {
    for (const ws of this.server.clients) ws.terminate();
    this.server.close();
  }
}

/** Bytes a download lane lets wait in the socket before the next read waits for them to go. */
const LANE_SEND_QUEUE = 1024 * 1024;

/** Sends a download piece; resolves at once unless a lot already waits (then once this piece is written). Rejects if the lane closed. */
export function sendOnLane(ws: WebSocket, piece: Buffer): Promise<void> {
  if (ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error('the lane closed'));
  return new Promise((resolve, reject) => {
    ws.send(piece, { binary: true }, (err) => (err ? reject(err) : resolve()));
    if (ws.bufferedAmount <= LANE_SEND_QUEUE) resolve();
  });
}
