// The WebSocket tunnel viewer windows connect to (guacamole-lite on a loopback HTTP server we own).
// Tickets are checked *before* guacamole-lite sees the socket: guacamole-lite 1.2.0 dials guacd
// even after rejecting a token (and crashes the process on an undecryptable one), so a bad
// ticket must never reach it.
import { createServer, IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';
import GuacamoleLite from 'guacamole-lite';
import { WebSocket, WebSocketServer } from 'ws';
import { isLocalHostHeader, refuseUpgrade, requestTarget } from '../http-guards';
import { encodeInstruction, GuacamoleParser, VIEWER_INPUT_LIMITS } from './guacamole/protocol';
import { GuacStatus } from './gateway/status';
import { TicketError, TicketVault } from './tokens';

export interface GuacdAddress {
  host: string;
  port: number;
}

export interface TunnelOptions {
  vault: TicketVault;
  /** Where guacamole-lite dials unless a ticket names another guacd: the embedded gateway or a guacd. */
  guacd: GuacdAddress;
  /** Close a connection whose client sent nothing for this long (viewers ping every 0.5 s). */
  maxInactivityMs?: number;
  log?: (message: string) => void;
  /** Other WebSocket services on the same listener, by path (home transfers); each checks its own ticket. */
  routes?: Record<string, (req: IncomingMessage, socket: Duplex, head: Buffer, params: URLSearchParams) => void>;
}

export interface DisplayTunnel {
  host: string;
  port: number;
  /** ws://host:port/ — the viewer appends `?token=...`. */
  url: string;
  /** The guacd (or embedded gateway) this tunnel dials by default. */
  guacd: GuacdAddress;
  /** Ends every viewer connection of an instance (e.g. it was stopped). */
  closeInstance(instanceId: string): void;
  /** Cuts every viewer connection of an instance without a close handshake, as a network failure would. */
  dropInstance(instanceId: string): number;
  /** Viewer connections open now, all instances together. */
  readonly viewerTotal: number;
  /** Viewer connections open now for an instance. */
  viewerCount(instanceId: string): number;
  /** Last input (mouse, key, clipboard, size, a file sent) or viewer disconnect, ms since the epoch. */
  lastActivityAt(instanceId: string): number | undefined;
  close(): Promise<void>;
}

/** Viewer instructions that count as someone using the desktop (a file being sent too: no idle stop mid-upload). */
const INPUT_OPCODES = new Set(['mouse', 'key', 'clipboard', 'size', 'touch', 'file', 'blob']);

const SUBPROTOCOL = 'guacamole';

/**
 * The query keys a viewer sends (src-renderer/viewer: token, width, height; other Guacamole
 * clients add dpi), each at most once. Anything else is refused before guacamole-lite, which
 * takes repeated keys as arrays and fails on them in code nobody can catch, sees the request.
 */
const VIEWER_QUERY = ['token', 'width', 'height', 'dpi'] as const;
const MAX_TOKEN_LENGTH = 8 * 1024;
const MAX_VIEW_SIDE = 16_384;

/** The viewer's query rebuilt from checked values, or the reason it was refused. */
function viewerQuery(params: URLSearchParams): { token: string; query: string } | { refused: string; status: number } {
  const keys = [...params.keys()];
  const unknown = keys.find((k) => !(VIEWER_QUERY as readonly string[]).includes(k));
  const bad = (refused: string) => ({ refused, status: GuacStatus.CLIENT_BAD_REQUEST });
  // No usable ticket is no credential, as a forged one is.
  const noTicket = (refused: string) => ({ refused, status: GuacStatus.CLIENT_UNAUTHORIZED });
  if (unknown !== undefined) return bad(`unexpected parameter "${unknown.slice(0, 40)}"`);
  const clean = new URLSearchParams();
  for (const key of VIEWER_QUERY) {
    const values = params.getAll(key);
    if (values.length > 1) return bad(`"${key}" given more than once`);
    const value = values[0];
    if (value === undefined) continue;
    if (key === 'token') {
      if (value.length === 0 || value.length > MAX_TOKEN_LENGTH) return noTicket('malformed ticket');
    } else if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > MAX_VIEW_SIDE) {
      return bad(`"${key}" must be a number from 1 to ${MAX_VIEW_SIDE}`);
    }
    clean.set(key, value);
  }
  const token = clean.get('token');
  if (token === null) return noTicket('no ticket');
  return { token, query: clean.toString() };
}

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
      for (const ins of new GuacamoleParser({ maxElementLength: 64, maxInstructionLength: 256 }).push(text)) {
        if (ins[0] === '' && ins[1] === 'ping' && ws.readyState === WebSocket.OPEN) ws.send(encodeInstruction('', ...ins.slice(1)));
      }
    } catch {
      // Not a well-formed ping: guacamole-lite relays it and the gateway drops it.
    }
  });
}

/**
 * Calls `onInput` when the viewer sends input. guacamole-common-js sends whole instructions per
 * message; a streaming parser per connection copes with any other client too. Malformed input
 * stops the watching only (guacamole-lite and the gateway deal with the connection).
 */
function watchInput(ws: WebSocket, onInput: () => void): void {
  const parser = new GuacamoleParser(VIEWER_INPUT_LIMITS);
  let broken = false;
  ws.on('message', (data, isBinary) => {
    if (isBinary || broken) return;
    try {
      for (const ins of parser.push(data.toString())) {
        if (INPUT_OPCODES.has(ins[0]!)) {
          onInput();
          return;
        }
      }
    } catch {
      broken = true;
    }
  });
}

/**
 * Hands every listener of a text message (guacamole-lite, answerPings, watchInput) one string,
 * decoded once. Each would otherwise decode the Buffer itself (guacamole-lite even for a debug
 * line it does not print): three UTF-8 decodes of every upload blob instead of one.
 */
function decodeTextOnce(ws: WebSocket): void {
  const emit = ws.emit.bind(ws) as (event: string | symbol, ...args: unknown[]) => boolean;
  (ws as { emit: typeof emit }).emit = (event, ...args) => {
    if (event === 'message' && args[1] === false && Buffer.isBuffer(args[0])) return emit(event, args[0].toString('utf8'), false);
    return emit(event, ...args);
  };
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

/**
 * guacamole-lite writes the handshake (size, audio, video, image, timezone, connect) and every
 * input event as separate small writes on a socket with Nagle's algorithm on: behind an
 * unacknowledged segment, the rest waits for the peer's delayed ACK (40 ms on Linux) — 60 ms
 * more to the first frame, and late keys. Its socket is internal (guacamole-lite 1.2.0:
 * activeConnections -> guacdClient.guacdConnection); if that shape changes this does nothing.
 */
function noDelayToGuacd(lite: GuacamoleLite, ws: WebSocket): void {
  const connections = (lite as unknown as { activeConnections?: Map<unknown, unknown> }).activeConnections;
  if (!(connections instanceof Map)) return;
  for (const c of connections.values()) {
    const conn = c as { webSocket?: unknown; guacdClient?: { guacdConnection?: { setNoDelay?: (on: boolean) => void } } };
    if (conn.webSocket === ws) conn.guacdClient?.guacdConnection?.setNoDelay?.(true);
  }
}

function createLite(guacd: GuacdAddress, options: TunnelOptions, log: (message: string) => void): GuacamoleLite {
  const lite = new GuacamoleLite(
    // `server` must be present (even undefined) or guacamole-lite adds `port: 8080`.
    { server: undefined, noServer: true, handleProtocols: pickProtocol, maxPayload: 1 << 20 },
    { host: guacd.host, port: guacd.port },
    {
      maxInactivityTime: options.maxInactivityMs ?? 15_000,
      crypt: { cypher: 'AES-256-CBC', key: options.vault.cipherKey },
      log: { level: 'ERRORS', stdLog: () => undefined, errorLog: (...args) => log(`guacamole-lite: ${args.join(' ')}`) },
      // Only the view size may come from the (untrusted) query string.
      allowedUnencryptedConnectionSettings: { vnc: ['width', 'height', 'dpi'], rdp: ['width', 'height', 'dpi'] },
    },
  );
  lite.webSocketServer.on('error', (err) => log(`tunnel: ${err.message}`));
  // It traps SIGTERM/SIGINT to close itself, which would keep our process from exiting.
  if (lite.sigTermHandler) process.removeListener('SIGTERM', lite.sigTermHandler);
  if (lite.sigIntHandler) process.removeListener('SIGINT', lite.sigIntHandler);
  return lite;
}

export function startTunnel(options: TunnelOptions): Promise<DisplayTunnel> {
  const host = '127.0.0.1';
  const log = options.log ?? (() => undefined);
  const byInstance = new Map<WebSocket, string>();
  const lastActivity = new Map<string, number>();
  // One guacamole-lite per guacd address (it dials a single address); the default one first.
  const lites = new Map<string, GuacamoleLite>();
  const liteFor = (guacd: GuacdAddress): GuacamoleLite => {
    const key = `${guacd.host}:${guacd.port}`;
    let lite = lites.get(key);
    if (!lite) {
      lite = createLite(guacd, options, log);
      lites.set(key, lite);
    }
    return lite;
  };
  liteFor(options.guacd);

  // A refused viewer gets one error instruction; nothing it sends is read.
  const rejecter = new WebSocketServer({ noServer: true, handleProtocols: pickProtocol, maxPayload: 4 * 1024 });
  rejecter.on('error', (err) => log(`tunnel: ${err.message}`));

  const reject = (req: IncomingMessage, socket: Duplex, head: Buffer, message: string, status: number): void => {
    // Answer in Guacamole terms so the viewer shows a meaningful error, not "server unreachable".
    rejecter.handleUpgrade(req, socket, head, (ws) => {
      // Invalid or oversized frames after the refusal: ws closes the socket; only it ends.
      ws.on('error', () => ws.terminate());
      ws.send(encodeInstruction('error', message, status));
      ws.close(1008, closeReason(status));
    });
  };

  const http = createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain', Connection: 'close' });
    res.end('WebSocket only\n');
  });

  http.on('error', (err) => log(`tunnel: ${err.message}`));
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (!isLocalHostHeader(req.headers.host, port)) return refuseUpgrade(socket, 421, 'Misdirected Request');
    const target = requestTarget(req.url);
    if (!target) return refuseUpgrade(socket, 400, 'Bad Request');
    const route = options.routes && Object.hasOwn(options.routes, target.pathname) ? options.routes[target.pathname] : undefined;
    if (route) return route(req, socket, head, target.searchParams);
    if (target.pathname !== '/') return refuseUpgrade(socket, 404, 'Not Found');
    const query = viewerQuery(target.searchParams);
    if ('refused' in query) {
      const what = query.status === GuacStatus.CLIENT_UNAUTHORIZED ? 'Display ticket rejected' : 'Display address refused';
      const message = `${what}: ${query.refused}`;
      log(message);
      reject(req, socket, head, message, query.status);
      return;
    }
    // guacamole-lite reads req.url itself: give it only what was checked.
    req.url = `/?${query.query}`;
    let instanceId: string;
    let lite: GuacamoleLite;
    try {
      const { claims } = options.vault.redeem(query.token);
      instanceId = claims.instanceId;
      lite = liteFor(claims.guacd ?? options.guacd);
    } catch (err) {
      const message = err instanceof TicketError ? `Display ticket rejected: ${err.message}` : 'Display ticket rejected';
      log(message);
      reject(req, socket, head, message, GuacStatus.CLIENT_UNAUTHORIZED);
      return;
    }
    lite.webSocketServer.handleUpgrade(req, socket, head, (ws) => {
      byInstance.set(ws, instanceId);
      // Invalid frames, messages over maxPayload: ws closes this socket (guacamole-lite's close follows).
      ws.on('error', (err) => log(`tunnel viewer: ${err.message}`));
      // On the socket, not the WebSocket: guacamole-lite removes every 'close' listener of the
      // WebSocket when guacd ends first (ClientConnection.close), and the viewer stayed counted.
      socket.once('close', () => {
        byInstance.delete(ws);
        lastActivity.set(instanceId, Date.now());
      });
      numericCloseReasons(ws);
      decodeTextOnce(ws);
      answerPings(ws);
      watchInput(ws, () => lastActivity.set(instanceId, Date.now()));
      lite.webSocketServer.emit('connection', ws, req);
      // guacamole-lite opens its guacd socket a few microtasks later; turn Nagle off before it connects.
      setImmediate(() => noDelayToGuacd(lite, ws));
    });
  });

  let port = 0;
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, host, () => {
      http.off('error', reject);
      const address = http.address();
      port = typeof address === 'object' && address ? address.port : 0;
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
        dropInstance(instanceId) {
          let n = 0;
          for (const [ws, id] of byInstance) {
            if (id !== instanceId) continue;
            ws.terminate();
            n++;
          }
          return n;
        },
        get viewerTotal() {
          return byInstance.size;
        },
        viewerCount(instanceId) {
          let n = 0;
          for (const id of byInstance.values()) if (id === instanceId) n++;
          return n;
        },
        lastActivityAt: (instanceId) => lastActivity.get(instanceId),
        close: () =>
          new Promise<void>((done) => {
            for (const lite of lites.values()) lite.close();
            rejecter.close();
            http.close(() => done());
            http.closeAllConnections();
            // Close frames were queued above; cut whatever has not finished closing.
            setTimeout(() => {
              for (const ws of [...[...lites.values()].flatMap((l) => [...l.webSocketServer.clients]), ...rejecter.clients]) ws.terminate();
            }, 200).unref();
          }),
      });
    });
  });
}
