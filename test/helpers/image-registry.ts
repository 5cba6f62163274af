// A real image registry on loopback for pull tests: Debian's docker-registry (Distribution
// 2.8), with its own config and storage in a temp folder, on a free port. dockerd treats
// 127.0.0.1 registries as insecure-allowed, so it pushes and pulls plain HTTP there.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { docker } from './docker';

export interface TestRegistry {
  /** 127.0.0.1:PORT, the prefix of image names in this registry. */
  address: string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function answers(address: string): Promise<boolean> {
  try {
    return (await fetch(`http://${address}/v2/`)).ok;
  } catch {
    return false;
  }
}

export async function startRegistry(): Promise<TestRegistry> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'daas-registry-'));
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const config = path.join(dir, 'config.yml');
  await fs.writeFile(
    config,
    ['version: 0.1', 'log:', '  level: warn', 'storage:', '  filesystem:', `    rootdirectory: ${dir}/data`, 'http:', `  addr: ${address}`, ''].join('\n'),
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; i < 100 && !(await answers(address)); i++) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!(await answers(address))) {
    child.kill();
    throw new Error(`docker-registry did not answer at ${address}: ${stderr}`);
  }
  return {
    address,
    async close() {
      if (child.exitCode === null) child.kill();
      await exited;
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/** Follows one of the engine's progress streams (push) to its end; an error in it fails. */
function follow(stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, output: { error?: string }[]) => {
      const failure = err?.message ?? output.find((o) => o.error)?.error;
      if (failure) reject(new Error(failure));
      else resolve();
    }),
  );
}

/**
 * Pushes `base` plus one layer of fresh random bytes as `target` (REPO:TAG in the registry),
 * then removes it locally: a pull then downloads that layer (with byte progress) and finds
 * the base's layers already there.
 */
export async function pushWithFreshLayer(base: string, target: string): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'daas-layer-'));
  try {
    await fs.writeFile(path.join(dir, 'Dockerfile'), `FROM ${base}\nCOPY noise /opt/daas-noise\n`);
    await fs.writeFile(path.join(dir, 'noise'), randomBytes(3 * 1024 * 1024));
    await follow(await docker.buildImage({ context: dir, src: ['Dockerfile', 'noise'] }, { t: target, rm: true, forcerm: true }));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  const repo = target.slice(0, target.lastIndexOf(':'));
  // The engine wants an X-Registry-Auth header even for a registry without logins.
  await follow(await docker.getImage(target).push({ authconfig: { serveraddress: repo.split('/')[0] } }));
  await docker.getImage(target).remove();
}
