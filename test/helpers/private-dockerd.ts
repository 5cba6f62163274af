// A private Docker engine for fault tests that restart or stop the engine: the shared dockerd
// serves every other test and is never touched. Its own data and exec roots, pid file,
// socket and bridge (with --iptables=false: published ports go through docker-proxy on the
// host, nothing is written to the shared engine's firewall chains). Needs root.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { waitUntil } from './x-apps';

const run = promisify(execFile);

/** Why a private engine cannot run here, or undefined when it can (for a test's `skip`). */
export function privateDockerdUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'a private dockerd needs root';
  for (const tool of ['dockerd', 'docker', 'ip']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  return undefined;
}

export class PrivateDockerd {
  readonly socket: string;
  readonly docker: Docker;
  private child?: ChildProcess;
  private log = '';

  private constructor(
    private readonly dir: string,
    private readonly bridge: string,
  ) {
    this.socket = path.join(dir, 'docker.sock');
    this.docker = new Docker({ socketPath: this.socket });
  }

  /** Starts the engine and loads `images` into it from the shared engine. */
  static async start(images: string[]): Promise<PrivateDockerd> {
    // Short paths: containerd's socket lives under the exec root (unix socket paths are short).
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dd-'));
    const suffix = path.basename(dir).slice(3).toLowerCase().replace(/[^a-z0-9]/g, '');
    const bridge = `dd${suffix}`.slice(0, 15);
    const subnet = 100 + Math.floor(Math.random() * 150);
    await run('ip', ['link', 'add', bridge, 'type', 'bridge']);
    const engine = new PrivateDockerd(dir, bridge);
    try {
      await run('ip', ['addr', 'add', `10.213.${subnet}.1/24`, 'dev', bridge]);
      await run('ip', ['link', 'set', bridge, 'up']);
      await engine.launch();
      for (const image of images) {
        await run('sh', ['-c', `docker save ${image} | docker -H unix://${engine.socket} load`], { maxBuffer: 1 << 20 });
      }
      return engine;
    } catch (err) {
      await engine.destroy();
      throw err;
    }
  }

  private async launch(): Promise<void> {
    const d = this.dir;
    this.child = spawn(
      'dockerd',
      [
        `--data-root=${d}/data`,
        `--exec-root=${d}/exec`,
        `--pidfile=${d}/dockerd.pid`,
        `-H`,
        `unix://${this.socket}`,
        `--bridge=${this.bridge}`,
        '--iptables=false',
        '--storage-driver=overlay2',
        `--cgroup-parent=/${path.basename(d)}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const keep = (chunk: Buffer) => (this.log = (this.log + chunk.toString()).slice(-20_000));
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    const child = this.child;
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`the private dockerd exited (${child.exitCode}):\n${this.log.slice(-3000)}`);
        return this.docker.ping().then(() => true, () => false);
      },
      30_000,
      'the private dockerd to answer',
    );
  }

  /** Stops the engine as `systemctl stop docker` does (SIGTERM: it stops its containers first). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    this.child = undefined;
  }

  /** A restart of the engine, with the same configuration. */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  /** Removes every container, stops the engine and deletes its folder and bridge. */
  async destroy(): Promise<void> {
    if (this.child) {
      const all = await this.docker.listContainers({ all: true }).catch(() => []);
      await Promise.all(all.map((c) => this.docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
      await this.stop();
    }
    await run('ip', ['link', 'del', this.bridge]).catch(() => undefined);
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
