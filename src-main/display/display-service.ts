// Entry point of the display path: the embedded VNC gateway plus the WebSocket tunnel, both on
// loopback ephemeral ports, and the tickets that let one viewer window reach one instance.
import { Gateway, startGateway } from './gateway';
import { toGuacdParameters } from './guacd/parameters';
import { TicketVault } from './tokens';
import { DisplayTunnel, startTunnel } from './tunnel';

export interface VncTarget {
  host: string;
  port: number;
  password: string;
  /** A viewer that may watch but not type, point, paste or resize. */
  readOnly?: boolean;
}

/** An Apache guacd (or anything speaking its protocol) at host:port. */
export interface GuacdEndpoint {
  host: string;
  port: number;
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
  /** Route every display through this external guacd instead of the embedded gateway. */
  guacd?: GuacdEndpoint;
}

export class DisplayService {
  private constructor(
    private readonly gateway: Gateway | null,
    private readonly tunnel: DisplayTunnel,
    private readonly vault: TicketVault,
    private readonly connectRetries: number,
  ) {}

  static async start(options: DisplayServiceOptions = {}): Promise<DisplayService> {
    // With an external guacd, no embedded gateway is needed.
    const gateway = options.guacd ? null : await startGateway({ host: '127.0.0.1', port: 0, session: { log: options.log } });
    try {
      const vault = new TicketVault();
      const guacd = options.guacd ?? { host: gateway!.host, port: gateway!.port };
      const tunnel = await startTunnel({ vault, guacd, log: options.log });
      return new DisplayService(gateway, tunnel, vault, options.connectRetries ?? 3);
    } catch (err) {
      await gateway?.close();
      throw err;
    }
  }

  /** Where viewers' connections are served: the embedded gateway's or the external guacd's address. */
  get backend(): { kind: 'embedded' | 'guacd'; host: string; port: number } {
    return this.gateway
      ? { kind: 'embedded', host: this.gateway.host, port: this.gateway.port }
      : { kind: 'guacd', ...this.tunnel.guacd };
  }

  /** A single-use ticket, valid for 30 s, that opens the display of one instance. */
  issueTicket(instanceId: string, target: VncTarget, size: { width?: number; height?: number } = {}): DisplayTicket {
    // The same guacd parameters serve the embedded gateway and an external guacd.
    const settings: Record<string, string | number> = toGuacdParameters({
      protocol: 'vnc',
      hostname: target.host,
      port: target.port,
      password: target.password,
      readOnly: target.readOnly,
      // A desktop that is (re)starting may not listen yet when its window opens.
      autoretry: this.connectRetries,
    });
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
    await this.gateway?.close();
  }
}
