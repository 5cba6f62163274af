// The parts of guacamole-lite 1.2.0 (untyped CommonJS) that the tunnel uses.
declare module 'guacamole-lite' {
  import { EventEmitter } from 'node:events';
  import { WebSocketServer, ServerOptions } from 'ws';

  interface GuacdOptions {
    host: string;
    port: number;
  }

  interface ClientOptions {
    maxInactivityTime?: number;
    log?: {
      level?: 'QUIET' | 'ERRORS' | 'NORMAL' | 'VERBOSE' | 'DEBUG' | number;
      stdLog?: (...args: unknown[]) => void;
      errorLog?: (...args: unknown[]) => void;
    };
    crypt: { cypher: string; key: Buffer | string };
    connectionDefaultSettings?: Record<string, Record<string, unknown>>;
    allowedUnencryptedConnectionSettings?: Record<string, string[]>;
  }

  interface Callbacks {
    processConnectionSettings?: (settings: Record<string, unknown>, callback: (err: Error | undefined, settings?: Record<string, unknown>) => void) => void;
  }

  class GuacamoleLite extends EventEmitter {
    constructor(wsOptions: ServerOptions & { server?: unknown }, guacdOptions: GuacdOptions, clientOptions: ClientOptions, callbacks?: Callbacks);
    readonly webSocketServer: WebSocketServer;
    sigTermHandler: ((...args: unknown[]) => void) | null;
    sigIntHandler: ((...args: unknown[]) => void) | null;
    close(): void;
  }

  export = GuacamoleLite;
}
