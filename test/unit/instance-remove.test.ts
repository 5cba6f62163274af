// Removing ended instances' rows (instances.remove) and reading who uses a desktop
// (instances.activity): the handlers on the real store (SQLite in a temp data folder) with
// the lifecycle over test/helpers/fake-provider.ts.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { appConfigSchema } from '../../src-shared/app-config';
import { parseRequest, type DaasEvent } from '../../src-shared/contract';
import type { App } from '../../src-shared/model';
import { instanceHandlers } from '../../src-main/handlers/instance-handlers';
import { EventBus } from '../../src-main/lifecycle/instance-events';
import { Lifecycle } from '../../src-main/lifecycle/lifecycle';
import type { ProviderEntry, ProviderRegistry } from '../../src-main/providers/providers';
import { AppsRepository } from '../../src-main/store/apps-repository';
import { openDatabase, type Db } from '../../src-main/store/database';
import { InstancesRepository } from '../../src-main/store/instances-repository';
import { FakeProvider } from '../helpers/fake-provider';
import { TEST_HOST, tempDataDir } from '../helpers/core';

let db: Db;
let instances: InstancesRepository;
let fake: FakeProvider;
let lifecycle: Lifecycle;
let published: DaasEvent[];
let app: App;
const activity = { viewers: new Map<string, number>(), last: new Map<string, number>() };
let handlers: ReturnType<typeof instanceHandlers>;

beforeEach(async () => {
  db = await openDatabase(await tempDataDir());
  const apps = new AppsRepository(db);
  instances = new InstancesRepository(db);
  fake = new FakeProvider();
  const entry: ProviderEntry = { kind: 'docker', endpointId: 'local', provider: fake };
  const registry: ProviderRegistry = {
    forApp: async () => entry,
    launchConfig: async (a) => (a.provider === 'docker' ? { docker: a.docker } : {}),
    of: () => fake,
  };
  const bus = new EventBus();
  published = [];
  bus.subscribe((event) => published.push(event));
  lifecycle = new Lifecycle(apps, instances, registry, bus, { readinessTimeoutMs: async () => 10_000 });
  app = await apps.create(appConfigSchema.parse({ name: 'Fake desktop', provider: 'docker', docker: { image: 'daas/desktop:latest' } }));
  activity.viewers.clear();
  activity.last.clear();
  handlers = instanceHandlers(instances, lifecycle, {
    activity: { viewerCount: (id) => activity.viewers.get(id) ?? 0, lastActivityAt: (id) => activity.last.get(id) },
    bus,
  });
});

afterEach(async () => {
  await lifecycle.settledAll();
  lifecycle.stopRetrying();
  await fake.close();
  await db.destroy();
});

async function running(): Promise<string> {
  const { id } = await lifecycle.start(app.id);
  await lifecycle.settled(id);
  assert.equal((await instances.get(id))?.state, 'running');
  return id;
}

async function rowsIn(table: 'instances' | 'events' | 'connections', column: 'id' | 'instance_id', ids: string[]): Promise<number> {
  const rows = await db.selectFrom(table).select(column).where(column, 'in', ids).execute();
  return rows.length;
}

test('instances.remove deletes stopped rows with their events and connection, and leaves a running one', async () => {
  const [a, b, live] = [await running(), await running(), await running()];
  await lifecycle.stop(a);
  await lifecycle.stop(b);

  const { removed } = await handlers['instances.remove']({ instanceIds: [a, b, live] }, TEST_HOST);

  assert.deepEqual([...removed].sort(), [a, b].sort());
  assert.equal(await rowsIn('instances', 'id', [a, b]), 0, 'the stopped rows are gone');
  assert.equal(await rowsIn('events', 'instance_id', [a, b]), 0, 'their event history is gone');
  assert.equal(await rowsIn('connections', 'instance_id', [a, b]), 0, 'their connection rows are gone');
  assert.equal((await instances.get(live))?.state, 'running', 'the running instance is untouched');
  assert.ok((await rowsIn('events', 'instance_id', [live])) > 0);
  assert.ok(fake.resources.has(live), 'its resource still runs');
  const event = published.find((e) => e.event === 'instances.removed');
  assert.deepEqual(event?.payload, { instanceIds: removed }, 'windows learn which rows went');
});

test('instances.remove of a failed instance that kept its resource removes the resource, then the row', async () => {
  const id = await running();
  fake.failNext('remove', new Error('engine unreachable'));
  await assert.rejects(lifecycle.stop(id), /engine unreachable/);
  assert.equal((await instances.get(id))?.state, 'failed');
  assert.ok(fake.resources.has(id), 'the failed instance still has its resource');

  const { removed } = await handlers['instances.remove']({ instanceIds: [id] }, TEST_HOST);

  assert.deepEqual(removed, [id]);
  assert.equal(fake.resources.has(id), false, 'its resource was removed');
  assert.equal(await instances.get(id), undefined, 'its row is gone');
  assert.equal(await rowsIn('events', 'instance_id', [id]), 0);
});

test('instances.remove of only live or unknown ids deletes nothing and tells no window', async () => {
  const live = await running();
  const { removed } = await handlers['instances.remove']({ instanceIds: [live, 'no-such-instance'] }, TEST_HOST);
  assert.deepEqual(removed, []);
  assert.equal((await instances.get(live))?.state, 'running');
  assert.equal(published.filter((e) => e.event === 'instances.removed').length, 0);
});

test('instances.activity reports viewers and the latest input, null when never viewed', async () => {
  const id = await running();
  assert.deepEqual(await handlers['instances.activity']({ instanceId: id }, TEST_HOST), { viewers: 0, lastActivityAt: null });
  activity.viewers.set(id, 2);
  activity.last.set(id, Date.UTC(2026, 11, 2, 3, 30));
  assert.deepEqual(await handlers['instances.activity']({ instanceId: id }, TEST_HOST), { viewers: 2, lastActivityAt: '2026-12-02T03:30:00.000Z' });
});

test('the contract refuses an empty or malformed remove request', () => {
  assert.equal(parseRequest('instances.remove', { instanceIds: [] }).ok, false);
  assert.equal(parseRequest('instances.remove', { instanceIds: ['../x'] }).ok, false);
  assert.equal(parseRequest('instances.remove', { instanceIds: ['a'], extra: 1 }).ok, false);
  assert.equal(parseRequest('instances.remove', { instanceIds: ['a', 'b-1'] }).ok, true);
});
