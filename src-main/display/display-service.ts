// Entry point of the display path: the embedded VNC gateway plus the WebSocket tunnel, both on
// loopback ephemeral ports, and the tickets that let one viewer window reach one instance.
import { Gateway, startGateway } from './gateway';
import { TicketVault } from './tokens';
import { DisplayTunnel, startTunnel } from './tunnel';

export interface VncTarget {
  host: string;
  port: number;
  password: string;
}

export interface DisplayTicket {
  /** e.g. ws://127.0.0.1:PORT/ */
  tunnelUrl: string;
  /** Opaque to the renderer; pass as `token=` + encodeURIComponent(token). */
  token: string;
}

export interface DisplayServiceOptions {
  log?: (message: string) => void;
  /** Extra 1 s-spaced attempts when a desktop is not listening yet (default 3). */
  connectRetries?: number;
}

export class DisplayService {
  private constructor(
    private readonly gateway: Gateway,
    private readonly tunnel: DisplayTunnel,
    private readonly vault: TicketVault,
    private readonly connectRetries: number,
  ) {}

  static async start(options: DisplayServiceOptions = {}): Promise<DisplayService> {
    const gateway = await startGateway({ host: '127.0.0.1', port: 0, session: { log: options.log } });
    try {
      const vault = new TicketVault();
      const tunnel = await startTunnel({ vault, guacd: { host: gateway.host, port: gateway.port }, log: options.log });
      return new DisplayService(gateway, tunnel, vault, options.connectRetries ?? 3);
    } catch (err) {
      await gateway.close();
      throw err;
    }
  }

  /** A single-use ticket, valid for 30 s, that opens the display of one instance. */
  issueTicket(instanceId: string, target: VncTarget, size: { width?: number; height?: number } = {}): DisplayTicket {
    const settings: Record<string, string | number> = {
      hostname: target.host,
      port: target.port,
      password: target.password,
      // A desktop that is (re)starting may not listen yet when its window opens.
      autoretry: this.connectRetries,
    };
    if (size.width) settings.width = size.width;
    if (size.height) settings.height = size.height;
    return { tunnelUrl: this.tunnel.url, token: this.vault.issue(instanceId, { type: 'vnc', settings }) };
  }

  /** Closes every open viewer connection of an instance. */
  disconnectInstance(instanceId: string): void {
    this.tunnel.closeInstance(instanceId);
  }

  async close(): Promise<void> {
    await this.tunnel.close();
    await this.gateway.close();
  }
}
