// Runs `serve` as a separate process (so a test can kill it) and talks to it over its
// real WebSocket API, as the browser does.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import WebSocket from 'ws';
import type { DaasEvent, Result } from '../../src-shared/contract';

const REPO = path.resolve(__dirname, '../..');

export class ServeProcess {
  private nextId = 1;
  private readonly pending = new Map<number, (result: Result<unknown>) => void>();
  readonly events: DaasEvent[] = [];

  private constructor(
    readonly child: ChildProcess,
    private readonly ws: WebSocket,
    /** http://127.0.0.1:PORT */
    readonly origin: string,
    /** The session cookie (`daas_session=...`) the login gave. */
    readonly cookie: string,
    private readonly output: { text: string },
  ) {
    ws.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'response') this.pending.get(message.id)?.(message);
      else this.events.push(message);
    });
  }

  /** `app` runs serve from another app folder (e.g. one laid out like an installation). */
  static async start(dataDir: string, env: Record<string, string> = {}, app: { cwd: string; entry: string } = { cwd: REPO, entry: 'src-main/host/serve-cli.ts' }): Promise<ServeProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', app.entry], {
      cwd: app.cwd,
      env: { ...process.env, DAAS_DATA_DIR: dataDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const captured = { text: '' };
    const loginUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start:\n${captured.text}`)), 30_000);
      const onData = (chunk: Buffer) => {
        captured.text += chunk.toString();
        const match = /serving at (http:\/\/\S+)/.exec(captured.text);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${captured.text}`)));
    });
    const login = await fetch(loginUrl, { redirect: 'manual' });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const origin = new URL(loginUrl).origin;
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/api`, { headers: { cookie, origin } });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return new ServeProcess(child, ws, origin, cookie, captured);
  }

  /** Everything it printed so far (stdout and stderr). */
  get log(): string {
    return this.output.text;
  }

  request<T>(channel: string, payload: unknown = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, (result) => (result.ok ? resolve(result.result as T) : reject(new Error(result.error.message))));
      this.ws.send(JSON.stringify({ type: 'request', id, channel, payload }));
    });
  }

  /** Like a crash: no clean-up of any kind. */
  kill(): Promise<void> {
    this.ws.terminate();
    return this.end('SIGKILL');
  }

  async stop(): Promise<void> {
    this.ws.close();
    await this.end('SIGTERM');
  }

  /** Resolves once the process is gone (at once if it already is: 'exit' will not come again). */
  private end(signal: NodeJS.Signals): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill(signal);
    });
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }
}
