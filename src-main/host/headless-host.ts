// The headless host: the renderer over HTTP and the contract over a WebSocket, both on
// 127.0.0.1 behind a random access token. Browser tests and admins use it; it offers
// exactly what the Electron IPC transport offers.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_REQUEST_BYTES, type ClientMessage, type ServerMessage } from '../../src-shared/contract';
import type { Core, HostActions } from '../core';
import type { ClientLink } from '../handlers/handler-types';
import { isLocalHostHeader, refuseUpgrade, requestTarget } from '../http-guards';
import { SECURITY_HEADERS } from './security-headers';
import { SessionStore } from './sessions';
import { readStaticFile } from './static-files';

const COOKIE = 'daas_session';

export interface HeadlessHostOptions {
  rendererDir: string;
  /** Port on 127.0.0.1 (0, the default, picks a free one). */
  port?: number;
  /** Fixed access token (tests); random otherwise. */
  accessToken?: string;
  /** A session ends after this long without a request (default 12 h). */
  sessionIdleMs?: number;
  /** Clock for sessions (tests). */
  now?: () => number;
  log?: (message: string) => void;
}

export interface HeadlessHost {
  url: string;
  /** The URL to open first: it carries the access token once, then a cookie takes over. */
  loginUrl: string;
  close(): Promise<void>;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** A path that stays on this host: leading slashes (and backslashes) collapse to one. */
function localPath(pathname: string): string {
  return '/' + pathname.replace(/^[/\\]+/, '');
}

export async function startHeadlessHost(core: Core, options: HeadlessHostOptions): Promise<HeadlessHost> {
  const token = options.accessToken ?? randomBytes(24).toString('base64url');
  const log = options.log ?? ((message: string) => console.error(message));
  const sessions = new SessionStore(options.sessionIdleMs, options.now);
  const sockets = new Set<WebSocket>();
  let port = 0;

  const isAuthorised = (req: http.IncomingMessage): boolean => sessions.touch(cookieValue(req.headers.cookie, COOKIE));
  const hostAllowed = (req: http.IncomingMessage): boolean => isLocalHostHeader(req.headers.host, port);

  const hostActions: HostActions = {
    // A browser opens the viewer page itself, in a new window.
    openViewer: async (instanceId) => ({ kind: 'navigate', url: `viewer.html?instance=${encodeURIComponent(instanceId)}` }),
  };

  const plain = (res: http.ServerResponse, status: number, text: string) => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(text);
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      // Another name for this address is a DNS-rebinding page or a proxy: not ours to answer.
      if (!hostAllowed(req)) return plain(res, 421, 'DaaS Desktop answers only as 127.0.0.1 or localhost.');
      const target = requestTarget(req.url);
      if (!target) return plain(res, 400, 'Bad request');
      const offered = target.searchParams.getAll('token');
      if (offered.length > 0) {
        if (offered.length !== 1 || !sameSecret(offered[0]!, token)) return deny(res);
        // Trade the token for a session cookie and drop it from the address bar.
        target.searchParams.delete('token');
        const query = target.searchParams.toString();
        res.writeHead(303, {
          ...SECURITY_HEADERS,
          'Set-Cookie': `${COOKIE}=${sessions.create()}; HttpOnly; SameSite=Strict; Path=/`,
          Location: localPath(target.pathname) + (query ? `?${query}` : ''),
        });
        return res.end();
      }
      if (!isAuthorised(req)) return deny(res);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, SECURITY_HEADERS);
        return res.end();
      }
      const file = await readStaticFile(options.rendererDir, target.pathname);
      if (!file) return plain(res, 404, 'Not found');
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': file.contentType });
      res.end(req.method === 'HEAD' ? undefined : file.body);
    })().catch((err) => {
      log(`headless host request failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) res.writeHead(500, SECURITY_HEADERS);
      res.end();
    });
  });
  server.on('error', (err) => log(`headless host: ${err.message}`));

  function deny(res: http.ServerResponse) {
    plain(res, 401, 'DaaS Desktop: open the address printed by "npm run serve" (it carries the access token).');
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES });
  wss.on('error', (err) => log(`headless host API: ${err.message}`));
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (!hostAllowed(req)) return refuseUpgrade(socket, 421, 'Misdirected Request');
    // Cookie plus same origin: another web site cannot drive the API from a user's browser.
    const sameOrigin = req.headers.origin === `http://${req.headers.host}`;
    if (requestTarget(req.url)?.pathname !== '/api' || !sameOrigin || !isAuthorised(req)) {
      return refuseUpgrade(socket, 401, 'Unauthorized');
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveApi(ws, cookieValue(req.headers.cookie, COOKIE)!));
  });

  const send = (ws: WebSocket, message: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };

  let clients = 0;
  function serveApi(ws: WebSocket, session: string) {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    // This socket's own events (a terminal's output) and its end (which ends its terminals).
    const client: ClientLink = {
      id: `ws-${++clients}`,
      send: (event) => send(ws, { type: 'event', ...event }),
      onClose: (listener) => void ws.once('close', listener),
    };
    const actions: HostActions = { ...hostActions, client };
    // Invalid frames and messages over the limit: ws closes the socket (1002, 1009); only it ends.
    ws.on('error', (err) => log(`headless host API socket: ${err.message}`));
    ws.on('message', (data) => {
      let message: ClientMessage;
      try {
        message = JSON.parse(data.toString()) as ClientMessage;
      } catch {
        return ws.close(1003, 'malformed message');
      }
      if (message?.type !== 'request' || !Number.isSafeInteger(message.id)) return ws.close(1003, 'malformed message');
      // Using the API keeps the session alive, as page loads do; an expired one ends the socket.
      if (!sessions.touch(session)) return ws.close(1008, 'session expired');
      void core
        .handle(message.channel, message.payload, actions)
        .then((result) => send(ws, { type: 'response', id: message.id, ...result }))
        .catch((err) => {
          log(`headless host API request failed: ${err instanceof Error ? err.message : String(err)}`);
          ws.close(1011, 'internal error');
        });
    });
  }

  const unsubscribe = core.subscribe((event) => {
    for (const ws of sockets) send(ws, { type: 'event', ...event });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/`,
    loginUrl: `${origin}/?token=${token}`,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
