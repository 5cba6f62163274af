// The embedded gateway on its own, as a drop-in for guacd's VNC support:
//   node dist/main/src-main/display/gateway-cli.js --listen 127.0.0.1:4823
// Any Guacamole client (guacamole-lite, Apache Guacamole's web application) can connect with
// guacd's VNC parameters (hostname, port, password, read-only, cursor, encodings, ...).
import { installProcessGuard } from '../process-guard';
import { startGateway } from './gateway';
import { GATEWAY_USAGE, parseGatewayArgs } from './gateway-args';

async function main(): Promise<void> {
  const args = parseGatewayArgs(process.argv.slice(2));
  if (args === 'help') {
    process.stdout.write(GATEWAY_USAGE);
    return;
  }
  const log = (message: string): void => void process.stderr.write(`${new Date().toISOString()} ${message}\n`);
  installProcessGuard(log);
  // A drop-in for guacd: its status codes, which Guacamole's web application acts on, a missing
  // VNC password asked for with `required`, and the remote desktop resized to the handshake's size.
  const gateway = await startGateway({
    host: args.host,
    port: args.port,
    session: { log, statusCodes: 'guacd', resizeToHandshake: true, promptForCredentials: true },
  });
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
