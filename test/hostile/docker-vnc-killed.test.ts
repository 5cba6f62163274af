// The VNC server inside a desktop container is killed while a viewer watches: the instance
// becomes failed with its reason (and the container's last log lines), the viewer's
// connection ends (no tunnel left open to a dead desktop), and the restart policy does not
// leave a container running behind the failed row. Real dockerd, real desktop image.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Core } from '../../src-main/core';
import type { DisplayTicket } from '../../src-shared/contract';
import type { Instance } from '../../src-shared/model';
import { callCore, openCore, tempDataDir, waitForState } from '../helpers/core';
import { containersOf, dockerExec, removeOwnedBy } from '../helpers/docker';
import { GuacTestClient } from '../helpers/guac-client';
import { waitUntil } from '../helpers/x-apps';

let core: Core;
before(async () => {
  core = await openCore(await tempDataDir());
});
after(async () => {
  await core?.close();
  if (core) await removeOwnedBy(core.installationId);
});

test('a killed VNC server fails the instance with its reason and leaves no tunnel or container behind', async () => {
  const instance = await callCore<Instance>(core, 'instances.start', { appId: 'linux-desktop' });
  await waitForState(core, instance.id, 'running', 60_000);
  const ticket = await callCore<DisplayTicket>(core, 'display.connect', { instanceId: instance.id });
  const viewer = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}&width=800&height=600`);
  await viewer.waitForOpcode('sync', 15_000);
  assert.equal(core.display.viewerCount(instance.id), 1);

  const [container] = await containersOf(instance.id);
  const killed = await dockerExec(container!.Id, ['sh', '-c', 'kill -KILL $(pidof Xtigervnc)'], 'desktop');
  assert.equal(killed.exitCode, 0, killed.output);

  const failed = await waitForState(core, instance.id, 'failed', 30_000);
  assert.match(failed.stateReason ?? '', /Its container stopped outside DaaS Desktop \(exit code 137, killed\)/);
  assert.match(failed.stateReason ?? '', /Last log lines:\n.*(Connections|VNCSConnST|start-desktop)/s, 'the reason carries the desktop’s last output');

  // The viewer's connection ended with the desktop; nothing in the display path holds it open.
  await waitUntil(async () => core.display.viewerCount(instance.id) === 0, 15_000, 'the tunnel to close');
  await viewer.close(false);
  // Docker's restart policy would start it again; the app removed it instead.
  await waitUntil(async () => (await containersOf(instance.id)).length === 0, 15_000, 'the dead container to be removed');
  assert.equal((await core.instances.get(instance.id))?.state, 'failed');
  await assert.rejects(callCore(core, 'display.connect', { instanceId: instance.id }), /DISPLAY_UNAVAILABLE|failed/);
});
