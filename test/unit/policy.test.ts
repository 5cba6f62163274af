// Reading the administrator's policy: where it is, and what happens when it is wrong.
// An invalid policy never stops the app; only the invalid parts are ignored, each named.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { loadPolicy, machinePolicyFile, parsePolicy } from '../../src-main/config/policy';
import { loadSettings } from '../../src-main/config/settings';

const SRC = '/etc/daas-desktop/policy.json';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'daas-policy-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const app = (id: string, extra: object = {}) => ({ id, name: `App ${id}`, provider: 'docker', docker: { image: 'daas/desktop:latest' }, ...extra });

test('the machine-wide policy file on each platform', () => {
  assert.equal(machinePolicyFile('linux', {}), '/etc/daas-desktop/policy.json');
  assert.equal(machinePolicyFile('freebsd', {}), '/etc/daas-desktop/policy.json');
  assert.equal(machinePolicyFile('darwin', {}), '/Library/Application Support/DaaS Desktop/policy.json');
  assert.equal(machinePolicyFile('win32', { PROGRAMDATA: 'D:\\ProgramData' }), 'D:\\ProgramData\\DaaS Desktop\\policy.json');
  assert.equal(machinePolicyFile('win32', {}), 'C:\\ProgramData\\DaaS Desktop\\policy.json');
});

test('a valid policy is read whole, with no problems', () => {
  const { policy, problems, file } = parsePolicy(
    JSON.stringify({
      $schema: './policy.schema.json',
      version: 1,
      recommended: { idleTimeoutMinutes: 60 },
      locked: { clipboardFromDesktop: false, guacd: null },
      apps: [app('office')],
      dockerEndpoints: [{ id: 'lab', name: 'Lab', url: 'tcp://lab:2376', tls: { caFile: '/etc/ca.pem', certFile: '/etc/c.pem', keyFile: '/etc/k.pem' } }],
      proxmoxEndpoints: [{ id: 'pve', name: 'PVE', url: 'https://pve:8006', tokenId: 'daas@pve!desk' }],
    }),
    SRC,
  );
  assert.deepEqual(problems, []);
  assert.equal(file, SRC);
  assert.deepEqual(policy.recommended, { idleTimeoutMinutes: 60 });
  assert.deepEqual(policy.locked, { clipboardFromDesktop: false, guacd: null });
  assert.equal(policy.apps[0]!.id, 'office');
  // Catalogue defaults are filled in, as for any catalogue entry.
  const office = policy.apps[0]!;
  assert.equal(office.provider === 'docker' && office.docker.vncPort, 5901);
  assert.equal(policy.dockerEndpoints[0]!.tls?.caFile, '/etc/ca.pem');
  assert.equal(policy.proxmoxEndpoints[0]!.tokenId, 'daas@pve!desk');
});

test('invalid values are ignored key by key; their valid neighbours still apply', () => {
  const { policy, problems } = parsePolicy(
    JSON.stringify({
      version: 1,
      recommended: { idleTimeoutMinutes: 0, theme: 'dark', clipboardToDesktop: 'yes' },
      locked: { orphanPolicy: 'adopt', readinessTimeoutSeconds: 9999, updatesEnabled: false, colour: 'red' },
    }),
    SRC,
  );
  assert.deepEqual(policy.recommended, { theme: 'dark' });
  assert.deepEqual(policy.locked, { orphanPolicy: 'adopt' });
  assert.equal(problems.length, 5);
  for (const p of problems) assert.ok(p.startsWith(`${SRC}: `), p);
  assert.match(problems.find((p) => p.includes('recommended.idleTimeoutMinutes'))!, />=1.*ignored/);
  assert.match(problems.find((p) => p.includes('recommended.clipboardToDesktop'))!, /boolean/);
  assert.match(problems.find((p) => p.includes('locked.readinessTimeoutSeconds'))!, /<=600/);
  assert.match(problems.find((p) => p.includes('locked.colour'))!, /unknown setting, ignored \(known: orphanPolicy/);
  // A policy written for a version that still had the updates switch gets a clear line.
  assert.match(problems.find((p) => p.includes('locked.updatesEnabled'))!, /no longer a setting \(DaaS Desktop does not update itself.*\); ignored$/);
});

test('bad catalogue and endpoint entries are dropped one by one, naming the entry', () => {
  const { policy, problems } = parsePolicy(
    JSON.stringify({
      version: 1,
      apps: [app('good'), app('no-image', { docker: {} }), { name: 'No id', provider: 'docker', docker: { image: 'x' } }, app('good'), app('Bad Id')],
      dockerEndpoints: [{ id: 'a', name: 'A', url: 'http://nope' }, { id: 'b', name: 'B', url: 'unix:///var/run/docker.sock' }, { id: 'c', name: 'C', url: 'tcp://c:2376', tls: { caFile: 'relative.pem', certFile: '/c', keyFile: '/k' } }],
      proxmoxEndpoints: 'pve',
    }),
    SRC,
  );
  assert.deepEqual(
    policy.apps.map((a) => a.id),
    ['good'],
  );
  assert.deepEqual(
    policy.dockerEndpoints.map((e) => e.id),
    ['b'],
  );
  assert.deepEqual(policy.proxmoxEndpoints, []);
  const expected = [
    /apps\[1\] \("no-image"\): docker\.image: .*this entry is ignored/,
    /apps\[2\] \("No id"\): id: .*this entry is ignored/,
    /apps\[3\] \("good"\): repeats the id "good"/,
    /apps\[4\] \("Bad Id"\): id: ids are lower-case/,
    /dockerEndpoints\[0\] \("a"\): url: use unix/,
    /dockerEndpoints\[2\] \("c"\): tls\.caFile: give an absolute path/,
    /proxmoxEndpoints: must be a list; all of it is ignored/,
  ];
  assert.equal(problems.length, expected.length, problems.join('\n'));
  expected.forEach((re, i) => assert.match(problems[i]!, re));
});

test('a policy that is not JSON, or not an object, is ignored whole with one clear problem', () => {
  for (const [text, reason] of [
    ['{ "version": 1, ', /not valid JSON .*the whole policy is ignored/],
    ['[1, 2]', /must be a JSON object/],
    ['null', /must be a JSON object/],
    ['"locked"', /must be a JSON object/],
  ] as const) {
    const { policy, problems } = parsePolicy(text, SRC);
    assert.deepEqual(policy, { recommended: {}, locked: {}, apps: [], dockerEndpoints: [], proxmoxEndpoints: [] });
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, reason);
  }
});

test('sections of the wrong type, unknown sections and versions are reported, the rest applies', () => {
  const { policy, problems } = parsePolicy(JSON.stringify({ version: 2, locked: ['theme'], recommended: { theme: 'dark' }, extras: {} }), SRC);
  assert.deepEqual(policy.recommended, { theme: 'dark' });
  assert.deepEqual(policy.locked, {});
  assert.equal(problems.length, 3);
  assert.match(problems[0]!, /version: 2 is not supported; read as version 1/);
  assert.match(problems[1]!, /extras: unknown section/);
  assert.match(problems[2]!, /locked: must be an object of settings/);
  assert.match(parsePolicy('{}', SRC).problems[0]!, /version: missing/);
});

test('hostile JSON: prototype keys are unknown settings, not assignments', () => {
  const { policy, problems } = parsePolicy('{"version":1,"locked":{"__proto__":{"theme":"dark"},"constructor":1}}', SRC);
  assert.deepEqual(policy.locked, {});
  assert.equal(Object.getPrototypeOf(policy.locked), Object.prototype);
  assert.equal(problems.length, 2);
  assert.equal(({} as Record<string, unknown>).theme, undefined);
});

function write(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

test('loadPolicy: no file anywhere is no policy and no problem', () => {
  const result = loadPolicy({ env: { DAAS_POLICY_FILE: path.join(tmp, 'absent.json') }, packagedFile: path.join(tmp, 'absent-too.json') });
  assert.deepEqual(result, { policy: { recommended: {}, locked: {}, apps: [], dockerEndpoints: [], proxmoxEndpoints: [] }, file: null, problems: [], problemTexts: [] });
});

test('loadPolicy: the machine-wide file wins over the packaged policy; the packaged one applies without it', () => {
  const machine = write('machine/policy.json', JSON.stringify({ version: 1, locked: { theme: 'dark' } }));
  const packaged = write('packaged/policy.json', JSON.stringify({ version: 1, locked: { theme: 'light' } }));
  assert.deepEqual(loadPolicy({ env: { DAAS_POLICY_FILE: machine }, packagedFile: packaged }).policy.locked, { theme: 'dark' });
  const fallback = loadPolicy({ env: { DAAS_POLICY_FILE: path.join(tmp, 'machine/none.json') }, packagedFile: packaged });
  assert.deepEqual(fallback.policy.locked, { theme: 'light' });
  assert.equal(fallback.file, packaged);
});

test('loadPolicy: an unreadable policy (a folder, no permission) starts with a problem, not a crash', () => {
  const folder = path.join(tmp, 'is-a-folder.json');
  fs.mkdirSync(folder);
  const result = loadPolicy({ env: { DAAS_POLICY_FILE: folder } });
  assert.deepEqual(result.policy.locked, {});
  assert.match(result.problems[0]!, /cannot be read \(EISDIR\)/);
});

test('loadSettings starts with an invalid policy and carries its problems for the banner', () => {
  const file = write('broken/policy.json', JSON.stringify({ version: 1, locked: { theme: 'neon', notifications: false } }));
  const settings = loadSettings(path.join(tmp, 'data'), { DAAS_POLICY_FILE: file, DAAS_ADMIN_DIR: path.join(tmp, 'no-admin') });
  assert.deepEqual(settings.layers.locked, { notifications: false });
  assert.equal(settings.problems.length, 1);
  assert.match(settings.problems[0]!, /locked\.theme: .*ignored/);
});
