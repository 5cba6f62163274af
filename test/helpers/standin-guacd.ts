// STAND-IN for Apache guacd's RDP (and VNC) handshake. No guacd (Debian has no package) and no RDP server
// can run on these machines, so this plays guacd's side of the handshake exactly as the
// Guacamole protocol reference documents it (manual, "The Guacamole protocol" ->
// "Handshake phase", and the appendix's "Client handshake instructions"):
//
//   client: select,<protocol>          server: args,VERSION_1_5_0,<parameter names...>
//   client: size,<w>,<h>,<dpi>  audio,<mimetypes...>  video,<...>  image,<...>  timezone,<tz>
//           (since 1.1.0 in any order; guacd reads options until `connect`)
//   client: connect,<one value per name announced by args, in that order>
//   server: ready,<connection id>
//
// It records what the client sent and then stays idle (a real guacd would start drawing the
// remote desktop; there is none). The parameter names and their order are guacd 1.5's RDP
// arguments (src/protocols/rdp/settings.c, GUAC_RDP_CLIENT_ARGS), without the SFTP, recording,
// gateway and wake-on-LAN groups.
import { createServer, type Server, type Socket } from 'node:net';
import { encodeInstruction, GuacamoleParser, type Instruction } from '../../src-main/display/guacamole/protocol';

export const GUACD_RDP_ARGS = [
  'hostname',
  'port',
  'timeout',
  'domain',
  'username',
  'password',
  'width',
  'height',
  'dpi',
  'initial-program',
  'color-depth',
  'disable-audio',
  'enable-printing',
  'printer-name',
  'enable-drive',
  'drive-name',
  'drive-path',
  'create-drive-path',
  'disable-download',
  'disable-upload',
  'console',
  'console-audio',
  'server-layout',
  'security',
  'ignore-cert',
  'cert-tofu',
  'cert-fingerprints',
  'disable-auth',
  'remote-app',
  'remote-app-dir',
  'remote-app-args',
  'static-channels',
  'client-name',
  'enable-wallpaper',
  'enable-theming',
  'enable-font-smoothing',
  'enable-full-window-drag',
  'enable-desktop-composition',
  'enable-menu-animations',
  'disable-bitmap-caching',
  'disable-offscreen-caching',
  'disable-glyph-caching',
  'preconnection-id',
  'preconnection-blob',
  'timezone',
  'enable-sftp',
  'resize-method',
  'enable-audio-input',
  'read-only',
  'disable-copy',
  'disable-paste',
  'normalize-clipboard',
] as const;

/**
 * guacd 1.5's VNC arguments (src/protocols/vnc/settings.c, GUAC_VNC_CLIENT_ARGS), in order:
 * for a VNC connection whose viewer's files go over guacd's SFTP.
 */
export const GUACD_VNC_ARGS = [
  'hostname',
  'port',
  'read-only',
  'encodings',
  'username',
  'password',
  'swap-red-blue',
  'color-depth',
  'cursor',
  'autoretry',
  'clipboard-encoding',
  'dest-host',
  'dest-port',
  'enable-audio',
  'audio-servername',
  'reverse-connect',
  'listen-timeout',
  'enable-sftp',
  'sftp-hostname',
  'sftp-host-key',
  'sftp-port',
  'sftp-username',
  'sftp-password',
  'sftp-private-key',
  'sftp-passphrase',
  'sftp-directory',
  'sftp-root-directory',
  'sftp-server-alive-interval',
  'sftp-disable-download',
  'sftp-disable-upload',
  'recording-path',
  'recording-name',
  'recording-exclude-output',
  'recording-exclude-mouse',
  'recording-include-keys',
  'create-recording-path',
  'disable-copy',
  'disable-paste',
  'wol-send-packet',
  'wol-mac-addr',
  'wol-broadcast-addr',
  'wol-udp-port',
  'wol-wait-time',
  'force-lossless',
] as const;

/** The arguments the stand-in announces per protocol. */
const ARGS: Record<string, readonly string[]> = { rdp: GUACD_RDP_ARGS, vnc: GUACD_VNC_ARGS };

export const GUACD_VERSION = 'VERSION_1_5_0';

/** One client's handshake as the stand-in saw it. */
export interface Handshake {
  select: string;
  /** Client handshake instructions in arrival order (size, audio, video, image, timezone, name). */
  options: Instruction[];
  /** The raw connect instruction's values (index 0 answers VERSION_...). */
  connectValues: string[];
  /** connect values by the parameter names args announced (empty values left out). */
  parameters: Record<string, string>;
}

export class StandInGuacd {
  readonly handshakes: Handshake[] = [];
  private waiters: Array<() => void> = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
  ) {}

  static async start(): Promise<StandInGuacd> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address() as { port: number };
    const guacd = new StandInGuacd(server, '127.0.0.1', address.port);
    server.on('connection', (socket) => guacd.serve(socket));
    return guacd;
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
    const parser = new GuacamoleParser();
    let select: string | undefined;
    const options: Instruction[] = [];
    socket.on('data', (text: string) => {
      let instructions: Instruction[];
      try {
        instructions = parser.push(text);
      } catch {
        socket.destroy();
        return;
      }
      for (const [opcode, ...args] of instructions) {
        if (select === undefined) {
          // guacd accepts nothing but select first.
          if (opcode !== 'select' || !ARGS[args[0] ?? '']) {
            socket.end(encodeInstruction('error', 'Only RDP and VNC are served by this stand-in.', '519'));
            return;
          }
          select = args[0]!;
          socket.write(encodeInstruction('args', GUACD_VERSION, ...ARGS[select]!));
        } else if (opcode === 'connect') {
          const names = [GUACD_VERSION, ...ARGS[select]!];
          const parameters: Record<string, string> = {};
          names.forEach((name, i) => {
            if (i > 0 && args[i]) parameters[name] = args[i]!;
          });
          this.handshakes.push({ select, options: [...options], connectValues: args, parameters });
          socket.write(encodeInstruction('ready', `$standin-${this.handshakes.length}`));
          this.waiters.splice(0).forEach((w) => w());
        } else if (['size', 'audio', 'video', 'image', 'timezone', 'name'].includes(opcode!)) {
          options.push([opcode!, ...args]);
        }
        // After ready: nop/sync/mouse/key from the client are accepted and ignored.
      }
    });
  }

  /** Resolves once `count` handshakes have completed. */
  async waitForHandshakes(count: number): Promise<Handshake[]> {
    while (this.handshakes.length < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.handshakes;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
