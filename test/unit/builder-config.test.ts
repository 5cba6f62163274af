// electron-builder.yml, checked without building (Electron cannot be downloaded here):
// against electron-builder's own JSON schema, and for what this project needs of it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import Ajv from 'ajv';
import yaml from 'js-yaml';
import type { Configuration } from 'electron-builder';
import { DEEP_LINK_SCHEME } from '../../src-main/electron/deep-link';

const config = yaml.load(fs.readFileSync(path.resolve('electron-builder.yml'), 'utf8')) as Configuration;
const scheme = JSON.parse(fs.readFileSync(path.resolve('node_modules/app-builder-lib/scheme.json'), 'utf8')) as object;
// electron-builder validates with these options (app-builder-lib/out/util/config/schemaValidator.js),
// except type coercion: the file should be right as written.
const validate = new Ajv({ allErrors: true, strict: false }).compile(scheme);

test('electron-builder.yml is valid by electron-builder\'s own schema', () => {
  assert.ok(validate(config), JSON.stringify(validate.errors, null, 2));
});

test('the schema check is live: a misspelt option fails it', () => {
  const broken = structuredClone(config) as Configuration & { nsis: Record<string, unknown> };
  broken.nsis.perMachne = true;
  assert.equal(validate(broken), false);
  assert.equal(validate({ ...config, electronFuses: { runAsNode: 'no' } }), false);
});

test('installers for every platform: AppImage, deb, rpm, NSIS and dmg', () => {
  assert.deepEqual(config.linux?.target, ['AppImage', 'deb', 'rpm']);
  assert.deepEqual(config.win?.target, ['nsis']);
  assert.deepEqual(config.mac?.target, ['dmg']);
});

test('Electron fuses: no RunAsNode or NODE_OPTIONS, cookie encryption, ASAR integrity, app only from ASAR', () => {
  const fuses = config.electronFuses;
  assert.ok(fuses);
  assert.equal(fuses.runAsNode, false);
  assert.equal(fuses.enableNodeOptionsEnvironmentVariable, false);
  assert.equal(fuses.enableNodeCliInspectArguments, false);
  assert.equal(fuses.enableCookieEncryption, true);
  assert.equal(fuses.enableEmbeddedAsarIntegrityValidation, true);
  assert.equal(fuses.onlyLoadAppFromAsar, true);
  // file:// pages load ES modules only with this privilege; keep Electron's default.
  assert.equal(fuses.grantFileProtocolExtraPrivileges, undefined);
});

test('native modules are unpacked from the ASAR and rebuilt for Electron', () => {
  assert.equal(config.asar, true);
  assert.ok(Array.isArray(config.asarUnpack) && config.asarUnpack.includes('**/*.node'));
  assert.ok(config.asarUnpack.some((p) => p.includes('better-sqlite3')));
  assert.equal(config.npmRebuild, true);
  assert.ok(fs.existsSync(path.resolve('node_modules/better-sqlite3/binding.gyp')), 'better-sqlite3 is a native module');
});

test('the app archive holds the built app; defaults, the admin folder and the policy schema travel as extra resources', () => {
  assert.ok(Array.isArray(config.files));
  for (const pattern of ['dist/main/**', 'dist/renderer/**', 'package.json']) assert.ok(config.files.includes(pattern), pattern);
  const pkg = JSON.parse(fs.readFileSync(path.resolve('package.json'), 'utf8')) as { main: string };
  assert.match(pkg.main, /^dist\/main\//, 'the entry point is inside the packaged files');
  const extra = (config.extraResources ?? []) as { from: string; to: string; filter?: string[] }[];
  const byTarget = new Map(extra.map((e) => [e.to, e]));
  // src-main/config/paths.ts finds these under process.resourcesPath.
  assert.equal(byTarget.get('defaults')?.from, 'resources/defaults');
  assert.equal(byTarget.get('admin')?.from, 'resources/admin');
  assert.deepEqual(byTarget.get('admin')?.filter, ['policy.json', 'apps.json', 'settings.json']);
  assert.equal(byTarget.get('images')?.from, 'resources/images');
  assert.equal(byTarget.get('policy')?.from, 'resources/policy');
  assert.equal(byTarget.get('tray')?.from, 'resources/build/tray');
  for (const entry of extra) assert.ok(fs.existsSync(path.resolve(entry.from)), entry.from);
  assert.ok(fs.existsSync(path.resolve('resources/defaults/apps.json')));
  assert.ok(fs.existsSync(path.resolve('resources/defaults/settings.json')));
  assert.ok(fs.existsSync(path.resolve('resources/build/tray/tray.png')));
  assert.ok(fs.existsSync(path.resolve('resources/build/tray/trayTemplate.png')));
});

test('every file the recipe names exists', () => {
  const files = [
    config.icon,
    config.deb?.afterInstall,
    config.deb?.afterRemove,
    config.rpm?.afterInstall,
    config.rpm?.afterRemove,
    config.nsis?.include,
  ];
  for (const file of files) {
    assert.equal(typeof file, 'string');
    assert.ok(fs.existsSync(path.resolve(file as string)), String(file));
  }
});

test('NSIS: per-machine or per-user, assisted (so /S with /allusers or /currentuser installs silently)', () => {
  assert.equal(config.nsis?.oneClick, false);
  assert.equal(config.nsis?.perMachine, false);
  assert.equal(config.nsis?.allowElevation, true);
  const nsh = fs.readFileSync(path.resolve(config.nsis!.include!), 'utf8');
  assert.match(nsh, /!macro customInstall/);
  assert.match(nsh, /\$installMode == "all"/);
});

test('the daas-desktop:// scheme is registered with the installers', () => {
  const protocols = [config.protocols].flat();
  assert.ok(protocols.some((p) => p?.schemes.includes(DEEP_LINK_SCHEME)));
});

// --- The Linux install scripts ----------------------------------------------------------

const TEMPLATES = 'node_modules/app-builder-lib/templates/linux';
const MACROS = { executable: 'daas-desktop', sanitizedProductName: 'DaaS Desktop', productFilename: 'DaaS Desktop' };

/** electron-builder's template step (FpmTarget.writeConfigFile): ${name} macros, unknown ones fail the build. */
function expand(text: string): string {
  return text.replace(/\${([a-zA-Z]+)}/g, (_m, name: string) => {
    if (!(name in MACROS)) throw new Error(`Macro ${name} is not defined`);
    return MACROS[name as keyof typeof MACROS];
  });
}

test('the Linux scripts keep electron-builder\'s own steps and use only macros it defines', () => {
  for (const [ours, theirs] of [
    [config.deb!.afterInstall!, 'after-install.tpl'],
    [config.deb!.afterRemove!, 'after-remove.tpl'],
  ]) {
    const text = fs.readFileSync(path.resolve(ours), 'utf8');
    assert.ok(text.startsWith(fs.readFileSync(path.resolve(TEMPLATES, theirs), 'utf8')), `${ours} starts with ${theirs}`);
    assert.doesNotThrow(() => expand(text));
    execFileSync('bash', ['-n', path.resolve(ours)]);
  }
});

// Runs the policy part of the scripts against a scratch root instead of / .
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'daas-deb-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

function policyPart(script: string, root: string): string {
  const text = expand(fs.readFileSync(path.resolve(script), 'utf8'));
  const part = text.slice(text.indexOf('# --- DaaS Desktop'));
  return part.replaceAll('/etc/daas-desktop', `${root}/etc/daas-desktop`).replaceAll('/opt/DaaS Desktop', `${root}/opt/DaaS Desktop`);
}

function run(script: string, root: string, arg = 'configure'): string {
  return execFileSync('bash', ['-c', policyPart(script, root), 'postinst', arg], { encoding: 'utf8' });
}

test('the deb places /etc/daas-desktop/policy.json, updates its own copy, and keeps a locally edited one', () => {
  const root = path.join(scratch, 'root');
  const packaged = path.join(root, 'opt/DaaS Desktop/resources/admin/policy.json');
  const placed = path.join(root, 'etc/daas-desktop/policy.json');
  fs.mkdirSync(path.dirname(packaged), { recursive: true });

  // No policy in the installer: nothing is placed.
  run(config.deb!.afterInstall!, root);
  assert.equal(fs.existsSync(placed), false);

  fs.writeFileSync(packaged, '{"version":1,"locked":{"theme":"dark"}}\n');
  run(config.deb!.afterInstall!, root);
  assert.equal(fs.readFileSync(placed, 'utf8'), fs.readFileSync(packaged, 'utf8'));
  assert.equal((fs.statSync(placed).mode & 0o777).toString(8), '644');

  // An upgrade with a new policy replaces the unedited copy.
  fs.writeFileSync(packaged, '{"version":1,"locked":{"theme":"light"}}\n');
  run(config.deb!.afterInstall!, root);
  assert.match(fs.readFileSync(placed, 'utf8'), /light/);

  // The administrator edits it on this machine; the next upgrade keeps the edit.
  fs.writeFileSync(placed, '{"version":1,"locked":{"theme":"system"}}\n');
  fs.writeFileSync(packaged, '{"version":1,"locked":{"notifications":false}}\n');
  const output = run(config.deb!.afterInstall!, root);
  assert.match(fs.readFileSync(placed, 'utf8'), /system/);
  assert.match(fs.readFileSync(`${placed}.dpkg-dist`, 'utf8'), /notifications/);
  assert.match(output, /changed on this machine and is kept/);

  // Remove keeps it; purge removes only an unedited copy of ours.
  run(config.deb!.afterRemove!, root, 'remove');
  assert.ok(fs.existsSync(placed));
  run(config.deb!.afterRemove!, root, 'purge');
  assert.ok(fs.existsSync(placed), 'an edited policy survives purge');
  assert.equal(fs.existsSync(`${placed}.dpkg-dist`), false);
});

test('purge removes an unedited policy the package placed', () => {
  const root = path.join(scratch, 'purge');
  const packaged = path.join(root, 'opt/DaaS Desktop/resources/admin/policy.json');
  fs.mkdirSync(path.dirname(packaged), { recursive: true });
  fs.writeFileSync(packaged, '{"version":1}\n');
  run(config.deb!.afterInstall!, root);
  assert.ok(fs.existsSync(path.join(root, 'etc/daas-desktop/policy.json')));
  run(config.deb!.afterRemove!, root, 'purge');
  assert.equal(fs.existsSync(path.join(root, 'etc/daas-desktop')), false);
});
