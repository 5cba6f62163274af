// Lifecycle, reconcile, adoption and idle stop against a provider written in the test
// (test/helpers/fake-provider.ts), on the real store (SQLite in a temp data folder), without
// Docker: the same logic the Docker tests drive, with failures injected where Docker cannot.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { appConfigSchema } from '../../src-shared/app-config';
import type { DaasEvent } from '../../src-shared/contract';
import { DaasError } from '../../src-shared/errors';
import { errorText } from '../../src-shared/error-texts';
import type { App, InstanceState } from '../../src-shared/model';
import { adoptResource } from '../../src-main/lifecycle/adopt';
import { IdleMonitor } from '../../src-main/lifecycle/idle-monitor';
import { EventBus } from '../../src-main/lifecycle/instance-events';
import { Lifecycle } from '../../src-main/lifecycle/lifecycle';
import { reconcile, type ReconcileOptions } from '../../src-main/lifecycle/reconcile';
import type { ProviderEntry, ProviderRegistry } from '../../src-main/providers/providers';
import { AppsRepository } from '../../src-main/store/apps-repository';
import { openDatabase, type Db } from '../../src-main/store/database';
import { InstancesRepository } from '../../src-main/store/instances-repository';
import { FakeProvider } from '../helpers/fake-provider';
import { tempDataDir } from '../helpers/core';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let db: Db;
let apps: AppsRepository;
let instances: InstancesRepository;
let fake: FakeProvider;
let entry: ProviderEntry;
let lifecycle: Lifecycle;
let events: { id: string; state: InstanceState }[];
let app: App;

beforeEach(async () => {
  db = await openDatabase(await tempDataDir());
  apps = new AppsRepository(db);
  instances = new InstancesRepository(db);
  fake = new FakeProvider();
  entry = { kind: 'docker', endpointId: 'local', provider: fake };
  const registry: ProviderRegistry = {
    forApp: async () => entry,
    // The fake runs Docker-shaped apps: their docker section is the launch configuration.
    launchConfig: async (a) => (a.provider === 'docker' ? a.docker : undefined),
    of: () => fake,
  };
  const bus = new EventBus();
  events = [];
  bus.subscribe((event: DaasEvent) => {
    if (event.event === 'instance.changed') events.push({ id: event.payload.id, state: event.payload.state });
  });
  lifecycle = new Lifecycle(apps, instances, registry, bus, { readinessTimeoutMs: async () => 10_000 });
  app = await apps.create(appConfigSchema.parse({ name: 'Fake desktop', provider: 'docker', docker: { image: 'daas/desktop:latest' }, idleTimeoutMinutes: 1 }));
});

afterEach(async () => {
  await lifecycle.settledAll();
  lifecycle.stopRetrying();
  await fake.close();
  await db.destroy();
});

const statesOf = (id: string) => events.filter((e) => e.id === id).map((e) => e.state);
const options = (overrides: Partial<ReconcileOptions> = {}): ReconcileOptions => ({
  orphanPolicy: 'remove',
  keepFailedHours: null,
  readinessTimeoutMs: 10_000,
  ...overrides,
});
const deps = () => ({ instances, lifecycle, adopt: (e: ProviderEntry, r: { resourceId: string; instanceId: string; appId: string }) => adoptResource(e, r, apps, instances, lifecycle) });

async function running(): Promise<string> {
  const { id } = await lifecycle.start(app.id);
  await lifecycle.settled(id);
  assert.equal((await instances.get(id))?.state, 'running');
  return id;
}

test('start: creating, then starting once the resource exists, then running once its desktop answers', async () => {
  const started = await lifecycle.start(app.id);
  assert.equal(started.state, 'creating');
  await lifecycle.settled(started.id);

  assert.deepEqual(statesOf(started.id), ['creating', 'starting', 'running']);
  const row = await instances.get(started.id);
  const resource = fake.resources.get(started.id)!;
  assert.equal(row?.state, 'running');
  assert.equal(row?.resourceId, resource.resourceId);
  assert.deepEqual(fake.calls.map((c) => c.method), ['preflight', 'launch']);
  const [spec] = fake.callsOf('launch')[0] as [{ instanceId: string; appId: string; config?: { image: string }; vncPassword: string }];
  assert.equal(spec.instanceId, started.id);
  assert.equal(spec.config?.image, 'daas/desktop:latest');
  const connection = await instances.getConnection(started.id);
  assert.equal(connection?.port, resource.port, 'the viewer is sent where the desktop answers');
  assert.equal(connection?.password, spec.vncPassword);
});

test('a failed preflight refuses the start with its error and writes no row', async () => {
  const refusal = new DaasError('PROVIDER_FAILED', errorText('error.docker.notConfigured', { endpointId: 'local' }), errorText('fix.endpoint.addOrPickAnother'));
  fake.failNext('preflight', refusal);
  await assert.rejects(lifecycle.start(app.id), (err) => err === refusal);
  assert.deepEqual(await instances.list(), []);
  assert.deepEqual(fake.callsOf('launch'), []);
});

test('a failed start is failed with the reason and the last log lines, and leaves nothing behind', async () => {
  fake.failNext('launch', new Error('port already allocated'));
  // The resource exists (onCreated ran) when the start fails: its logs explain why.
  fake.logsOnCreate = 'Xvnc: cannot bind';
  const { id } = await lifecycle.start(app.id);
  await lifecycle.settled(id);

  assert.deepEqual(statesOf(id), ['creating', 'failed']);
  const row = await instances.get(id);
  assert.equal(row?.state, 'failed');
  assert.match(row?.stateReason ?? '', /port already allocated/);
  assert.match(row?.stateReason ?? '', /Xvnc: cannot bind/);
  assert.deepEqual(fake.callsOf('remove'), [[id, { force: true }]]);
  assert.equal(fake.resources.size, 0);
});

test('stop: stopping, then stopped once the resource is removed', async () => {
  const id = await running();
  const stopped = await lifecycle.stop(id);

  assert.equal(stopped.state, 'stopped');
  assert.equal(stopped.stateReason, 'Stopped by the user.');
  assert.deepEqual(statesOf(id), ['creating', 'starting', 'running', 'stopping', 'stopped']);
  assert.equal(fake.resources.size, 0);
  assert.equal((await instances.getConnection(id))?.password, '', 'the password is forgotten when the instance ends');
});

test('a stop the provider fails leaves the instance failed with why, and the error reaches the caller', async () => {
  const id = await running();
  fake.failNext('remove', new Error('engine unreachable'));
  await assert.rejects(lifecycle.stop(id), /engine unreachable/);
  const row = await instances.get(id);
  assert.equal(row?.state, 'failed');
  assert.match(row?.stateReason ?? '', /engine unreachable/);
});

test('stopping a stopped instance is refused and asks the provider nothing', async () => {
  const id = await running();
  await lifecycle.stop(id);
  const removes = fake.callsOf('remove').length;

  await assert.rejects(lifecycle.stop(id), (err) => err instanceof DaasError && err.code === 'INVALID_TRANSITION' && /already stopped/.test(err.message));
  assert.equal(fake.callsOf('remove').length, removes);
  assert.equal((await instances.get(id))?.state, 'stopped');
});

test('a resource that dies outside the app fails its instance, with its exit code', async () => {
  const id = await running();
  const handled: Promise<void>[] = [];
  fake.watch((event) => handled.push(lifecycle.onResourceEvent(event)), () => undefined);
  fake.resources.get(id)!.logs = 'segfault in Xvnc';
  await fake.stopOutside(id, 3);
  await Promise.all(handled);
  const row = await instances.get(id);
  assert.equal(row?.state, 'failed');
  assert.match(row?.stateReason ?? '', /code 3/);
  assert.match(row?.stateReason ?? '', /segfault in Xvnc/);
  assert.equal(fake.resources.size, 0, 'the dead resource is removed');
});

test('reconcile: a running row whose resource is gone becomes stopped', async () => {
  const id = await running();
  await fake.removeOutside(id, false);

  await reconcile(entry, options(), deps());
  const row = await instances.get(id);
  assert.equal(row?.state, 'stopped');
  assert.equal(row?.stateReason, 'Its container or VM was gone when DaaS Desktop looked.');
});

test('reconcile: a labelled orphan is removed under the "remove" policy', async () => {
  await fake.orphan('crashed-start', app.id, { running: true });
  await reconcile(entry, options({ orphanPolicy: 'remove' }), deps());
  assert.equal(fake.resources.size, 0);
  assert.deepEqual(await instances.list(), []);
});

test('reconcile: a running orphan is adopted under the "adopt" policy, at its own address', async () => {
  const orphan = await fake.orphan('crashed-start', app.id, { running: true });
  await reconcile(entry, options({ orphanPolicy: 'adopt' }), deps());

  const row = await instances.get('crashed-start');
  assert.equal(row?.state, 'running');
  assert.equal(row?.name, 'Fake desktop (adopted)');
  assert.equal(row?.resourceId, orphan.resourceId);
  assert.deepEqual(await instances.getConnection('crashed-start'), { instanceId: 'crashed-start', protocol: 'vnc', host: '127.0.0.1', port: orphan.port, password: 'orphan12' });
  assert.ok(fake.resources.has('crashed-start'), 'an adopted resource is kept');
});

test('reconcile: an orphan of an unknown app, or one without an owner mark, is not adopted', async () => {
  await fake.orphan('other-app', 'no-such-app', { running: true });
  await fake.orphan('not-ours', app.id, { running: true, ownerUnknown: true });
  await reconcile(entry, options({ orphanPolicy: 'adopt' }), deps());

  assert.deepEqual(await instances.list(), []);
  assert.deepEqual([...fake.resources.keys()], ['not-ours'], 'the unknown app\'s orphan is removed; another installation\'s is left alone');
});

test('reconcile: a running row whose resource stopped is failed and kept, until the setting\'s hours pass', async () => {
  const id = await running();
  await fake.stopOutside(id, null, false);

  await reconcile(entry, options({ keepFailedHours: 2 }), deps());
  let row = await instances.get(id);
  assert.equal(row?.state, 'failed');
  assert.match(row?.stateReason ?? '', /kept/i);
  assert.ok(fake.resources.has(id), 'kept with the user\'s files');

  // Still within the hours: kept.
  await reconcile(entry, options({ keepFailedHours: 2, now: new Date(Date.now() + HOUR) }), deps());
  assert.equal((await instances.get(id))?.state, 'failed');
  assert.ok(fake.resources.has(id));

  await reconcile(entry, options({ keepFailedHours: 2, now: new Date(Date.now() + 3 * HOUR) }), deps());
  row = await instances.get(id);
  assert.equal(row?.state, 'stopped');
  assert.equal(row?.stateReason, 'Its container or VM was removed 2 hours after the instance failed.');
  assert.equal(fake.resources.size, 0);
});

test('reconcile: a failed-and-kept instance whose resource runs again is re-attached at its new address', async () => {
  const id = await running();
  await fake.stopOutside(id, null, false);
  await reconcile(entry, options(), deps());
  assert.equal((await instances.get(id))?.state, 'failed');

  await fake.startOutside(id);
  await reconcile(entry, options(), deps());
  const row = await instances.get(id);
  assert.equal(row?.state, 'running');
  assert.equal(row?.stateReason, 'Its engine started it again; DaaS Desktop re-attached it.');
  assert.equal((await instances.getConnection(id))?.port, fake.resources.get(id)!.port);
});

test('idle stop: an unviewed instance is stopped once its app\'s timeout passes, a viewed one is not', async () => {
  const id = await running();
  let viewers = 1;
  const idle = new IdleMonitor(apps, instances, lifecycle, { viewerCount: () => viewers, lastActivityAt: () => undefined });

  assert.deepEqual(await idle.check(Date.now() + 10 * MINUTE), [], 'a viewer keeps it alive');
  viewers = 0;
  assert.deepEqual(await idle.check(Date.now() + 0.5 * MINUTE), [], 'not idle long enough yet');
  assert.deepEqual(await idle.check(Date.now() + 2 * MINUTE), [id]);

  const row = await instances.get(id);
  assert.equal(row?.state, 'stopped');
  assert.match(row?.stateReason ?? '', /1 minute without a viewer or input/);
  assert.equal(fake.resources.size, 0);
});
