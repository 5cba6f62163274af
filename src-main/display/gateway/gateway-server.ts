// The embedded gateway: a TCP server that speaks the guacd wire protocol for VNC, so
// guacamole-lite (or any guacd client, e.g. Apache Guacamole's web application) can dial it
// as if it were guacd. Viewers of the same desktop share one VNC connection.
import { createServer, Socket } from 'node:net';
import { VncConnection, VncConnectionOptions } from './vnc-connection';
import { VncSession, VncSessionOptions } from './vnc-session';
import { sharingKey, VncSettings } from './vnc-settings';

export interface GatewayOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  session?: Omit<VncSessionOptions, 'onClose'> & VncConnectionOptions;
}

export interface Gateway {
  host: string;
  port: number;
  /** Open VNC connections (each may serve several viewers). */
  readonly connectionCount: number;
  /** Stops listening and ends every session (each client gets `disconnect`). */
  close(): Promise<void>;
}

export function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const host = options.host ?? '127.0.0.1';
  const sessions = new Set<VncSession>();
  const sockets = new Set<Socket>();
  const connections = new Map<string, VncConnection>();

  const broker = (settings: VncSettings): VncConnection => {
    const key = sharingKey(settings);
    const existing = connections.get(key);
    if (existing && !existing.closed) return existing;
    const created = new VncConnection(settings, options.session ?? {}, (c) => {
      if (connections.get(key) === c) connections.delete(key);
    });
    connections.set(key, created);
    return created;
  };

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const session = new VncSession(socket, broker, { ...options.session, onClose: (s) => sessions.delete(s) });
    sessions.add(session);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      // After listening, an error (e.g. EMFILE on accept) is logged; the gateway keeps serving.
      server.on('error', (err) => options.session?.log?.(`gateway: ${err.message}`));
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        host,
        port,
        get connectionCount() {
          return connections.size;
        },
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const s of [...sessions]) s.close();
            for (const c of [...connections.values()]) c.close();
            // Sessions end gracefully; anything still open after that is cut.
            setTimeout(() => sockets.forEach((s) => s.destroy()), 500).unref();
          }),
      });
    });
  });
}
