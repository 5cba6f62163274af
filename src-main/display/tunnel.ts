// The WebSocket tunnel viewer windows connect to (guacamole-lite on a loopback HTTP server we own).
// Tickets are checked *before* guacamole-lite sees the socket: guacamole-lite 1.2.0 dials guacd
// even after rejecting a token (and crashes the process on an undecryptable one), so a bad
// ticket must never reach it.
import { createServer, IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';
import GuacamoleLite from 'guacamole-lite';
import { WebSocket, WebSocketServer } from 'ws';
import { encodeInstruction, GuacamoleParser } from './guacamole/protocol';
import { GuacStatus } from './gateway/status';
import { TicketError, TicketVault } from './tokens';

export interface TunnelOptions {
  vault: TicketVault;
  /** Where guacamole-lite dials: the embedded gateway or a guacd. */
  guacd: { host: string; port: number };
  host?: string;
  /** Close a connection whose client sent nothing for this long (viewers ping every 0.5 s). */
  maxInactivityMs?: number;
  log?: (message: string) => void;
}

export interface DisplayTunnel {
  host: string;
  port: number;
  /** ws://host:port/ — the viewer appends `?token=...`. */
  url: string;
  /** The guacd (or embedded gateway) this tunnel dials. */
  guacd: { host: string; port: number };
  /** Ends every viewer connection of an instance (e.g. it was stopped). */
  closeInstance(instanceId: string): void;
  close(): Promise<void>;
}

const SUBPROTOCOL = 'guacamole';
/** guacamole-common-js reads a close reason as the Guacamole status code. */
const closeReason = (status: number): string => String(status);

function pickProtocol(protocols: Set<string>): string | false {
  return protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false;
}

/** guacamole-common-js sends `0.,4.ping,<ms>;` twice a second; a Guacamole server echoes it. */
function answerPings(ws: WebSocket): void {
  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    const text = data.toString();
    if (!text.startsWith('0.,4.ping,')) return;
    try {
      for (const ins of new GuacamoleParser({ maxElementLength: 64 }).push(text)) {
        if (ins[0] === '' && ins[1] === 'ping' && ws.readyState === WebSocket.OPEN) ws.send(encodeInstruction('', ...ins.slice(1)));
      }
    } catch {
      // Not a well-formed ping: guacamole-lite relays it and the gateway drops it.
    }
  });
}

/**
 * guacamole-lite closes with text reasons ("Connection closed normally"), which
 * guacamole-common-js parses as a status code: NaN, reported to the viewer as an error even
 * for a clean end. Give it the numeric reasons it expects.
 */
function numericCloseReasons(ws: WebSocket): void {
  const close = ws.close.bind(ws);
  ws.close = (code?: number, reason?: string | Buffer): void => {
    const text = reason === undefined ? '' : String(reason);
    if (/^\d+$/.test(text)) return close(code, text);
    close(code, closeReason(code === 1000 || code === undefined ? GuacStatus.SUCCESS : GuacStatus.SERVER_ERROR));
  };
}

export function startTunnel(options: TunnelOptions): Promise<DisplayTunnel> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => undefined);
  const byInstance = new Map<WebSocket, string>();

  const lite = new GuacamoleLite(
    // `server` must be present (even undefined) or guacamole-lite adds `port: 8080`.
    { server: undefined, noServer: true, handleProtocols: pickProtocol, maxPayload: 1 << 20 },
    options.guacd,
    {
      maxInactivityTime: options.maxInactivityMs ?? 15_000,
      crypt: { cypher: 'AES-256-CBC', key: options.vault.cipherKey },
      log: { level: 'ERRORS', stdLog: () => undefined, errorLog: (...args) => log(`guacamole-lite: ${args.join(' ')}`) },
      // Only the view size may come from the (untrusted) query string.
      allowedUnencryptedConnectionSettings: { vnc: ['width', 'height', 'dpi'] },
    },
  );
  // It traps SIGTERM/SIGINT to close itself, which would keep our process from exiting.
  if (lite.sigTermHandler) process.removeListener('SIGTERM', lite.sigTermHandler);
  if (lite.sigIntHandler) process.removeListener('SIGINT', lite.sigIntHandler);

  const rejecter = new WebSocketServer({ noServer: true, handleProtocols: pickProtocol });

  const reject = (req: IncomingMessage, socket: Duplex, head: Buffer, message: string, status: number): void => {
    // Answer in Guacamole terms so the viewer shows a meaningful error, not "server unreachable".
    rejecter.handleUpgrade(req, socket, head, (ws) => {
      ws.send(encodeInstruction('error', message, status));
      ws.close(1008, closeReason(status));
    });
  };

  const http = createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain', Connection: 'close' });
    res.end('WebSocket only\n');
  });

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'ws://localhost');
    if (url.pathname !== '/') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    let instanceId: string;
    try {
      instanceId = options.vault.redeem(url.searchParams.get('token') ?? '').claims.instanceId;
    } catch (err) {
      const message = err instanceof TicketError ? `Display ticket rejected: ${err.message}` : 'Display ticket rejected';
      log(message);
      reject(req, socket, head, message, GuacStatus.CLIENT_UNAUTHORIZED);
      return;
    }
    lite.webSocketServer.handleUpgrade(req, socket, head, (ws) => {
      byInstance.set(ws, instanceId);
      ws.on('close', () => byInstance.delete(ws));
      numericCloseReasons(ws);
      answerPings(ws);
      lite.webSocketServer.emit('connection', ws, req);
    });
  });

  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, host, () => {
      http.off('error', reject);
      const address = http.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        host,
        port,
        url: `ws://${host}:${port}/`,
        guacd: { ...options.guacd },
        closeInstance(instanceId) {
          for (const [ws, id] of byInstance) {
            if (id === instanceId) ws.close(1000, closeReason(GuacStatus.SESSION_CLOSED));
          }
        },
        close: () =>
          new Promise<void>((done) => {
            lite.close();
            rejecter.close();
            http.close(() => done());
            http.closeAllConnections();
            // Close frames were queued above; cut whatever has not finished closing.
            setTimeout(() => {
              for (const ws of [...lite.webSocketServer.clients, ...rejecter.clients]) ws.terminate();
            }, 200).unref();
          }),
      });
    });
  });
}
