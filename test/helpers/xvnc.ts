// Starts and stops a real TigerVNC server (Xtigervnc) for tests, on a free display and port.
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface XvncOptions {
  /** null starts a server without authentication (SecurityTypes None). */
  password?: string | null;
  width?: number;
  height?: number;
  depth?: number;
  /** More Xtigervnc options (e.g. -MaxCutText=N). */
  extraArgs?: string[];
}

export interface XvncServer {
  display: number;
  port: number;
  password: string | null;
  process: ChildProcess;
  /** Runs an X client (e.g. xsetroot) against this display. */
  x(command: string, ...args: string[]): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

function freeDisplay(): number {
  // Random start so parallel test files rarely race for the same display.
  const start = 40 + Math.floor(Math.random() * 400);
  for (let n = start; n < start + 200; n++) {
    if (!existsSync(`/tmp/.X${n}-lock`) && !existsSync(`/tmp/.X11-unix/X${n}`)) return n;
  }
  throw new Error('no free X display number');
}

/** Resolves once the server sends its RFB banner. */
async function waitForBanner(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port });
      let got = '';
      s.on('data', (d) => {
        got += d.toString('latin1');
        if (got.length >= 12) {
          s.destroy();
          resolve(got.startsWith('RFB 003.'));
        }
      });
      s.on('error', () => resolve(false));
      s.on('close', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`Xtigervnc did not answer on port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startXvnc(options: XvncOptions = {}): Promise<XvncServer> {
  const password = options.password === undefined ? 'test-pw1' : options.password;
  const dir = await mkdtemp(join(tmpdir(), 'xvnc-'));
  const display = freeDisplay();
  const port = await freePort();
  const args = [
    `:${display}`,
    '-rfbport', String(port),
    '-geometry', `${options.width ?? 320}x${options.height ?? 240}`,
    '-depth', String(options.depth ?? 24),
    '-localhost=1',
    // Tests fail authentication on purpose; don't let TigerVNC blacklist 127.0.0.1 for it.
    '-BlacklistThreshold=1000',
    '-desktop', 'test-desktop',
    ...(options.extraArgs ?? []),
  ];
  if (password === null) {
    args.push('-SecurityTypes', 'None');
  } else {
    const file = join(dir, 'passwd');
    const { stdout } = await new Promise<{ stdout: Buffer }>((resolve, reject) => {
      const p = spawn('tigervncpasswd', ['-f'], { stdio: ['pipe', 'pipe', 'ignore'] });
      const out: Buffer[] = [];
      p.stdout.on('data', (d: Buffer) => out.push(d));
      p.on('error', reject);
      p.on('close', (code) => (code === 0 ? resolve({ stdout: Buffer.concat(out) }) : reject(new Error(`tigervncpasswd exited ${code}`))));
      p.stdin.end(`${password}\n`);
    });
    await writeFile(file, stdout, { mode: 0o600 });
    args.push('-SecurityTypes', 'VncAuth', '-PasswordFile', file);
  }
  const child = spawn('Xtigervnc', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await Promise.race([
      waitForBanner(port, 10_000),
      exited.then(() => Promise.reject(new Error(`Xtigervnc exited early:\n${stderr}`))),
    ]);
  } catch (err) {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    display,
    port,
    password,
    process: child,
    async x(command, ...xargs) {
      await run(command, ['-display', `:${display}`, ...xargs], { timeout: 10_000 });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
