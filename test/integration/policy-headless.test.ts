// The headless host (`serve`, a real process) honours packaged defaults from the
// administrator's folder and the machine policy, exactly as the Electron app does.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import type { App } from '../../src-shared/model';
import { tempDataDir } from '../helpers/core';
import { ServeProcess } from '../helpers/serve-process';

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

interface SettingsState {
  theme: string;
  idleTimeoutMinutes: number | null;
  clipboardFromDesktop: boolean;
  orphanPolicy: string;
  readinessTimeoutSeconds: number;
  managed: string[];
  policyProblems: string[];
}

async function writeJson(file: string, value: unknown): Promise<string> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, JSON.stringify(value, null, 2));
  return file;
}

async function serve(files: { admin?: Record<string, unknown>; machinePolicy?: unknown }) {
  const dir = await tempDataDir();
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  const adminDir = path.join(dir, 'admin');
  await fs.mkdir(adminDir, { recursive: true });
  for (const [name, value] of Object.entries(files.admin ?? {})) await writeJson(path.join(adminDir, name), value);
  const machinePolicy = path.join(dir, 'etc', 'policy.json');
  if (files.machinePolicy !== undefined) {
    await fs.mkdir(path.dirname(machinePolicy), { recursive: true });
    await fs.writeFile(machinePolicy, typeof files.machinePolicy === 'string' ? files.machinePolicy : JSON.stringify(files.machinePolicy));
  }
  const server = await ServeProcess.start(path.join(dir, 'data'), {
    DAAS_ADMIN_DIR: adminDir,
    DAAS_POLICY_FILE: machinePolicy,
    // Whatever a developer has set must not leak into this test.
    DAAS_READINESS_TIMEOUT_MS: '',
  });
  cleanups.push(() => server.stop());
  return server;
}

const ADMIN_APP = {
  id: 'admin-office',
  name: 'Office (from the administrator)',
  provider: 'docker',
  docker: { image: 'daas/desktop:latest' },
};

test('a preconfigured installer: the admin catalogue, default settings and packaged policy apply', async () => {
  const server = await serve({
    admin: {
      'apps.json': { version: 1, apps: [ADMIN_APP] },
      'settings.json': { theme: 'dark', idleTimeoutMinutes: 15 },
      'policy.json': { version: 1, recommended: { idleTimeoutMinutes: 60 }, locked: { clipboardFromDesktop: false, orphanPolicy: 'adopt' } },
    },
  });
  const apps = await server.request<App[]>('apps.list');
  assert.deepEqual(
    apps.map((a) => a.id),
    ['admin-office'],
  );
  const settings = await server.request<SettingsState>('settings.get');
  assert.equal(settings.theme, 'dark', 'packaged default from the admin folder');
  assert.equal(settings.idleTimeoutMinutes, 60, 'recommended over packaged');
  assert.equal(settings.clipboardFromDesktop, false);
  assert.equal(settings.orphanPolicy, 'adopt');
  assert.deepEqual(settings.managed, ['orphanPolicy', 'clipboardFromDesktop']);
  assert.deepEqual(settings.policyProblems, []);
  await assert.rejects(server.request('settings.update', { orphanPolicy: 'remove' }), /managed by your administrator/);
  const updated = await server.request<SettingsState>('settings.update', { readinessTimeoutSeconds: 45 });
  assert.equal(updated.readinessTimeoutSeconds, 45);
});

test('the machine policy wins over the packaged one; an invalid one still starts, with its problems reported', async () => {
  const server = await serve({
    admin: { 'policy.json': { version: 1, locked: { orphanPolicy: 'adopt' } } },
    machinePolicy: { version: 1, locked: { readinessTimeoutSeconds: 2, orphanPolicy: 'remove' }, recommended: { colour: 'red' } },
  });
  const settings = await server.request<SettingsState>('settings.get');
  assert.equal(settings.orphanPolicy, 'remove');
  assert.deepEqual(settings.managed, ['orphanPolicy']);
  assert.equal(settings.readinessTimeoutSeconds, 30, 'the invalid locked value is ignored');
  assert.equal(settings.policyProblems.length, 2);
  assert.match(settings.policyProblems.join('\n'), /locked\.readinessTimeoutSeconds: .*ignored/);
  assert.match(settings.policyProblems.join('\n'), /recommended\.colour: unknown setting/);
  // The packaged catalogue still seeds.
  assert.ok((await server.request<App[]>('apps.list')).some((a) => a.id === 'linux-desktop'));
});

test('a policy file that is not JSON at all: the app starts on defaults and says so', async () => {
  const server = await serve({ machinePolicy: '{ "version": 1, "locked": ' });
  const settings = await server.request<SettingsState>('settings.get');
  assert.deepEqual(settings.managed, []);
  assert.equal(settings.policyProblems.length, 1);
  assert.match(settings.policyProblems[0]!, /not valid JSON.*the whole policy is ignored/);
});
