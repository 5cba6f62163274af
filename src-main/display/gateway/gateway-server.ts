// The embedded gateway: a loopback TCP server that speaks the guacd wire protocol for VNC,
// so guacamole-lite (or any guacd client) can dial it as if it were guacd.
import { createServer, Socket } from 'node:net';
import { VncSession, VncSessionOptions } from './vnc-session';

export interface GatewayOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  session?: Omit<VncSessionOptions, 'onClose'>;
}

export interface Gateway {
  host: string;
  port: number;
  /** Stops listening and ends every session (each client gets `disconnect`). */
  close(): Promise<void>;
}

export function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const host = options.host ?? '127.0.0.1';
  const sessions = new Set<VncSession>();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const session = new VncSession(socket, { ...options.session, onClose: (s) => sessions.delete(s) });
    sessions.add(session);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        host,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const s of [...sessions]) s.close();
            // Sessions end gracefully; anything still open after that is cut.
            setTimeout(() => sockets.forEach((s) => s.destroy()), 500).unref();
          }),
      });
    });
  });
}
