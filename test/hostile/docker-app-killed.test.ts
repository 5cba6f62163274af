// The app is killed (SIGKILL, no clean-up of any kind) while 5 desktops start. After it
// starts again on the same data folder, every container is accounted for: each belongs to
// a running row, none is orphaned, and no row is stuck in a transient state.
// A real `serve` process, real dockerd, real SQLite.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { LABEL_INSTANCE } from '../../src-main/providers/docker/docker-labels';
import type { Instance } from '../../src-shared/model';
import { tempDataDir } from '../helpers/core';
import { docker } from '../helpers/docker';
import { ServeProcess } from '../helpers/serve-process';
import { waitUntil } from '../helpers/x-apps';

const servers: ServeProcess[] = [];
let ids: string[] = [];

after(async () => {
  for (const s of servers) await s.stop().catch(() => undefined);
  for (const id of ids) {
    for (const c of await containersOf(id)) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  }
});

async function containersOf(instanceId: string) {
  return docker.listContainers({ all: true, filters: { label: [`${LABEL_INSTANCE}=${instanceId}`] } });
}

test('SIGKILL while 5 instances start: after a restart every container is accounted for', async () => {
  const dataDir = await tempDataDir();
  const first = await ServeProcess.start(dataDir);
  servers.push(first);
  const started = await Promise.all(Array.from({ length: 5 }, () => first.request<Instance>('instances.start', { appId: 'linux-desktop' })));
  ids = started.map((i) => i.id);
  // Killed mid-way: some containers exist, some may not yet, none is ready.
  await waitUntil(async () => (await Promise.all(ids.map(containersOf))).some((c) => c.length > 0), 30_000, 'a first container');
  await first.kill();
  servers.pop();
  const leftBehind = (await Promise.all(ids.map(containersOf))).flat().length;

  const second = await ServeProcess.start(dataDir);
  servers.push(second);
  const rows = await waitUntil(
    async () => {
      const all = (await second.request<Instance[]>('instances.list')).filter((i) => ids.includes(i.id));
      return all.every((i) => i.state === 'running' || i.state === 'stopped' || i.state === 'failed') ? all : undefined;
    },
    60_000,
    'every row to settle',
  );
  console.log(`${leftBehind} containers left by the killed process; rows after restart: ${rows.map((r) => r.state).join(', ')}`);
  assert.equal(rows.length, 5, 'every start has its row');
  for (const row of rows) {
    const containers = await containersOf(row.id);
    if (row.state === 'running') assert.equal(containers.length, 1, `running ${row.id} has its container`);
    else assert.deepEqual(containers, [], `${row.state} ${row.id} left no container (${row.stateReason})`);
    if (row.state !== 'running') assert.match(row.stateReason ?? '', /closed while the instance was (creating|starting)/);
  }
});
