// A prepared instance's desktop is shown from the gateway's memory: its VNC connection is
// opened before the instance is held and kept without viewers, so the viewer that opens it
// after Start shares that connection instead of dialling a new one. Its first frame must
// still be the desktop as it is now: a change made after the hand-out is in it, pixel for
// pixel as a plain RFB client sees the desktop.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, test } from 'node:test';
import type { DisplayTicket } from '../../src-shared/contract';
import type { App, Instance } from '../../src-shared/model';
import type { Core } from '../../src-main/core';
import { LABEL_INSTANCE } from '../../src-main/providers/docker/docker-labels';
import { callCore, openCore, tempDataDir } from '../helpers/core';
import { docker, removeOwnedBy } from '../helpers/docker';
import { GuacCanvas } from '../helpers/guac-canvas';
import { GuacTestClient } from '../helpers/guac-client';
import { differingPixels, grabRfb } from '../helpers/rfb-grab';
import { waitUntil } from '../helpers/x-apps';

const exec = promisify(execFile);
let core: Core | undefined;
after(async () => {
  if (!core) return;
  await core.close().catch(() => undefined);
  await removeOwnedBy(core.installationId);
});

async function containerOf(instanceId: string): Promise<string> {
  const [info] = await docker.listContainers({ all: true, filters: { label: [`${LABEL_INSTANCE}=${instanceId}`] } });
  assert.ok(info, `a container for ${instanceId}`);
  return info.Id;
}

test("a prepared instance's first frame comes from the held connection and shows the desktop as it is after the hand-out", async () => {
  core = await openCore(await tempDataDir());
  const app = await callCore<App>(core, 'apps.create', { app: { name: 'Pooled', provider: 'docker', docker: { image: 'daas/desktop:latest', warmPool: 1 } } });
  await core.warmPool.sync();
  await core.lifecycle.settledAll();
  const prepared = (await core.instances.list()).find((r) => r.warm);
  assert.ok(prepared, 'an instance was prepared');
  assert.equal((await docker.getContainer(await containerOf(prepared.id)).inspect()).State.Paused, true, 'it is held paused');
  assert.equal(core.display.usage().vncConnections, 1, 'the gateway holds its desktop connection, with no viewer');

  const started = await callCore<Instance>(core, 'instances.start', { appId: app.id });
  assert.equal(started.id, prepared.id, 'Start hands the prepared instance out');
  // The pool's refill (and its own held connection) settles first, so the count below is this viewer's doing.
  await core.warmPool.sync();
  await core.lifecycle.settledAll();
  const held = core.display.usage().vncConnections;

  // The desktop changes after the hand-out (its root window turns red); the held picture is older.
  const container = await containerOf(started.id);
  await exec('docker', ['exec', '-u', 'desktop', '-e', 'DISPLAY=:1', container, 'xsetroot', '-solid', '#c03020']);
  const connection = (await core.instances.getConnection(started.id))!;
  const desktop = await waitUntil(
    async () => {
      const fb = await grabRfb(connection.port, connection.password);
      const corner = (fb.width * fb.height - 1) * 4; // bottom right: root window, not the xterm
      return fb.data[corner] === 0xc0 && fb.data[corner + 1] === 0x30 && fb.data[corner + 2] === 0x20 && fb;
    },
    10_000,
    'the desktop shows the new root colour',
  );

  const ticket = await callCore<DisplayTicket>(core, 'display.connect', { instanceId: started.id });
  const viewer = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}`);
  try {
    await viewer.waitForOpcode('sync', 10_000);
    const canvas = new GuacCanvas();
    for (const ins of viewer.instructions) {
      if (ins[0] === 'sync') break;
      canvas.apply(ins);
    }
    assert.deepEqual([canvas.width, canvas.height], [desktop.width, desktop.height]);
    assert.equal(differingPixels(canvas.rgba, desktop), 0, 'the first frame is the desktop as it is now, pixel for pixel');
    assert.equal(core.display.usage().vncConnections, held, 'the viewer shares the held connection (no second dial)');
  } finally {
    await viewer.close();
  }
});
