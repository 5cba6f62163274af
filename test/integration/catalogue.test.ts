// Catalogue management through the core: real SQLite, validation a person can act on.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { catalogueJsonSchema } from '../../src-main/catalogue/catalogue-file';
import type { Core } from '../../src-main/core';
import type { ImportPreview } from '../../src-shared/contract';
import type { DockerApp as App } from '../../src-shared/model';
import { callCore, openCore, tempDataDir, TEST_HOST as HOST } from '../helpers/core';

let core: Core;

before(async () => {
  core = await openCore(await tempDataDir());
});
after(async () => core?.close());

const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);

async function failure(channel: string, payload: unknown) {
  const result = await core.handle(channel, payload, HOST);
  assert.equal(result.ok, false, `${channel} should fail`);
  return (result as { ok: false; error: { code: string; message: string; action: string } }).error;
}

const firefox = {
  name: 'Firefox kiosk',
  description: 'A browser',
  icon: '🦊',
  provider: 'docker',
  docker: { image: 'example/firefox:1', memory: '2g', cpus: 1.5, shmSize: '512m', env: { LANG: 'de_DE.UTF-8' }, command: ['firefox', '--kiosk'] },
  desktopWidth: 1600,
  desktopHeight: 900,
  idleTimeoutMinutes: 30,
};

test('the packaged catalogue is seeded on first run', async () => {
  const apps = await call<App[]>('apps.list', {});
  const desktop = apps.find((a) => a.id === 'linux-desktop');
  assert.ok(desktop?.builtIn);
  assert.equal(desktop.docker.image, 'daas/desktop:latest');
});

test('bad values are refused with messages a person understands', async () => {
  const memory = await failure('apps.create', { app: { ...firefox, docker: { ...firefox.docker, memory: 'lots' } } });
  assert.equal(memory.code, 'INVALID_REQUEST');
  assert.match(memory.message, /app\.docker\.memory/);
  assert.match(memory.message, /512m or 2g/);

  const name = await failure('apps.create', { app: { ...firefox, name: '  ' } });
  assert.match(name.message, /give the app a name/);

  const password = await failure('apps.create', { app: { ...firefox, docker: { ...firefox.docker, env: { VNC_PASSWORD: 'x' } } } });
  assert.match(password.message, /set by DaaS Desktop/);

  const port = await failure('apps.create', { app: { ...firefox, docker: { ...firefox.docker, vncPort: 70000 } } });
  assert.match(port.message, /vncPort/);
});

test('create, edit, duplicate and delete an app; changes are announced', async () => {
  const announced: App[][] = [];
  const unsubscribe = core.subscribe((e) => e.event === 'apps.changed' && announced.push(e.payload as App[]));

  const created = await call<App>('apps.create', { app: firefox });
  assert.match(created.id, /^firefox-kiosk-[0-9a-f]{4}$/);
  assert.equal(created.docker.memory, '2g');
  assert.deepEqual(created.docker.command, ['firefox', '--kiosk']);
  assert.equal(created.builtIn, false);

  const edited = await call<App>('apps.update', { appId: created.id, app: { ...firefox, name: 'Firefox', docker: { ...firefox.docker, memory: '1g' } } });
  assert.equal(edited.name, 'Firefox');
  assert.equal(edited.docker.memory, '1g');

  const copy = await call<App>('apps.duplicate', { appId: created.id });
  assert.notEqual(copy.id, created.id);
  assert.equal(copy.name, 'Firefox (copy)');
  assert.equal(copy.docker.memory, '1g');

  await call('apps.delete', { appId: copy.id });
  const ids = (await call<App[]>('apps.list', {})).map((a) => a.id);
  assert.ok(ids.includes(created.id));
  assert.ok(!ids.includes(copy.id));
  assert.equal((await failure('apps.update', { appId: copy.id, app: firefox })).code, 'APP_NOT_FOUND');

  unsubscribe();
  assert.equal(announced.length, 4, 'create, update, duplicate and delete each announce the catalogue');
  assert.ok(!announced.at(-1)!.some((a) => a.id === copy.id));
});

test('export then import restores the catalogue; a malformed import changes nothing and names the entry', async () => {
  const { json, fileName } = await call<{ json: string; fileName: string }>('catalogue.export', {});
  assert.match(fileName, /^daas-catalogue-\d{4}-\d{2}-\d{2}\.json$/);
  const before = await call<App[]>('apps.list', {});

  const file = JSON.parse(json);
  file.apps.push({ ...firefox, name: 'Good one' }, { ...firefox, name: 'Broken', docker: { ...firefox.docker, memory: '12 parsecs' } });
  const error = await failure('catalogue.previewImport', { json: JSON.stringify(file) });
  assert.match(error.message, new RegExp(`Entry ${file.apps.length} \\("Broken"\\)`));
  assert.match(error.message, /docker\.memory/);
  assert.deepEqual(await call<App[]>('apps.list', {}), before, 'nothing was imported');

  assert.match((await failure('catalogue.previewImport', { json: '{ nope' })).message, /not valid JSON/);
  // Where an editor would show it, not as a character offset; and no path into our sources.
  const unquoted = await failure('catalogue.previewImport', { json: '{\n  "version": 1,\n  nope\n}' });
  assert.match(unquoted.message, /not valid JSON: .* at line 3, column 3\.$/);
  assert.doesNotMatch(`${unquoted.message} ${unquoted.action}`, /position|resources\//);
  assert.match((await failure('catalogue.previewImport', { json: '{"version": 2, "apps": []}' })).message, /not a DaaS Desktop catalogue/);

  // Import of the export, after edits, brings the exported values back.
  const target = before.find((a) => a.name === 'Firefox')!;
  await call('apps.update', { appId: target.id, app: { ...firefox, name: 'Changed' } });
  const { token } = await call<ImportPreview>('catalogue.previewImport', { json });
  const { imported } = await call<{ imported: number }>('catalogue.import', { json, previewToken: token });
  assert.equal(imported, 1, 'only the edited app is written; the unchanged built-in app is left alone');
  assert.deepEqual(
    (await call<App[]>('apps.list', {})).map(({ builtIn: _b, ...a }) => a),
    before.map(({ builtIn: _b, ...a }) => a),
  );
});

test('the published catalogue schema matches the code', () => {
  const published = JSON.parse(fs.readFileSync(path.join(__dirname, '../../resources/schemas/catalogue.schema.json'), 'utf8'));
  assert.deepEqual(published, JSON.parse(JSON.stringify(catalogueJsonSchema())), 'run "npm run schemas" to refresh it');
});

test('an app with running instances cannot be deleted', async () => {
  // A row in "running" state is enough for the rule; no container is needed.
  const app = await call<App>('apps.create', { app: { ...firefox, name: 'Busy' } });
  await core.instances.create({ id: 'busy-1', appId: app.id, name: 'Busy #1', provider: 'docker', endpointId: 'local', connection: { protocol: 'vnc', host: '127.0.0.1', port: 1, password: 'x' } });
  await core.instances.transition('busy-1', 'starting');
  const error = await failure('apps.delete', { appId: app.id });
  assert.equal(error.code, 'INVALID_TRANSITION');
  assert.match(error.action, /Stop its instances first/);
  await core.instances.transition('busy-1', 'stopped');
  await call('apps.delete', { appId: app.id });
  const history = await core.instances.get('busy-1');
  assert.equal(history?.appName, 'Busy', 'the history keeps the deleted app name');
});

test('an app whose image is named "constructor" is not buildable, and a build is refused with a clear error', async () => {
  const app = await call<App>('apps.create', { app: { ...firefox, name: 'Prototype', docker: { image: 'constructor' } } });
  const status = await call<{ appId: string; buildable: boolean }[]>('images.status', {});
  assert.equal(status.find((s) => s.appId === app.id)?.buildable, false);
  const error = await failure('images.build', { appId: app.id });
  assert.equal(error.code, 'IMAGE_MISSING');
  assert.match(error.message, /constructor/);
});
