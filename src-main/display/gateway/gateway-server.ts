// The embedded gateway: a TCP server that speaks the guacd wire protocol, so guacamole-lite
// (or any guacd client, e.g. Apache Guacamole's web application) can dial it as if it were
// guacd. Each protocol it speaks sits in its own folder and registers here (see protocol.ts).
import { createServer, Socket } from 'node:net';
import { createVncProtocol } from '../vnc/vnc-protocol';
import { VncConnectionOptions } from '../vnc/vnc-connection';
import { HeldConnection, ProtocolRegistry } from './protocol';
import { ViewerSession, ViewerSessionOptions } from './viewer-session';

export interface GatewayOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  session?: Omit<ViewerSessionOptions, 'onClose'> & VncConnectionOptions;
}

export interface Gateway {
  host: string;
  port: number;
  /** The protocols a client may `select`. */
  readonly protocols: readonly string[];
  /** Open remote desktop connections (each may serve several viewers). */
  readonly connectionCount: number;
  /**
   * Opens the connection viewers of `protocol` with these parameters (guacd's names) will share,
   * before they ask (see GatewayProtocol.hold); undefined where the protocol cannot.
   */
  hold(protocol: string, parameters: Readonly<Record<string, string | number>>): HeldConnection | undefined;
  /** Stops listening and ends every session (each client gets `disconnect`). */
  close(): Promise<void>;
}

export function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const host = options.host ?? '127.0.0.1';
  const sessions = new Set<ViewerSession>();
  const sockets = new Set<Socket>();
  const registry: ProtocolRegistry = new Map([['vnc', createVncProtocol(options.session)]]);

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const session = new ViewerSession(socket, registry, { ...options.session, onClose: (s) => sessions.delete(s) });
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
        protocols: [...registry.keys()],
        get connectionCount() {
          let n = 0;
          for (const p of registry.values()) n += p.connectionCount;
          return n;
        },
        hold: (protocol, parameters) =>
          registry.get(protocol)?.hold?.((name) => (parameters[name] === undefined ? undefined : String(parameters[name]))),
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const s of [...sessions]) s.close();
            for (const p of registry.values()) p.close();
            // Sessions end gracefully; anything still open after that is cut.
            setTimeout(() => sockets.forEach((s) => s.destroy()), 500).unref();
          }),
      });
    });
  });
}
