// The headless host: the renderer over HTTP and the contract over a WebSocket, both on
// 127.0.0.1 behind a random access token. Browser tests and admins use it; it offers
// exactly what the Electron IPC transport offers.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ClientMessage, ServerMessage } from '../../src-shared/contract';
import type { Core, HostActions } from '../core';
import { SECURITY_HEADERS } from './security-headers';
import { readStaticFile } from './static-files';

const COOKIE = 'daas_session';

export interface HeadlessHostOptions {
  rendererDir: string;
  host?: string;
  port?: number;
  /** Fixed access token (tests); random otherwise. */
  accessToken?: string;
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

export async function startHeadlessHost(core: Core, options: HeadlessHostOptions): Promise<HeadlessHost> {
  const token = options.accessToken ?? randomBytes(24).toString('base64url');
  const bindHost = options.host ?? '127.0.0.1';
  const sockets = new Set<WebSocket>();
  let origin = '';

  const isAuthorised = (req: http.IncomingMessage): boolean => {
    const fromCookie = cookieValue(req.headers.cookie, COOKIE);
    return fromCookie !== undefined && sameSecret(fromCookie, token);
  };

  const hostActions: HostActions = {
    // A browser opens the viewer page itself, in a new window.
    openViewer: async (instanceId) => ({ kind: 'navigate', url: `viewer.html?instance=${encodeURIComponent(instanceId)}` }),
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', origin);
      const offered = url.searchParams.get('token');
      if (offered !== null) {
        if (!sameSecret(offered, token)) return deny(res);
        // Trade the token for a cookie and drop it from the address bar.
        url.searchParams.delete('token');
        res.writeHead(303, {
          ...SECURITY_HEADERS,
          'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
          Location: url.pathname + url.search,
        });
        return res.end();
      }
      if (!isAuthorised(req)) return deny(res);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, SECURITY_HEADERS);
        return res.end();
      }
      const file = await readStaticFile(options.rendererDir, url.pathname);
      if (!file) {
        res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
        return res.end('Not found');
      }
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': file.contentType });
      res.end(req.method === 'HEAD' ? undefined : file.body);
    })().catch((err) => {
      console.error('headless host request failed', err);
      if (!res.headersSent) res.writeHead(500, SECURITY_HEADERS);
      res.end();
    });
  });

  function deny(res: http.ServerResponse) {
    res.writeHead(401, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('DaaS Desktop: open the address printed by "npm run serve" (it carries the access token).');
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', origin).pathname;
    // Cookie plus same origin: another web site cannot drive the API from a user's browser.
    if (path !== '/api' || !isAuthorised(req) || req.headers.origin !== origin) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveApi(ws));
  });

  const send = (ws: WebSocket, message: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };

  function serveApi(ws: WebSocket) {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', (data) => {
      let message: ClientMessage;
      try {
        message = JSON.parse(data.toString()) as ClientMessage;
      } catch {
        return ws.close(1003, 'malformed message');
      }
      if (message?.type !== 'request' || !Number.isSafeInteger(message.id)) return ws.close(1003, 'malformed message');
      void core.handle(message.channel, message.payload, hostActions).then((result) => send(ws, { type: 'response', id: message.id, ...result }));
    });
  }

  const unsubscribe = core.subscribe((event) => {
    for (const ws of sockets) send(ws, { type: 'event', ...event });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${bindHost}:${port}`;

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
