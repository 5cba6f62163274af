// Every precedence case of the configuration layers:
//   built-in < packaged < policy recommended < user < policy locked < DAAS_* environment
// (the environment layer only when the app is not packaged)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { developmentEnv, envNameOf, envSettingsLayer } from '../../src-main/config/env-settings';
import { loadPackagedDefaults } from '../../src-main/config/packaged-defaults';
import { LAYER_ORDER, resolveSettings, type LayerName, type SettingsLayers } from '../../src-main/config/resolve-settings';
import { loadSettings } from '../../src-main/config/settings';
import { BUILT_IN_SETTINGS, SETTING_KEYS, settingSchemas } from '../../src-shared/settings';
import { UserSettings } from '../../src-main/config/user-settings';
import { openDatabase, type Db } from '../../src-main/store/database';
import { SettingsRepository } from '../../src-main/store/settings-repository';
import { DaasError } from '../../src-shared/errors';

const UPPER_LAYERS = LAYER_ORDER.filter((l): l is Exclude<LayerName, 'builtIn'> => l !== 'builtIn');

// A distinct, valid readiness timeout per layer, so the winner is visible in the value.
const VALUE_OF: Record<LayerName, number> = { builtIn: 30, packaged: 40, recommended: 50, user: 60, locked: 70, env: 80 };

function subsets<T>(items: readonly T[]): T[][] {
  return Array.from({ length: 2 ** items.length }, (_, mask) => items.filter((_, i) => mask & (1 << i)));
}

test('every combination of layers: the highest layer that sets a key wins', () => {
  for (const present of subsets(UPPER_LAYERS)) {
    const layers: SettingsLayers = { builtIn: BUILT_IN_SETTINGS };
    for (const name of present) layers[name] = { readinessTimeoutSeconds: VALUE_OF[name] };
    const resolved = resolveSettings(layers);
    const winner: LayerName = present.at(-1) ?? 'builtIn';
    const label = present.join(' + ') || 'built-in only';
    assert.equal(resolved.values.readinessTimeoutSeconds, winner === 'builtIn' ? BUILT_IN_SETTINGS.readinessTimeoutSeconds : VALUE_OF[winner], label);
    assert.equal(resolved.sources.readinessTimeoutSeconds, winner, label);
    assert.deepEqual(resolved.locked, present.includes('locked') ? ['readinessTimeoutSeconds'] : [], label);
  }
});

test('each pair of layers, in both orders of appearance in the object, resolves by rank not by key order', () => {
  for (const [i, low] of LAYER_ORDER.entries()) {
    for (const high of LAYER_ORDER.slice(i + 1)) {
      const layers = { builtIn: BUILT_IN_SETTINGS } as SettingsLayers;
      // Insert the higher layer first: order of properties must not matter.
      if (high !== 'builtIn') layers[high] = { orphanPolicy: 'adopt' };
      if (low !== 'builtIn') layers[low] = { orphanPolicy: 'remove' };
      const resolved = resolveSettings(layers);
      assert.equal(resolved.values.orphanPolicy, 'adopt', `${high} over ${low}`);
      assert.equal(resolved.sources.orphanPolicy, high);
    }
  }
});

test('layers are per key: a higher layer setting one key leaves the others to lower layers', () => {
  const resolved = resolveSettings({
    builtIn: BUILT_IN_SETTINGS,
    packaged: { theme: 'dark', notifications: false },
    recommended: { theme: 'light', idleTimeoutMinutes: 60 },
    user: { idleTimeoutMinutes: 15, clipboardToDesktop: false },
    locked: { clipboardToDesktop: true },
  });
  assert.equal(resolved.values.theme, 'light');
  assert.equal(resolved.values.notifications, false);
  assert.equal(resolved.values.idleTimeoutMinutes, 15);
  assert.equal(resolved.values.clipboardToDesktop, true);
  assert.equal(resolved.values.orphanPolicy, BUILT_IN_SETTINGS.orphanPolicy);
  assert.deepEqual(resolved.locked, ['clipboardToDesktop']);
  assert.equal(resolved.sources.orphanPolicy, 'builtIn');
});

test('null is a value (no idle timeout) and overrides; undefined means "not set here"', () => {
  const resolved = resolveSettings({
    builtIn: BUILT_IN_SETTINGS,
    recommended: { idleTimeoutMinutes: 60, guacd: { host: 'g', port: 4822 } },
    user: { idleTimeoutMinutes: null, guacd: undefined },
  });
  assert.equal(resolved.values.idleTimeoutMinutes, null);
  assert.equal(resolved.sources.idleTimeoutMinutes, 'user');
  assert.deepEqual(resolved.values.guacd, { host: 'g', port: 4822 });
  const locked = resolveSettings({ builtIn: BUILT_IN_SETTINGS, locked: { guacd: null, theme: undefined } });
  assert.deepEqual(locked.locked, ['guacd']);
});

test('the built-in defaults are complete and valid', () => {
  for (const key of SETTING_KEYS) assert.ok(settingSchemas[key].safeParse(BUILT_IN_SETTINGS[key]).success, key);
  assert.deepEqual(Object.keys(BUILT_IN_SETTINGS).sort(), [...SETTING_KEYS].sort());
});

test('DAAS_* variables: one per key, parsed as JSON or text, bad values stop with the variable named', () => {
  assert.equal(envNameOf('readinessTimeoutSeconds'), 'DAAS_READINESS_TIMEOUT_SECONDS');
  assert.deepEqual(
    envSettingsLayer({ DAAS_ORPHAN_POLICY: 'adopt', DAAS_CLIPBOARD_FROM_DESKTOP: 'false', DAAS_IDLE_TIMEOUT_MINUTES: 'null', DAAS_GUACD: '{"host":"127.0.0.1","port":4822}', DAAS_THEME: '' }),
    { orphanPolicy: 'adopt', clipboardFromDesktop: false, idleTimeoutMinutes: null, guacd: { host: '127.0.0.1', port: 4822 } },
  );
  assert.deepEqual(envSettingsLayer({ DAAS_READINESS_TIMEOUT_MS: '2500' }), { readinessTimeoutSeconds: 2.5 });
  assert.throws(() => envSettingsLayer({ DAAS_ORPHAN_POLICY: 'keep' }), /DAAS_ORPHAN_POLICY=keep/);
  assert.throws(() => envSettingsLayer({ DAAS_READINESS_TIMEOUT_MS: '-1' }), /positive integer/);
});

// --- The same layers from real files and a real SQLite store ---------------------------

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'daas-config-'));
const dbs: Db[] = [];
after(async () => {
  for (const db of dbs) await db.destroy();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function writeJson(file: string, value: unknown): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}

let caseNo = 0;
/** A fresh folder layout: defaults/, admin/, policy.json, data/. */
function layout(files: { defaults?: object; admin?: object; policy?: object }) {
  const dir = path.join(tmp, `case-${++caseNo}`);
  const defaultsDir = path.join(dir, 'defaults');
  const adminDir = path.join(dir, 'admin');
  fs.mkdirSync(defaultsDir, { recursive: true });
  fs.copyFileSync(path.resolve('resources/defaults/apps.json'), path.join(defaultsDir, 'apps.json'));
  if (files.defaults) writeJson(path.join(defaultsDir, 'settings.json'), files.defaults);
  if (files.admin) writeJson(path.join(adminDir, 'settings.json'), files.admin);
  const policyFile = path.join(dir, 'policy.json');
  if (files.policy) writeJson(policyFile, files.policy);
  return { dir, env: { DAAS_DEFAULTS_DIR: defaultsDir, DAAS_ADMIN_DIR: adminDir, DAAS_POLICY_FILE: policyFile } as NodeJS.ProcessEnv };
}

async function userSettingsFor(dir: string, env: NodeJS.ProcessEnv) {
  const settings = loadSettings(path.join(dir, 'data'), env);
  const db = await openDatabase(settings.dataDir);
  dbs.push(db);
  return { settings, user: new UserSettings(new SettingsRepository(db), settings) };
}

test('files and store: defaults < admin defaults < recommended < user < locked < env', async () => {
  const { dir, env } = layout({
    defaults: { theme: 'dark', notifications: false, idleTimeoutMinutes: 5, orphanPolicy: 'adopt', quitBehaviour: 'stop-all' },
    admin: { theme: 'light', idleTimeoutMinutes: 10 },
    policy: { version: 1, recommended: { idleTimeoutMinutes: 20, language: 'de' }, locked: { orphanPolicy: 'remove', clipboardFromDesktop: false } },
  });
  const { user } = await userSettingsFor(dir, { ...env, DAAS_CLIPBOARD_FROM_DESKTOP: 'true' });
  await user.update({ idleTimeoutMinutes: 30, language: 'en' });
  const state = await user.get();
  assert.equal(state.notifications, false, 'packaged over built-in');
  assert.equal(state.theme, 'light', 'admin defaults over packaged defaults');
  assert.equal(state.quitBehaviour, 'stop-all', 'packaged value kept where nothing higher sets it');
  assert.equal(state.idleTimeoutMinutes, 30, 'user over recommended');
  assert.equal(state.language, 'en', 'user over recommended');
  assert.equal(state.orphanPolicy, 'remove', 'locked over packaged');
  assert.equal(state.clipboardFromDesktop, true, 'env over locked');
  assert.deepEqual(state.managed, ['orphanPolicy', 'clipboardFromDesktop']);
  assert.deepEqual(state.policyProblems, []);
});

test('packaged: no DAAS_* variable but DAAS_DATA_DIR is read, so nothing in the environment beats the policy (end to end: test/hostile/policy-env.test.ts)', () => {
  const { dir, env } = layout({ policy: { version: 1, locked: { allowCatalogueEditing: false, guacd: { host: '127.0.0.1', port: 4822 } } } });
  const hostile = { ...env, DAAS_ALLOW_CATALOGUE_EDITING: 'true', DAAS_GUACD: '{"host":"10.9.9.9","port":4822}', DAAS_THEME: 'dark', DAAS_DATA_DIR: path.join(dir, 'mine') };
  // Unpackaged (development and tests): the environment is the top layer.
  const dev = loadSettings(path.join(dir, 'data'), hostile, { packaged: false });
  assert.equal(dev.policy.file, env.DAAS_POLICY_FILE);
  assert.deepEqual(dev.layers.env, { allowCatalogueEditing: true, guacd: { host: '10.9.9.9', port: 4822 }, theme: 'dark' });
  // Packaged: the policy file, the admin and defaults folders and every setting come from the installation.
  const packaged = loadSettings(path.join(dir, 'data'), hostile, { packaged: true });
  assert.notEqual(packaged.policy.file, env.DAAS_POLICY_FILE);
  assert.deepEqual(packaged.layers.env, {});
  assert.equal(packaged.dataDir, path.join(dir, 'mine'), 'the data folder is the user\'s own choice');
  assert.deepEqual(packaged.ignoredEnv?.sort(), ['DAAS_ADMIN_DIR', 'DAAS_ALLOW_CATALOGUE_EDITING', 'DAAS_DEFAULTS_DIR', 'DAAS_GUACD', 'DAAS_POLICY_FILE', 'DAAS_THEME']);
  // DAAS_POLICY_FILE=/dev/null no longer discards a policy in a packaged app.
  assert.equal(developmentEnv({ DAAS_POLICY_FILE: '/dev/null' }, true).env.DAAS_POLICY_FILE, undefined);
});

test('a user choice survives a later change of recommended values; an untouched key follows it', async () => {
  const first = layout({ policy: { version: 1, recommended: { idleTimeoutMinutes: 20, theme: 'dark' } } });
  const { user, settings } = await userSettingsFor(first.dir, first.env);
  await user.update({ theme: 'light' });
  // The administrator edits the policy; the app starts again on the same data folder.
  writeJson(first.env.DAAS_POLICY_FILE!, { version: 1, recommended: { idleTimeoutMinutes: 45, theme: 'dark' } });
  const again = new UserSettings(new SettingsRepository(dbs.at(-1)!), loadSettings(settings.dataDir, first.env));
  const state = await again.get();
  assert.equal(state.theme, 'light');
  assert.equal(state.idleTimeoutMinutes, 45);
});

test('locking a key the user had set: the locked value wins, and the user can no longer change it', async () => {
  const { dir, env } = layout({ policy: { version: 1, locked: { readinessTimeoutSeconds: 90 } } });
  const { user } = await userSettingsFor(dir, env);
  await assert.rejects(user.update({ readinessTimeoutSeconds: 20 }), (err: unknown) => {
    assert.ok(err instanceof DaasError);
    assert.match(err.message, /managed by your administrator/);
    return true;
  });
  assert.equal((await user.get()).readinessTimeoutSeconds, 90);
  // Unlocked keys in the same request are not stored either: a request is all or nothing.
  await assert.rejects(user.update({ theme: 'dark', readinessTimeoutSeconds: 20 }));
  assert.equal((await user.get()).theme, 'system');
});

test('the user layer rejects invalid values and unknown keys, and keeps only what the user chose', async () => {
  const { dir, env } = layout({});
  const { user } = await userSettingsFor(dir, env);
  await assert.rejects(user.update({ readinessTimeoutSeconds: 1 }), /The value for "readinessTimeoutSeconds" is not valid/);
  await assert.rejects(user.update({ nonsense: true } as never), /no setting "nonsense"/);
  await user.update({ orphanPolicy: 'adopt' });
  const stored = await new SettingsRepository(dbs.at(-1)!).get<object>('user');
  assert.deepEqual(stored, { orphanPolicy: 'adopt' });
});

test('values stored by an older version that are no longer valid are dropped, not fatal', async () => {
  const { dir, env } = layout({});
  const { user } = await userSettingsFor(dir, env);
  await new SettingsRepository(dbs.at(-1)!).set('user', { orphanPolicy: 'keep', readinessTimeoutSeconds: 45, gone: 1 });
  const state = await user.get();
  assert.equal(state.orphanPolicy, 'remove');
  assert.equal(state.readinessTimeoutSeconds, 45);
});

test('Settings carries the readiness timeout resolved below the user layer, and tests may lower it', async () => {
  const { dir, env } = layout({ policy: { version: 1, recommended: { readinessTimeoutSeconds: 50 } } });
  const settings = loadSettings(path.join(dir, 'data'), env);
  assert.equal(settings.readinessTimeoutMs, 50_000);
  const db = await openDatabase(settings.dataDir);
  dbs.push(db);
  // test/helpers/core.ts overrides readinessTimeoutMs: it acts as the lowest layer.
  const lowered = new UserSettings(new SettingsRepository(db), { ...loadSettings(settings.dataDir, { ...env, DAAS_POLICY_FILE: path.join(dir, 'none.json') }), readinessTimeoutMs: 20_000 });
  assert.equal((await lowered.get()).readinessTimeoutSeconds, 20);
});

test('packaged defaults: the admin folder wins over resources/defaults; bad keys are named and skipped', () => {
  const dir = path.join(tmp, 'packaged');
  writeJson(path.join(dir, 'a', 'settings.json'), { $schema: 'x', theme: 'dark', notifications: 'yes', bogus: 1 });
  writeJson(path.join(dir, 'b', 'settings.json'), { theme: 'light' });
  fs.mkdirSync(path.join(dir, 'c'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'c', 'settings.json'), '{ nope');
  const result = loadPackagedDefaults([path.join(dir, 'a'), path.join(dir, 'b'), path.join(dir, 'c'), path.join(dir, 'missing')]);
  assert.deepEqual(result.values, { theme: 'light' });
  assert.equal(result.problems.length, 3);
  assert.match(result.problems[0]!, /a[/\\]settings\.json\.notifications: .*ignored/);
  assert.match(result.problems[1]!, /bogus: unknown setting/);
  assert.match(result.problems[2]!, /not valid JSON/);
});

test('the shipped resources/defaults/settings.json is valid', () => {
  const result = loadPackagedDefaults([path.resolve('resources/defaults')]);
  assert.deepEqual(result.problems, []);
  assert.ok(Object.keys(result.values).length > 0);
});

test('an admin apps.json replaces the packaged catalogue', () => {
  const { dir, env } = layout({});
  assert.equal(loadSettings(dir, env).defaultsDir, env.DAAS_DEFAULTS_DIR);
  fs.mkdirSync(env.DAAS_ADMIN_DIR!, { recursive: true });
  fs.copyFileSync(path.resolve('resources/defaults/apps.json'), path.join(env.DAAS_ADMIN_DIR!, 'apps.json'));
  assert.equal(loadSettings(dir, env).defaultsDir, env.DAAS_ADMIN_DIR);
});
