// The administrator's policy as the core enforces it: managed apps, locked settings,
// catalogue editing switched off. Real SQLite, a real policy file.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import type { ImportPreview, SettingsView } from '../../src-shared/contract';
import type { App } from '../../src-shared/model';
import { loadSettings } from '../../src-main/config/settings';
import { Core } from '../../src-main/core';
import { tempDataDir, TEST_HOST as HOST } from '../helpers/core';

const cores: Core[] = [];
after(async () => {
  for (const core of cores) await core.close();
});

async function coreWithPolicy(policy: object): Promise<Core> {
  const dir = await tempDataDir();
  const file = path.join(dir, 'policy.json');
  await fs.writeFile(file, JSON.stringify({ version: 1, ...policy }));
  const core = await Core.open(loadSettings(path.join(dir, 'data'), { DAAS_POLICY_FILE: file }));
  cores.push(core);
  return core;
}

async function result(core: Core, channel: string, payload: unknown) {
  return core.handle(channel, payload, HOST);
}

test('policy apps are in the catalogue, marked managed, and cannot be edited, deleted or overwritten', async () => {
  const core = await coreWithPolicy({
    apps: [{ id: 'office', name: 'Office desktop', provider: 'docker', docker: { image: 'corp/office:3', memory: '4g' } }],
    locked: { clipboardToDesktop: false },
    recommended: { orphanPolicy: 'adopt' },
  });
  const apps = (await result(core, 'apps.list', {})) as { ok: true; result: App[] };
  const office = apps.result.find((a) => a.id === 'office');
  assert.equal(office?.managed, true);
  assert.equal(office?.name, 'Office desktop');

  const update = await result(core, 'apps.update', { appId: 'office', app: { name: 'Mine', provider: 'docker', docker: { image: 'x/y:1' } } });
  assert.equal(update.ok, false);
  if (!update.ok) assert.match(update.error.message, /managed by your administrator/);
  assert.equal((await result(core, 'apps.delete', { appId: 'office' })).ok, false);
  const json = JSON.stringify({ version: 1, apps: [{ id: 'office', name: 'Hijack', provider: 'docker', docker: { image: 'evil/x:1' } }] });
  const preview = await result(core, 'catalogue.previewImport', { json });
  assert.ok(preview.ok);
  assert.equal((preview.result as ImportPreview).entries[0]?.refused, 'managed');
  const overwrite = await result(core, 'catalogue.import', { json, previewToken: (preview.result as ImportPreview).token });
  assert.equal(overwrite.ok, false);
  if (!overwrite.ok) assert.match(overwrite.error.message, /"office", which your administrator manages/);
  assert.equal((await core.apps.get('office'))?.name, 'Office desktop');

  const copy = await result(core, 'apps.duplicate', { appId: 'office' });
  assert.ok(copy.ok, 'a managed app can be duplicated into an app of the user’s own');
  assert.equal((copy.result as App).managed, false);

  const settings = (await result(core, 'settings.get', {})) as { ok: true; result: SettingsView };
  assert.deepEqual(settings.result.managed, ['clipboardToDesktop']);
  assert.equal(settings.result.clipboardToDesktop, false);
  assert.equal(settings.result.orphanPolicy, 'adopt', 'a recommended value applies');
  const locked = await result(core, 'settings.update', { clipboardToDesktop: true });
  assert.equal(locked.ok, false);
  const chosen = await result(core, 'settings.update', { orphanPolicy: 'remove' });
  assert.ok(chosen.ok, 'a recommended value can be changed by the user');
  assert.equal((chosen.result as SettingsView).orphanPolicy, 'remove');
});

test('with catalogue and endpoint editing locked off, changes are refused with a clear message', async () => {
  const core = await coreWithPolicy({ locked: { allowCatalogueEditing: false, allowEndpointEditing: false } });
  const create = await result(core, 'apps.create', { app: { name: 'Mine', provider: 'docker', docker: { image: 'x/y:1' } } });
  assert.equal(create.ok, false);
  if (!create.ok) assert.match(create.error.message, /administrator manages the catalogue/);
  const endpoint = await result(core, 'docker.endpoints.save', { name: 'Other', url: 'tcp://127.0.0.1:2375' });
  assert.equal(endpoint.ok, false);
  if (!endpoint.ok) assert.match(endpoint.error.message, /administrator manages the endpoints/);
  assert.ok((await result(core, 'apps.list', {})).ok, 'reading still works');
});

test('an invalid policy starts the app, ignores only the bad keys, and says what was ignored', async () => {
  const core = await coreWithPolicy({ locked: { readinessTimeoutSeconds: 'soon', notifications: false } });
  const settings = (await result(core, 'settings.get', {})) as { ok: true; result: SettingsView };
  assert.deepEqual(settings.result.managed, ['notifications']);
  assert.ok(settings.result.policyProblems.some((p) => /readinessTimeoutSeconds/.test(p)), settings.result.policyProblems.join('\n'));
});
