// The embedded gateway on its own, as a drop-in for guacd's VNC support:
//   node dist/main/src-main/display/gateway-cli.js --listen 127.0.0.1:4823
// Any Guacamole client (guacamole-lite, Apache Guacamole's web application) can connect with
// guacd's VNC parameters (hostname, port, password, read-only, cursor, encodings, ...).
import { startGateway } from './gateway';

function parseListen(argv: string[]): { host: string; port: number } {
  let listen = '127.0.0.1:4823';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--listen' || a === '-l') listen = argv[++i] ?? '';
    else if (a.startsWith('--listen=')) listen = a.slice('--listen='.length);
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: gateway-cli [--listen HOST:PORT]   (default 127.0.0.1:4823)\n');
      process.exit(0);
    } else throw new Error(`unknown argument "${a}"`);
  }
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(listen);
  const port = Number(m?.[3]);
  if (!m || port > 65535) throw new Error(`--listen wants HOST:PORT, got "${listen}"`);
  return { host: m[1] ?? m[2]!, port };
}

async function main(): Promise<void> {
  const { host, port } = parseListen(process.argv.slice(2));
  const log = (message: string): void => void process.stderr.write(`${new Date().toISOString()} ${message}\n`);
  const gateway = await startGateway({ host, port, session: { log } });
  log(`gateway listening on ${gateway.host}:${gateway.port} (guacd protocol, VNC)`);
  const stop = (): void => {
    log('shutting down');
    void gateway.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`gateway: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
