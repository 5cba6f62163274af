// The channel names of 0.1 (`endpoints.*` for Docker endpoints, `proxmox.*` for Proxmox
// endpoints) still answer for one release, exactly as their new names do: same validation,
// same editing lock, same handler. A real core on real SQLite; no Docker engine is needed
// (the local endpoint's socket does not exist, so nothing is dialled).
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import { CHANNELS, DEPRECATED_CHANNELS, type DockerEndpointView } from '../../src-shared/contract';
import { loadSettings } from '../../src-main/config/settings';
import { Core } from '../../src-main/core';
import { tempDataDir, TEST_HOST } from '../helpers/core';

const cores: Core[] = [];
after(async () => {
  for (const core of cores) await core.close();
});

async function openCore(policy?: object): Promise<Core> {
  const dir = await tempDataDir();
  const env: Record<string, string> = {};
  if (policy) {
    env.DAAS_POLICY_FILE = path.join(dir, 'policy.json');
    await fs.writeFile(env.DAAS_POLICY_FILE, JSON.stringify({ version: 1, ...policy }));
  }
  const core = await Core.open({ ...loadSettings(path.join(dir, 'data'), env), dockerSocket: path.join(dir, 'no-engine.sock') });
  cores.push(core);
  return core;
}

const ask = (core: Core, channel: string, payload: unknown) => core.handle(channel, payload, TEST_HOST);

test('every deprecated name maps to a current channel', () => {
  for (const [old, current] of Object.entries(DEPRECATED_CHANNELS)) {
    assert.ok(CHANNELS.includes(current), `${old} → ${current}`);
    assert.ok(!CHANNELS.includes(old as never), `${old} is no channel of its own`);
  }
});

test('an old endpoint channel answers the same as its new name', async () => {
  const core = await openCore();
  const saved = await ask(core, 'endpoints.save', { name: 'Lab', url: 'tcp://127.0.0.1:2375' });
  assert.ok(saved.ok, 'saved through the old name');
  const id = (saved.result as DockerEndpointView).id;

  const listedOld = await ask(core, 'endpoints.list', {});
  assert.deepEqual(listedOld, await ask(core, 'docker.endpoints.list', {}));
  assert.ok(listedOld.ok && (listedOld.result as DockerEndpointView[]).some((e) => e.id === id && e.name === 'Lab'));
  assert.deepEqual(await ask(core, 'proxmox.list', {}), await ask(core, 'proxmox.endpoints.list', {}));

  // The same refusal, naming the current channel.
  const bad = { name: 'Bad', url: 'http://example' };
  const refusedOld = await ask(core, 'endpoints.save', bad);
  assert.deepEqual(refusedOld, await ask(core, 'docker.endpoints.save', bad));
  assert.ok(!refusedOld.ok && /docker\.endpoints\.save/.test(refusedOld.error.message));

  assert.deepEqual(await ask(core, 'endpoints.delete', { endpointId: id }), { ok: true, result: { deleted: true } });
  const after = await ask(core, 'docker.endpoints.list', {});
  assert.ok(after.ok && !(after.result as DockerEndpointView[]).some((e) => e.id === id), 'deleted through the old name');
});

test('an old name is refused by the same editing lock as its new name', async () => {
  const core = await openCore({ locked: { allowEndpointEditing: false } });
  const request = { name: 'Other', url: 'tcp://127.0.0.1:2375' };
  const refusedOld = await ask(core, 'endpoints.save', request);
  assert.deepEqual(refusedOld, await ask(core, 'docker.endpoints.save', request));
  assert.ok(!refusedOld.ok && /administrator manages the endpoints/.test(refusedOld.error.message));
  const proxmoxOld = await ask(core, 'proxmox.delete', { endpointId: 'pve' });
  assert.deepEqual(proxmoxOld, await ask(core, 'proxmox.endpoints.delete', { endpointId: 'pve' }));
  assert.ok(!proxmoxOld.ok && /administrator manages the endpoints/.test(proxmoxOld.error.message));
});
