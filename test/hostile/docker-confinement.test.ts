// Desktop containers are confined (finding 13): all capabilities dropped but the two a root
// start script needs to drop to its user, no-new-privileges, a process limit, and a restart
// policy so an engine restart does not end them. Only an administrator loosens that, per
// app (policy apps, the packaged catalogue); a catalogue import or the app editor cannot.
// Real dockerd, real desktop image, real frames.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import { loadSettings } from '../../src-main/config/settings';
import { Core } from '../../src-main/core';
import type { DisplayTicket } from '../../src-shared/contract';
import type { App, Instance } from '../../src-shared/model';
import { callCore, tempDataDir, TEST_HOST, waitForState } from '../helpers/core';
import { containersOf, docker, dockerExec, removeOwnedBy } from '../helpers/docker';
import { litPixels } from '../helpers/guac-client';

const cores: Core[] = [];
after(async () => {
  for (const core of cores) {
    await core.close();
    await removeOwnedBy(core.installationId);
  }
});

async function openWith(files: { policy?: object; apps?: object[] }): Promise<Core> {
  const dir = await tempDataDir();
  const env: Record<string, string> = { DAAS_READINESS_TIMEOUT_MS: '20000' };
  if (files.policy) {
    env.DAAS_POLICY_FILE = path.join(dir, 'policy.json');
    await fs.writeFile(env.DAAS_POLICY_FILE, JSON.stringify({ version: 1, ...files.policy }));
  }
  if (files.apps) {
    env.DAAS_ADMIN_DIR = path.join(dir, 'admin');
    await fs.mkdir(env.DAAS_ADMIN_DIR);
    await fs.writeFile(path.join(env.DAAS_ADMIN_DIR, 'apps.json'), JSON.stringify({ version: 1, apps: files.apps }));
  }
  const core = await Core.open(loadSettings(path.join(dir, 'data'), env));
  cores.push(core);
  return core;
}

async function startAndInspect(core: Core, appId: string) {
  const instance = await callCore<Instance>(core, 'instances.start', { appId });
  await waitForState(core, instance.id, 'running', 60_000);
  const [container] = await containersOf(instance.id);
  assert.ok(container, 'the instance has its container');
  return { instance, info: await docker.getContainer(container.Id).inspect() };
}

/** The capability bounding set and no_new_privs flag of the desktop's VNC server, as the kernel sees them. */
async function processConfinement(containerId: string): Promise<{ capBnd: bigint; noNewPrivs: string }> {
  const { output } = await dockerExec(containerId, ['sh', '-c', 'cat /proc/$(pidof Xtigervnc)/status'], 'desktop');
  const field = (name: string) => new RegExp(`^${name}:\\s*(\\S+)`, 'm').exec(output)?.[1] ?? '';
  return { capBnd: BigInt(`0x${field('CapBnd')}`), noNewPrivs: field('NoNewPrivs') };
}

const CAP_SETGID = 6n;
const CAP_SETUID = 7n;

test('a desktop runs confined by default, and still shows its desktop', async () => {
  const core = await openWith({});
  const { instance, info } = await startAndInspect(core, 'linux-desktop');
  assert.deepEqual(info.HostConfig.CapDrop, ['ALL']);
  assert.deepEqual(info.HostConfig.CapAdd, ['SETUID', 'SETGID']);
  assert.deepEqual(info.HostConfig.SecurityOpt, ['no-new-privileges']);
  assert.equal(info.HostConfig.PidsLimit, 512);
  assert.equal(info.HostConfig.RestartPolicy?.Name, 'unless-stopped');

  const kernel = await processConfinement(info.Id);
  assert.equal(kernel.capBnd, (1n << CAP_SETGID) | (1n << CAP_SETUID), `bounding set ${kernel.capBnd.toString(16)}`);
  assert.equal(kernel.noNewPrivs, '1');

  const ticket = await callCore<DisplayTicket>(core, 'display.connect', { instanceId: instance.id });
  assert.ok((await litPixels(ticket)) > 0, 'the confined desktop is drawn');
  await callCore(core, 'instances.stop', { instanceId: instance.id });
});

test('an administrator loosens it per app: policy apps and the packaged catalogue may set docker.security', async () => {
  const loose = { capabilities: null, noNewPrivileges: false, pidsLimit: null };
  const core = await openWith({
    policy: { apps: [{ id: 'loose-policy', name: 'Loose (policy)', provider: 'docker', docker: { image: 'daas/desktop:latest', security: loose } }] },
    apps: [{ id: 'tight-packaged', name: 'Tight (packaged)', provider: 'docker', docker: { image: 'daas/desktop:latest', security: { capabilities: [], pidsLimit: 64 } } }],
  });

  const { instance: looseInstance, info: looseInfo } = await startAndInspect(core, 'loose-policy');
  assert.equal(looseInfo.HostConfig.CapDrop, null);
  assert.equal(looseInfo.HostConfig.SecurityOpt, null);
  assert.ok(!looseInfo.HostConfig.PidsLimit, `no process limit (${looseInfo.HostConfig.PidsLimit})`);
  assert.equal((await processConfinement(looseInfo.Id)).noNewPrivs, '0');

  const { instance: tightInstance, info: tightInfo } = await startAndInspect(core, 'tight-packaged');
  assert.deepEqual(tightInfo.HostConfig.CapDrop, ['ALL']);
  assert.equal(tightInfo.HostConfig.PidsLimit, 64);
  assert.equal((await processConfinement(tightInfo.Id)).capBnd, 0n, 'no capability at all: the desktop user needs none');
  const ticket = await callCore<DisplayTicket>(core, 'display.connect', { instanceId: tightInstance.id });
  assert.ok((await litPixels(ticket)) > 0, 'the desktop with no capabilities is drawn');

  // Editing the packaged app keeps its administrator's setting; the editor never sends it.
  const edited = await callCore<App>(core, 'apps.update', {
    appId: 'tight-packaged',
    app: { name: 'Tight, renamed', provider: 'docker', docker: { image: 'daas/desktop:latest' } },
  });
  assert.equal(edited.name, 'Tight, renamed');
  assert.deepEqual(edited.provider === 'docker' && edited.docker.security, { capabilities: [], noNewPrivileges: true, pidsLimit: 64 });

  // An export leaves it out (an import would refuse it).
  const exported = await callCore<{ json: string }>(core, 'catalogue.export', {});
  assert.match(exported.json, /"Tight, renamed"/);
  assert.doesNotMatch(exported.json, /"security"/);

  // It was granted for that image: a copy, or the app pointed at another image, is confined by default.
  const copy = await callCore<App>(core, 'apps.duplicate', { appId: 'loose-policy' });
  assert.equal(copy.provider === 'docker' && copy.docker.security, undefined);
  const moved = await callCore<App>(core, 'apps.update', { appId: 'tight-packaged', app: { name: 'Tight', provider: 'docker', docker: { image: 'other/desktop:1' } } });
  assert.equal(moved.provider === 'docker' && moved.docker.security, undefined);

  for (const i of [looseInstance, tightInstance]) await callCore(core, 'instances.stop', { instanceId: i.id });
});

test('a catalogue import or the app editor cannot set docker.security', async () => {
  const core = await openWith({});
  const before = (await callCore<App[]>(core, 'apps.list', {})).length;
  const entry = { id: 'escape', name: 'Escape', provider: 'docker', docker: { image: 'daas/desktop:latest', security: { capabilities: null } } };

  const imported = await core.handle('catalogue.import', { json: JSON.stringify({ version: 1, apps: [entry] }), previewToken: 'any' }, TEST_HOST);
  assert.equal(imported.ok, false);
  if (!imported.ok) {
    assert.equal(imported.error.code, 'INVALID_REQUEST');
    assert.match(imported.error.message, /Entry 1 \("Escape"\) sets docker\.security .*only your administrator sets that/);
  }
  const { id: _id, ...app } = entry;
  const created = await core.handle('apps.create', { app }, TEST_HOST);
  assert.equal(created.ok, false, 'the editor’s request is refused');
  assert.equal((await callCore<App[]>(core, 'apps.list', {})).length, before, 'nothing was added');
});
