// Command line of the standalone gateway (`npm run gateway`). The gateway has no
// authentication of its own: whoever reaches its port can make it dial any VNC server and
// watch that screen. So it listens on loopback unless told otherwise, in so many words.
import { isLoopbackHost } from '../loopback';

export interface GatewayArgs {
  host: string;
  port: number;
}

export const GATEWAY_USAGE = 'usage: gateway-cli [--listen HOST:PORT] [--allow-remote]   (default 127.0.0.1:4823)\n';

/** Parses the arguments; `help` when the usage was asked for. Throws with a message for the user. */
export function parseGatewayArgs(argv: string[]): GatewayArgs | 'help' {
  let listen = '127.0.0.1:4823';
  let allowRemote = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--listen' || a === '-l') listen = argv[++i] ?? '';
    else if (a.startsWith('--listen=')) listen = a.slice('--listen='.length);
    else if (a === '--allow-remote') allowRemote = true;
    else if (a === '--help' || a === '-h') return 'help';
    else throw new Error(`unknown argument "${a}"`);
  }
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(listen);
  const port = Number(m?.[3]);
  if (!m || port > 65535) throw new Error(`--listen wants HOST:PORT, got "${listen}"`);
  const host = m[1] ?? m[2]!;
  if (!allowRemote && !isLoopbackHost(host)) {
    throw new Error(
      `refusing to listen on ${listen}: the gateway has no authentication, so anyone who can reach that address ` +
        'could make it connect to any VNC server and see its screen. Listen on 127.0.0.1, or add --allow-remote ' +
        'if a firewall or another layer keeps strangers out.',
    );
  }
  return { host, port };
}
