// Kill the app (SIGKILL) in the middle of a start; after a restart nothing leaks and
// nothing is stuck. Orphaned containers are removed, or adopted when the setting says so.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import type { Instance } from '../../src-shared/model';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { DATABASE_FILE } from '../../src-main/store/database';
import { LABEL_APP, LABEL_INSTANCE, LABEL_MANAGED, LABEL_OWNER, LABEL_VNC_PORT } from '../../src-main/providers/docker/docker-labels';
import { containersOf, docker, removeOwnedBy } from '../helpers/docker';
import { tempDataDir } from '../helpers/core';
import { ServeProcess } from '../helpers/serve-process';

const running: ServeProcess[] = [];
after(async () => {
  for (const p of running) await p.kill();
  for (const owner of [...new Set(dataDirs)].map(installationOf).concat(FOREIGN_OWNER)) await removeOwnedBy(owner);
});

const dataDirs: string[] = [];
const FOREIGN_OWNER = 'another-installation';
async function serve(dataDir: string): Promise<ServeProcess> {
  dataDirs.push(dataDir);
  const p = await ServeProcess.start(dataDir);
  running.push(p);
  return p;
}

/** The installation id a data folder labels its containers with. */
function installationOf(dataDir: string): string {
  const db = new BetterSqlite3(path.join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    const row = db.prepare("SELECT value FROM settings WHERE key = 'installation'").get() as { value: string };
    return JSON.parse(row.value) as string;
  } finally {
    db.close();
  }
}

/** A labelled container as if the app had crashed between create and the database write. */
async function orphanContainer(instanceId: string, owner: string): Promise<string> {
  const container = await docker.createContainer({
    Image: 'daas/desktop:latest',
    Env: ['VNC_PASSWORD=orphan12'],
    Labels: {
      [LABEL_MANAGED]: 'true',
      [LABEL_OWNER]: owner,
      [LABEL_INSTANCE]: instanceId,
      [LABEL_APP]: 'linux-desktop',
      [LABEL_VNC_PORT]: '5901',
    },
    ExposedPorts: { '5901/tcp': {} },
    HostConfig: { PortBindings: { '5901/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] }, Init: true },
  });
  await container.start();
  return container.id;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('killed mid-start: after a restart the instance is stopped, its container and orphans are gone', async () => {
  const dataDir = await tempDataDir();
  const first = await serve(dataDir);
  const instance = await first.request<Instance>('instances.start', { appId: 'linux-desktop' });
  // Kill as soon as the container exists, before the desktop is ready.
  await waitFor('the container', async () => ((await containersOf(instance.id)).length ? true : undefined));
  await first.kill();
  const orphanId = randomUUID();
  await orphanContainer(orphanId, installationOf(dataDir));
  const foreignId = randomUUID();
  await orphanContainer(foreignId, FOREIGN_OWNER);

  const second = await serve(dataDir);
  const instances = await second.request<Instance[]>('instances.list');
  assert.equal((await containersOf(foreignId)).length, 1, "another installation's container is left alone");
  const row = instances.find((i) => i.id === instance.id);
  assert.equal(row?.state, 'stopped', `state after restart: ${row?.state}`);
  assert.match(row?.stateReason ?? '', /closed while the instance was (creating|starting)|was gone when DaaS Desktop looked/);
  assert.deepEqual(await containersOf(instance.id), [], 'the interrupted container was removed');
  assert.deepEqual(await containersOf(orphanId), [], 'the orphan was removed (default policy)');
  assert.ok(!instances.some((i) => ['creating', 'starting', 'stopping'].includes(i.state)), 'nothing is stuck');

  // The app still works after the crash.
  const next = await second.request<Instance>('instances.start', { appId: 'linux-desktop' });
  await waitFor('running', async () =>
    (await second.request<Instance[]>('instances.list')).find((i) => i.id === next.id && i.state === 'running') ? true : undefined,
  );
  await second.request('instances.stop', { instanceId: next.id });
  await second.stop();
});

test('with the "adopt" policy, an orphaned running container becomes a running instance', async () => {
  const dataDir = await tempDataDir();
  const first = await serve(dataDir);
  await first.request('settings.update', { orphanPolicy: 'adopt' });
  await first.kill();
  const orphanId = randomUUID();
  await orphanContainer(orphanId, installationOf(dataDir));

  const second = await serve(dataDir);
  const adopted = (await second.request<Instance[]>('instances.list')).find((i) => i.id === orphanId);
  assert.equal(adopted?.state, 'running');
  assert.match(adopted?.name ?? '', /adopted/);
  await second.request('display.connect', { instanceId: orphanId });
  await second.request('instances.stop', { instanceId: orphanId });
  assert.deepEqual(await containersOf(orphanId), []);
  await second.stop();
});
