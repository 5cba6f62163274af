// Our standalone gateway (`npm run gateway`) in a child process, where a test needs "a guacd"
// at an address: it speaks guacd's protocol for VNC. It logs each VNC connection it makes.
// The display benchmarks measure it through the same helper.
import { ChildProcess, spawn } from 'node:child_process';
import { freePort } from './xvnc';

export interface GatewayCli {
  port: number;
  pid: number;
  /** Still running? */
  alive(): boolean;
  /** Everything it logged so far. */
  log(): string;
  /** VNC connections it has made so far. */
  connections(): number;
  /** SIGTERM; resolves with its exit code (null if it had already exited). */
  stop(): Promise<number | null>;
}

/** `nodeArgs` go before the script (e.g. `--cpu-prof` for a benchmark). */
export async function startGatewayCli(nodeArgs: readonly string[] = []): Promise<GatewayCli> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src-main/display/gateway-cli.ts', '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes('listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`gateway-cli exited ${code}: ${log}`)));
  });
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    port,
    pid: child.pid!,
    alive,
    log: () => log,
    connections: () => log.split('\n').filter((l) => / VNC 127\.0\.0\.1:\d+: connected/.test(l)).length,
    stop: async () => {
      if (!alive()) return null;
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      return exited;
    },
  };
}
