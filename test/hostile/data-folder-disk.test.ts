// Faults: the data folder's disk fills up or turns read-only, with a real tmpfs, real
// SQLite and real Docker. Every request says so in plain words (not INTERNAL), a start the
// disk cut short ends failed with its container removed, no row stays transient, and the
// database passes SQLite's integrity check afterwards.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Core } from '../../src-main/core';
import type { ErrorInfo } from '../../src-shared/errors';
import type { Instance } from '../../src-shared/model';
import { callCore, openCore, TEST_HOST, waitForState } from '../helpers/core';
import { integrityCheck, mountSmallDisk, smallDiskUnavailable, transientRows, type SmallDisk } from '../helpers/data-folder-disk';
import { containersOf, docker } from '../helpers/docker';
import { waitUntil } from '../helpers/x-apps';

const skip = smallDiskUnavailable();
let disk: SmallDisk;
let core: Core | undefined;
const started: string[] = [];
const logged: string[] = [];
const realError = console.error;
const realWarn = console.warn;

before(async () => {
  if (skip) return;
  disk = await mountSmallDisk(2);
  // What the app logs, to check the real cause is reported (not the rollback's).
  console.error = (...args: unknown[]) => {
    logged.push(args.map(String).join(' '));
    realError(...args);
  };
  console.warn = (...args: unknown[]) => {
    logged.push(args.map(String).join(' '));
    realWarn(...args);
  };
});

after(async () => {
  console.error = realError;
  console.warn = realWarn;
  await core?.close().catch(() => undefined);
  // Only the containers this file started.
  for (const id of started) {
    for (const c of await containersOf(id)) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  }
  disk?.free();
  await disk?.writable().catch(() => undefined);
  await disk?.unmount();
});

async function refused(channel: string, payload: unknown): Promise<ErrorInfo> {
  const result = await core!.handle(channel, payload, TEST_HOST);
  assert.equal(result.ok, false, `${channel} must fail on a full disk`);
  return (result as { ok: false; error: ErrorInfo }).error;
}

test('a full data-folder disk: every request says so, a cut-short start ends failed, nothing stays transient', { skip }, async () => {
  core = await openCore(disk.dir);
  // An import that would write a new app, previewed while the disk still had room.
  const json = JSON.stringify({ version: 1, apps: [{ id: 'disk-test', name: 'Disk test', provider: 'docker', docker: { image: 'daas/desktop:latest' } }] });
  const preview = await callCore<{ token: string }>(core, 'catalogue.previewImport', { json });
  const running = await callCore<Instance>(core, 'instances.start', { appId: 'linux-desktop' });
  started.push(running.id);
  await waitForState(core, running.id, 'running');

  // A start accepted just before the disk filled: its row exists, its container is on the way.
  const cut = await callCore<Instance>(core, 'instances.start', { appId: 'linux-desktop' });
  started.push(cut.id);
  disk.fill();

  // Windows learn at once that it failed, and why.
  const failed = await waitForState(core, cut.id, 'failed', 60_000);
  assert.match(failed.stateReason ?? '', new RegExp(`disk holding your data folder is full \\(${disk.dir}\\)`));
  assert.equal(failed.stateReasonText?.texts[0]?.key, 'error.storage.full');
  await waitUntil(async () => (await containersOf(cut.id)).length === 0, 30_000, 'the cut-short container to be removed');

  for (const [channel, payload] of [
    ['instances.start', { appId: 'linux-desktop' }],
    ['settings.update', { theme: 'dark' }],
    ['catalogue.import', { json, previewToken: preview.token }],
    ['instances.stop', { instanceId: running.id }],
  ] as const) {
    const error = await refused(channel, payload);
    assert.equal(error.code, 'STORAGE_UNAVAILABLE', `${channel}: ${error.message}`);
    assert.equal(error.message, `The disk holding your data folder is full (${disk.dir}).`, channel);
    assert.deepEqual(error.messageText, { key: 'error.storage.full', params: { path: disk.dir } });
  }
  // The refused stop changed nothing: the desktop still runs, and says so.
  assert.equal((await core.instances.get(running.id))?.state, 'running');
  assert.equal((await containersOf(running.id))[0]?.State, 'running');
  const listed = await callCore<Instance[]>(core, 'instances.list', {});
  assert.equal(listed.find((i) => i.id === cut.id)?.state, 'failed', 'the list shows the state still to be written');

  // Space comes back: the refused final state is written by the retry, with no request needed.
  disk.free();
  await waitUntil(async () => (await core!.instances.get(cut.id))?.state === 'failed', 30_000, 'the failed state to be written');
  const events = await core.instances.events(cut.id);
  assert.equal(events.at(-1)?.state, 'failed');
  assert.deepEqual(transientRows(disk.dir), []);

  // And everything works again.
  await callCore(core, 'instances.stop', { instanceId: running.id });
  assert.equal((await core.instances.get(running.id))?.state, 'stopped');
  assert.deepEqual(await containersOf(running.id), []);
  await core.close();
  core = undefined;
  assert.equal(integrityCheck(disk.dir), 'ok');
  assert.deepEqual(transientRows(disk.dir), []);
  assert.deepEqual(
    logged.filter((line) => /cannot rollback|no transaction is active/.test(line)),
    [],
    'the log names the real cause, not a failed rollback',
  );
});

test('opening on a full disk or a read-only data folder fails with the reason, and the database survives', { skip }, async () => {
  // The folder exists from the first test (or is made here).
  const first = await openCore(disk.dir);
  await first.close();

  // SQLite cannot even set up its shared-memory file: the app says why it cannot open.
  disk.fill();
  await assert.rejects(openCore(disk.dir), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'STORAGE_UNAVAILABLE');
    assert.equal(err.message, `The disk holding your data folder is full (${disk.dir}).`);
    return true;
  });
  disk.free();

  await disk.readOnly();
  await assert.rejects(openCore(disk.dir), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'STORAGE_UNAVAILABLE');
    assert.match(err.message, new RegExp(`cannot be written: its disk is read-only or the folder is write-protected \\(${disk.dir}\\)`));
    return true;
  });
  await disk.writable();

  core = await openCore(disk.dir);
  assert.ok((await core.apps.list()).some((a) => a.id === 'linux-desktop'));
  await core.close();
  core = undefined;
  assert.equal(integrityCheck(disk.dir), 'ok');
  assert.deepEqual(transientRows(disk.dir), []);
});
