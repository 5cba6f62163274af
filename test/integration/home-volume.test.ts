// A home that persists (issue 12): an app's home volume keeps a file from one instance to the
// next; "Export home" and "Import home" stream it out and into a fresh desktop as a .tar.gz over
// the real tunnel listener; deleting the app removes its volume only when asked and unused.
// Real core, real dockerd, the real desktop image.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import type { Core } from '../../src-main/core';
import { HOME_CHUNK_BYTES, type HomeTransferTicket } from '../../src-shared/contract';
import type { App, Instance } from '../../src-shared/model';
import { callCore, openCore, tempDataDir, waitForState } from '../helpers/core';
import { containersOf, docker, dockerExec, removeOwnedBy } from '../helpers/docker';

const IMAGE = 'daas/desktop:latest';

/** An export through the ticket's socket: the archive's bytes, and the final message. */
async function exportHome(url: string): Promise<{ archive: Buffer; last: Record<string, unknown> }> {
  const ws = new WebSocket(url);
  const parts: Buffer[] = [];
  let last: Record<string, unknown> = {};
  ws.on('message', (data: Buffer, isBinary) => (isBinary ? parts.push(data) : (last = JSON.parse(data.toString()) as Record<string, unknown>)));
  await new Promise((resolve, reject) => {
    ws.once('close', resolve);
    ws.once('error', reject);
  });
  return { archive: Buffer.concat(parts), last };
}

/** An import as the renderer sends it: a piece, its ack, the next; then "end". */
async function importHome(url: string, archive: Buffer): Promise<Record<string, unknown>> {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const messages: Record<string, unknown>[] = [];
  let wake: () => void = () => undefined;
  ws.on('message', (data: Buffer) => {
    messages.push(JSON.parse(data.toString()) as Record<string, unknown>);
    wake();
  });
  const closed = new Promise((resolve) => ws.once('close', resolve));
  const next = () => (messages.length ? Promise.resolve(messages.shift()!) : new Promise<Record<string, unknown>>((r) => (wake = () => r(messages.shift()!))));
  for (let at = 0; at < archive.length; at += HOME_CHUNK_BYTES) {
    ws.send(archive.subarray(at, at + HOME_CHUNK_BYTES));
    const answer = await next();
    if (!('ack' in answer)) return answer;
  }
  ws.send('end');
  const last = await next();
  await closed;
  return last;
}

describe('home volume: files outlive instances, export and import, delete', () => {
  let core: Core;
  const volume = `daas-test-home-${randomBytes(4).toString('hex')}`;
  const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);
  const start = async (appId: string): Promise<{ instance: Instance; containerId: string }> => {
    const instance = await call<Instance>('instances.start', { appId });
    await waitForState(core, instance.id, 'running', 60_000);
    const [container] = await containersOf(instance.id);
    return { instance, containerId: container!.Id };
  };
  const stop = async (instance: Instance) => {
    await call('instances.stop', { instanceId: instance.id });
    await waitForState(core, instance.id, 'stopped', 30_000);
  };
  let homeApp: App;
  let exported: Buffer;
  /** SHA-256 of the file the first desktop wrote. */
  let digest = '';

  before(async () => {
    core = await openCore(await tempDataDir());
    homeApp = await call<App>('apps.create', {
      app: { name: 'Home desktop', provider: 'docker', display: { gateway: 'embedded' }, docker: { image: IMAGE, homeVolume: { name: volume, mountPath: '/home/desktop' } } },
    });
  });

  after(async () => {
    await core?.close();
    if (core) await removeOwnedBy(core.installationId);
    await docker.getVolume(volume).remove().catch(() => undefined);
  });

  it('a file written in one instance is there in the next instance of the app, and exports as .tar.gz', async () => {
    const first = await start(homeApp.id);
    const wrote = await dockerExec(first.containerId, ['sh', '-c', 'mkdir -p ~/Documents && head -c 262144 /dev/urandom > ~/Documents/kept.bin && sha256sum ~/Documents/kept.bin | cut -c1-64'], 'desktop');
    assert.equal(wrote.exitCode, 0, wrote.output);
    digest = /[0-9a-f]{64}/.exec(wrote.output)![0];
    await stop(first.instance);
    assert.equal((await containersOf(first.instance.id)).length, 0, 'the first container is gone');

    const second = await start(homeApp.id);
    const read = await dockerExec(second.containerId, ['sh', '-c', 'sha256sum ~/Documents/kept.bin | cut -c1-64; stat -c %U ~/Documents/kept.bin'], 'desktop');
    assert.match(read.output, new RegExp(`${digest}[^]*desktop`));

    const ticket = await call<HomeTransferTicket>('home.transfer', { instanceId: second.instance.id, direction: 'export' });
    assert.equal(ticket.folder, '/home/desktop');
    assert.match(ticket.fileName, /^home-desktop(-\d+)?-home-\d{4}-\d\d-\d\d\.tar\.gz$/);
    const { archive, last } = await exportHome(ticket.url);
    assert.equal(last.done, true, JSON.stringify(last));
    assert.equal(last.bytes, archive.length);
    assert.deepEqual([...archive.subarray(0, 2)], [0x1f, 0x8b], 'gzip');
    exported = archive;
    // A ticket is good for one connection.
    await assert.rejects(exportHome(ticket.url), /403/);
    await stop(second.instance);
  });

  it('importing the export into a fresh desktop round-trips the file, owned by the desktop user', async () => {
    assert.ok(exported, 'the export ran');
    const plain = await call<App>('apps.create', { app: { name: 'Plain desktop', provider: 'docker', display: { gateway: 'embedded' }, docker: { image: IMAGE } } });
    const fresh = await start(plain.id);
    await dockerExec(fresh.containerId, ['sh', '-c', 'echo mine > ~/.bashrc-local'], 'desktop');
    const ticket = await call<HomeTransferTicket>('home.transfer', { instanceId: fresh.instance.id, direction: 'import' });
    assert.equal(ticket.folder, '~');
    const last = await importHome(ticket.url, exported);
    assert.deepEqual(last, { done: true, bytes: exported.length });
    const read = await dockerExec(fresh.containerId, ['sh', '-c', 'sha256sum ~/Documents/kept.bin | cut -c1-64; stat -c %U ~/Documents/kept.bin; cat ~/.bashrc-local'], 'desktop');
    assert.match(read.output, new RegExp(`${digest}[^]*desktop[^]*mine`), 'merged: the file arrived, the desktop\'s own file stayed');

    // Not an archive: a clear failure, not a hang.
    const bad = await call<HomeTransferTicket>('home.transfer', { instanceId: fresh.instance.id, direction: 'import' });
    const refused = await importHome(bad.url, Buffer.from('not a tar.gz at all'));
    assert.match(String((refused.error as { message?: string } | undefined)?.message), /could not be imported/);

    // A window that sends piece after piece without waiting for acks is cut off, not buffered.
    const flood = await call<HomeTransferTicket>('home.transfer', { instanceId: fresh.instance.id, direction: 'import' });
    const ws = new WebSocket(flood.url);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const answers: string[] = [];
    ws.on('message', (m: Buffer) => answers.push(m.toString()));
    const closed = new Promise((resolve) => ws.once('close', resolve));
    for (let i = 0; i < 8; i++) ws.send(Buffer.alloc(HOME_CHUNK_BYTES));
    await closed;
    assert.match(answers.at(-1) ?? '', /"error"/);
    // Left running: after() removes it.
  });

  it('deleting the app removes its volume only when asked and nothing uses it', async () => {
    // A container that mounts the volume (stopped, as a kept failed desktop would be) blocks it.
    const holder = await docker.createContainer({ Image: IMAGE, name: `${volume}-holder`, HostConfig: { Binds: [`${volume}:/data`] }, Entrypoint: ['true'] });
    try {
      await assert.rejects(call('apps.delete', { appId: homeApp.id, deleteHomeVolume: true }), (err: Error & { info?: { message: string } }) => {
        assert.match(err.info!.message, new RegExp(`home volume ${volume} of Home desktop is still used by ${volume}-holder`));
        return true;
      });
      assert.ok((await call<App[]>('apps.list', {})).some((a) => a.id === homeApp.id), 'the app stays too');
    } finally {
      await holder.remove({ force: true });
    }
    // Another app with the same volume: deleting it without the option keeps the volume.
    const twin = await call<App>('apps.create', {
      app: { name: 'Twin', provider: 'docker', docker: { image: IMAGE, homeVolume: { name: volume, mountPath: '/home/desktop' } } },
    });
    await call('apps.delete', { appId: twin.id });
    await docker.getVolume(volume).inspect();
    await call('apps.delete', { appId: homeApp.id, deleteHomeVolume: true });
    await assert.rejects(docker.getVolume(volume).inspect(), /no such volume/i);
  });
});
