// Finding 7 of issue 10: a packaged app's locked policy beats everything a user can set,
// the environment included. A real serve process runs from an app folder laid out as
// installed, carrying a locking policy; the user's environment tries to unlock it.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import { machinePolicyFile } from '../../src-main/config/policy';
import { tempDataDir } from '../helpers/core';
import { packagedLayout } from '../helpers/packaged-layout';
import { ServeProcess } from '../helpers/serve-process';

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

interface SettingsState {
  allowCatalogueEditing: boolean;
  guacd: { host: string; port: number } | null;
  theme: string;
  managed: string[];
}

const LOCKING_POLICY = { version: 1, locked: { allowCatalogueEditing: false, guacd: { host: '127.0.0.1', port: 4822 } } };
const NEW_APP = { app: { name: 'Mine', provider: 'docker', docker: { image: 'daas/desktop:latest' } } };

async function hostileEnv(dir: string): Promise<Record<string, string>> {
  // A policy of the user's own, a folder of the user's own, and settings forced by variable.
  const ownAdmin = path.join(dir, 'own-admin');
  await fs.mkdir(ownAdmin, { recursive: true });
  await fs.writeFile(path.join(ownAdmin, 'policy.json'), JSON.stringify({ version: 1 }));
  return {
    DAAS_POLICY_FILE: '/dev/null',
    DAAS_ADMIN_DIR: ownAdmin,
    DAAS_ALLOW_CATALOGUE_EDITING: 'true',
    DAAS_GUACD: '{"host":"guacd.attacker.example","port":4822}',
    DAAS_THEME: 'dark',
    DAAS_READINESS_TIMEOUT_MS: '',
  };
}

const machinePolicy = machinePolicyFile();
test(
  'packaged serve with a locking policy: DAAS_* variables and DAAS_POLICY_FILE=/dev/null change nothing',
  { skip: existsSync(machinePolicy) ? `${machinePolicy} exists on this machine and would be the policy` : false },
  async () => {
    const dir = await tempDataDir();
    cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
    const env = await hostileEnv(dir);
    const app = await packagedLayout(path.join(dir, 'installed'), { 'policy.json': LOCKING_POLICY });

    const server = await ServeProcess.start(path.join(dir, 'data'), env, app);
    cleanups.push(() => server.stop());
    const settings = await server.request<SettingsState>('settings.get');
    assert.equal(settings.allowCatalogueEditing, false);
    assert.deepEqual(settings.guacd, { host: '127.0.0.1', port: 4822 });
    assert.equal(settings.theme, 'system', 'not even an unlocked key comes from the environment');
    assert.deepEqual(settings.managed, ['guacd', 'allowCatalogueEditing']);
    await assert.rejects(server.request('apps.create', NEW_APP), /Your administrator manages the catalogue/);
    await assert.rejects(server.request('settings.update', { allowCatalogueEditing: true }), /managed by your administrator/);
    // Still alive and answering after the refusals.
    assert.equal((await server.request<SettingsState>('settings.get')).allowCatalogueEditing, false);
  },
);

test('the same variables from a checkout (development) do apply: the packaged case is not vacuous', async () => {
  const dir = await tempDataDir();
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  const env = await hostileEnv(dir);
  const server = await ServeProcess.start(path.join(dir, 'data'), { ...env, DAAS_DOCKER_SOCKET: path.join(dir, 'no-docker.sock') });
  cleanups.push(() => server.stop());
  const settings = await server.request<SettingsState>('settings.get');
  assert.equal(settings.allowCatalogueEditing, true);
  assert.deepEqual(settings.guacd, { host: 'guacd.attacker.example', port: 4822 });
  assert.equal(settings.theme, 'dark');
});
