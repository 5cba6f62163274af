// X clients for tests and the benchmark, run against an Xtigervnc display and stopped by pid.
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface XApp {
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a long-running X client; `stop` ends exactly that process. */
export function startXApp(display: number, command: string, args: string[], env: NodeJS.ProcessEnv = {}): XApp {
  const child = spawn(command, args, { env: { ...process.env, DISPLAY: `:${display}`, LC_ALL: 'C', ...env }, stdio: 'ignore' });
  child.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** Runs an X command to completion (e.g. xclip -o) and returns its stdout. */
export async function xOutput(display: number, command: string, args: string[]): Promise<string> {
  const { stdout } = await run(command, args, { env: { ...process.env, DISPLAY: `:${display}` }, timeout: 10_000, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** Puts text on the X CLIPBOARD selection; the returned app owns it until stopped. */
export async function setXClipboard(display: number, text: string): Promise<XApp> {
  const child = spawn('xclip', ['-quiet', '-selection', 'clipboard', '-i'], {
    env: { ...process.env, DISPLAY: `:${display}` },
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.stdin!.end(Buffer.from(text, 'utf8'));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

export async function waitUntil<T>(probe: () => Promise<T | undefined | false>, timeoutMs: number, label: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
