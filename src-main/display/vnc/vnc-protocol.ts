// VNC in the embedded gateway: the registry entry the handshake finds under `vnc`. Viewers
// whose settings share a key (see sharingKey) share one VncConnection.
import { ClientInfo, protocolAtLeast } from '../gateway/handshake';
import { GatewayProtocol, GatewayViewer, ProtocolViewer } from '../gateway/protocol';
import { GuacStatus, GuacStatusError } from '../gateway/status';
import { StreamKind, StreamSink } from '../gateway/streams';
import { ViewerEndpoint, VncConnection, VncConnectionOptions } from './vnc-connection';
import { parseVncSettings, sharingKey, VNC_ARG_NAMES, VncArgName, vncSettingsFrom, VncSettings } from './vnc-settings';

export function createVncProtocol(options: VncConnectionOptions = {}): GatewayProtocol {
  const connections = new Map<string, VncConnection>();

  const broker = (settings: VncSettings): VncConnection => {
    const key = sharingKey(settings);
    const existing = connections.get(key);
    if (existing?.joinable) return existing;
    const created = new VncConnection(settings, options, (c) => {
      if (connections.get(key) === c) connections.delete(key);
    });
    connections.set(key, created);
    return created;
  };

  return {
    argNames: VNC_ARG_NAMES,
    attach(viewer, values, client) {
      const settings = parseVncSettings(values);
      if (!settings.hostname || Number.isNaN(settings.port)) {
        throw new GuacStatusError('VNC hostname or port missing or invalid', GuacStatus.CLIENT_BAD_REQUEST);
      }
      // guacd's force-lossless: this viewer never gets JPEG, whatever its handshake announced.
      if (settings.forceLossless) viewer.writer.acceptsJpeg = false;
      return new VncViewer(viewer, settings, broker(settings), client);
    },
    hold(parameters) {
      const connection = broker(vncSettingsFrom((name: VncArgName) => parameters(name)));
      const ready = connection.hold();
      return {
        ready,
        get closed() {
          return connection.closed;
        },
        release: () => connection.release(),
      };
    },
    get connectionCount() {
      return connections.size;
    },
    close() {
      for (const c of [...connections.values()]) c.close();
    },
  };
}

/** One viewer of a (possibly shared) VNC connection. */
class VncViewer implements ViewerEndpoint, ProtocolViewer {
  readonly user: ViewerEndpoint['user'];

  constructor(
    private readonly viewer: GatewayViewer,
    readonly settings: VncSettings,
    private readonly connection: VncConnection,
    client: ClientInfo,
  ) {
    this.user = {
      name: client.name,
      takesMessages: protocolAtLeast(client.protocolVersion, 1, 5),
      takesRequired: protocolAtLeast(client.protocolVersion, 1, 1),
      optimalSize: { width: client.optimalWidth, height: client.optimalHeight },
    };
    connection.attach(this);
  }

  get writer() {
    return this.viewer.writer;
  }

  fail(err: unknown): void {
    this.viewer.fail(err);
  }

  acknowledge(timestamp: number): void {
    this.connection.acknowledge(this, timestamp);
  }

  /** Guacamole's mask bits are RFB's. */
  pointer(mask: number, x: number, y: number): void {
    this.connection.pointer(this, mask, x, y);
  }

  /** Keysyms are X11 keysyms on both sides: they pass straight through (AltGr, dead keys too). */
  key(down: boolean, keysym: number): void {
    this.connection.key(this, down, keysym);
  }

  resize(width: number, height: number): void {
    this.connection.resize(this, width, height);
  }

  /** `clipboard` is the only kind of stream the gateway has today. */
  openStream(_kind: StreamKind, mimetype: string | undefined): StreamSink {
    this.connection.clipboard.acceptPaste(this, mimetype);
    return (data) => this.connection.paste(this, data);
  }

  /** An `argv` stream: only for a parameter this viewer was asked for with `required` (guacd: "Not allowed." otherwise). */
  openArgument(name: string): StreamSink {
    if (!this.connection.awaits(this, name)) throw new GuacStatusError('Not allowed.', GuacStatus.CLIENT_FORBIDDEN);
    return (data) => this.connection.argument(this, name, data.toString('utf8'));
  }

  detach(): void {
    this.connection.detach(this);
  }
}
