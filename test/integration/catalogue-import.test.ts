// Catalogue import through the core, real SQLite: a file is previewed (what it adds, replaces,
// refuses, and which entries send the desktop or a password elsewhere) before anything is
// written, and the import applies exactly that preview. A file can never alter a built-in or
// managed app: the rows stay as they were, byte for byte.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadSettings } from '../../src-main/config/settings';
import { Core } from '../../src-main/core';
import type { ImportPreview } from '../../src-shared/contract';
import type { DockerApp } from '../../src-shared/model';
import { appRows, catalogueFile } from '../helpers/catalogue-rows';
import { callCore, tempDataDir, TEST_HOST } from '../helpers/core';

let core: Core;
let dataDir: string;

before(async () => {
  const dir = await tempDataDir();
  const policy = path.join(dir, 'policy.json');
  await fs.writeFile(
    policy,
    JSON.stringify({ version: 1, apps: [{ id: 'office', name: 'Office desktop', provider: 'docker', docker: { image: 'corp/office:3' } }] }),
  );
  dataDir = path.join(dir, 'data');
  core = await Core.open(loadSettings(dataDir, { DAAS_POLICY_FILE: policy }));
});
after(async () => core?.close());

const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);
const preview = (json: string) => call<ImportPreview>('catalogue.previewImport', { json });
async function refusal(channel: string, payload: unknown) {
  const result = await core.handle(channel, payload, TEST_HOST);
  assert.equal(result.ok, false, `${channel} should be refused`);
  return (result as { ok: false; error: { code: string; message: string; action: string } }).error;
}

/** The attack from the issue: the built-in app as shipped, but its display sent to a guacd elsewhere. */
const hijack = {
  ...JSON.parse(readFileSync(path.join(__dirname, '../../resources/defaults/apps.json'), 'utf8')).apps[0],
  provider: 'docker',
  display: { gateway: 'guacd', guacd: { host: 'guacd.attacker.example', port: 4822 } },
};


test('an entry with the built-in app’s id is refused by name in the preview and by the import; its row is unchanged', async () => {
  const rowsBefore = appRows(dataDir);
  assert.ok(rowsBefore.some((r) => r.id === 'linux-desktop' && r.built_in === 1), 'the built-in app is there');

  const json = catalogueFile(hijack, { id: 'harmless', name: 'Harmless', provider: 'docker', docker: { image: 'x/y:1' } });
  const shown = await preview(json);
  const [builtIn, harmless] = shown.entries;
  assert.equal(builtIn?.action, 'refused');
  assert.equal(builtIn?.refused, 'builtIn');
  assert.deepEqual(builtIn?.changes, ['display.gateway', 'display.guacd']);
  assert.deepEqual(builtIn?.flags, [{ kind: 'remoteGuacd', address: 'guacd.attacker.example:4822' }]);
  assert.equal(harmless?.action, 'add');
  assert.deepEqual(appRows(dataDir), rowsBefore, 'a preview writes nothing');

  const error = await refusal('catalogue.import', { json, previewToken: shown.token });
  assert.equal(error.code, 'INVALID_REQUEST');
  assert.match(error.message, /"linux-desktop", an app built into DaaS Desktop/);
  assert.match(error.action, /another id/);
  assert.deepEqual(appRows(dataDir), rowsBefore, 'not one row changed: not the built-in app, not the harmless entry');
});

test('a deleted built-in app cannot be brought back altered by an import', async () => {
  const dir = await tempDataDir();
  const other = await Core.open(loadSettings(dir, {}));
  try {
    await callCore(other, 'apps.delete', { appId: 'linux-desktop' });
    const rowsBefore = appRows(dir);
    const json = catalogueFile(hijack);
    const shown = await callCore<ImportPreview>(other, 'catalogue.previewImport', { json });
    assert.equal(shown.entries[0]?.action, 'refused');
    const result = await other.handle('catalogue.import', { json, previewToken: shown.token }, TEST_HOST);
    assert.equal(result.ok, false);
    assert.deepEqual(appRows(dir), rowsBefore);
  } finally {
    await other.close();
  }
});

test('an app the administrator manages is refused as managed; the same settings again are merely unchanged', async () => {
  const rowsBefore = appRows(dataDir);
  const json = catalogueFile({ id: 'office', name: 'Office desktop', provider: 'docker', docker: { image: 'evil/office:1' } });
  const shown = await preview(json);
  assert.equal(shown.entries[0]?.refused, 'managed');
  assert.deepEqual(shown.entries[0]?.changes, ['docker.image']);
  const error = await refusal('catalogue.import', { json, previewToken: shown.token });
  assert.match(error.message, /"office", which your administrator manages/);
  assert.deepEqual(appRows(dataDir), rowsBefore);

  // An exported catalogue holds the built-in and managed apps as they are: it imports again.
  const { json: exported } = await call<{ json: string }>('catalogue.export', {});
  const again = await preview(exported);
  assert.ok(again.entries.length >= 2);
  assert.ok(again.entries.every((e) => e.action === 'unchanged'), JSON.stringify(again.entries.map((e) => [e.id, e.action, e.changes])));
  assert.deepEqual(await call('catalogue.import', { json: exported, previewToken: again.token }), { imported: 0 });
  assert.deepEqual(appRows(dataDir), rowsBefore, 'nothing rewritten, not even a timestamp');
});

test('the preview flags every entry that sends the desktop or a password elsewhere, or replaces an app', async () => {
  const mine = await call<DockerApp>('apps.create', { app: { name: 'Mine', provider: 'docker', docker: { image: 'daas/desktop:latest' } } });
  const vm = (display: object) => ({ provider: 'proxmox', proxmox: { endpointId: 'lab', templateVmid: 9000, display } });
  const json = catalogueFile(
    { id: mine.id, name: 'Mine, changed', provider: 'docker', docker: { image: 'other/desktop:2' } },
    { id: 'local-guacd', name: 'Local guacd', provider: 'docker', docker: { image: 'a/b:1' }, display: { gateway: 'guacd', guacd: { host: '127.0.0.2' } } },
    { id: 'v6-guacd', name: 'IPv6 guacd', provider: 'docker', docker: { image: 'a/b:1' }, display: { gateway: 'guacd', guacd: { host: '2001:db8::1', port: 4823 } } },
    { id: 'unused-guacd', name: 'Unused guacd', provider: 'docker', docker: { image: 'a/b:1' }, display: { gateway: 'embedded', guacd: { host: 'far.example' } } },
    { id: 'vnc-far', name: 'VNC far', ...vm({ kind: 'vnc', host: 'pve.example', port: 5977, password: 'secret' }) },
    { id: 'vnc-near', name: 'VNC near', ...vm({ kind: 'vnc', host: 'localhost', port: 5977 }) },
    { id: 'rdp-lax', name: 'RDP lax', ...vm({ kind: 'rdp', ignoreCert: true, security: 'rdp' }) },
    { id: 'rdp-strict', name: 'RDP strict', ...vm({ kind: 'rdp', security: 'nla' }) },
  );
  const rowsBefore = appRows(dataDir);
  const shown = await preview(json);
  const byId = new Map(shown.entries.map((e) => [e.id, e]));
  assert.equal(byId.get(mine.id)?.action, 'replace');
  assert.deepEqual(byId.get(mine.id)?.changes, ['docker.image', 'name']);
  assert.deepEqual(byId.get(mine.id)?.flags, [{ kind: 'replacesApp', name: 'Mine' }]);
  assert.deepEqual(byId.get('local-guacd')?.flags, [], 'a guacd on this machine is fine');
  assert.deepEqual(byId.get('v6-guacd')?.flags, [{ kind: 'remoteGuacd', address: '[2001:db8::1]:4823' }]);
  assert.deepEqual(byId.get('unused-guacd')?.flags, [], 'a guacd address the gateway does not use sends nothing');
  assert.deepEqual(byId.get('vnc-far')?.flags, [{ kind: 'remoteVnc', address: 'pve.example:5977' }]);
  assert.deepEqual(byId.get('vnc-near')?.flags, []);
  assert.deepEqual(byId.get('rdp-lax')?.flags, [{ kind: 'certChecksOff' }, { kind: 'rdpWithoutTls' }]);
  assert.deepEqual(byId.get('rdp-strict')?.flags, []);
  assert.deepEqual(appRows(dataDir), rowsBefore);

  // Confirmed: applied as previewed.
  assert.deepEqual(await call('catalogue.import', { json, previewToken: shown.token }), { imported: 8 });
  assert.equal(((await core.apps.get(mine.id)) as DockerApp).docker.image, 'other/desktop:2');
  assert.equal((await core.apps.get('linux-desktop'))?.display.gateway, 'default');
});

test('entries without an id get the same new id in the preview and the import', async () => {
  const json = catalogueFile({ name: 'No id', provider: 'docker', docker: { image: 'a/b:1' } }, { name: 'No id', provider: 'docker', docker: { image: 'a/b:2' } });
  const shown = await preview(json);
  assert.deepEqual(shown.entries.map((e) => e.action), ['add', 'add']);
  const [first, second] = shown.entries.map((e) => e.id);
  assert.match(first!, /^no-id-[0-9a-f]{4}$/);
  assert.notEqual(first, second);
  assert.deepEqual(await call('catalogue.import', { json, previewToken: shown.token }), { imported: 2 });
  assert.equal((await core.apps.get(first!))?.name, 'No id');
});

test('an import needs the preview of that very file and catalogue: no token, another file’s or a stale one is refused', async () => {
  const json = catalogueFile({ id: 'later', name: 'Later', provider: 'docker', docker: { image: 'a/b:1' } });
  const shown = await preview(json);
  const rowsBefore = appRows(dataDir);

  assert.match((await refusal('catalogue.import', { json })).message, /previewToken/);
  for (const previewToken of ['', 'x'.repeat(43), shown.token.slice(0, -1)]) {
    assert.match((await refusal('catalogue.import', { json, previewToken })).message, /changed since the import was previewed/);
  }
  const otherFile = catalogueFile({ id: 'later', name: 'Later', provider: 'docker', docker: { image: 'a/b:1' }, display: { gateway: 'guacd', guacd: { host: 'evil.example' } } });
  assert.match((await refusal('catalogue.import', { json: otherFile, previewToken: shown.token })).message, /changed since/);
  assert.deepEqual(appRows(dataDir), rowsBefore);

  // The catalogue changes under the preview (an app with that id appears): "add" no longer holds.
  const first = catalogueFile({ id: 'later', name: 'First', provider: 'docker', docker: { image: 'a/b:1' } });
  await call('catalogue.import', { json: first, previewToken: (await preview(first)).token });
  const stale = await refusal('catalogue.import', { json, previewToken: shown.token });
  assert.match(stale.action, /look at what it will change/);
  assert.equal((await core.apps.get('later'))?.name, 'First');
});
