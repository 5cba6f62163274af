// Per-app gateway choice, through the core with a real container desktop: an app whose
// display.gateway is 'guacd' is shown through that external guacd, and an app with 'embedded'
// ignores a global guacd. No guacd exists here, so the external guacd is our standalone
// gateway CLI, which speaks guacd's protocol for VNC (as in guacd-external.test.ts); its log
// says which desktops it dialled.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DisplayTicket } from '../../src-shared/contract';
import type { App, Instance } from '../../src-shared/model';
import type { Core } from '../../src-main/core';
import { callCore, openCore, tempDataDir, waitForState } from '../helpers/core';
import { removeOwnedBy } from '../helpers/docker';
import { startGatewayCli, type GatewayCli } from '../helpers/gateway-cli';
import { GuacTestClient } from '../helpers/guac-client';
import { waitUntil } from '../helpers/x-apps';

let core: Core;
/** Stands in for guacd (our standalone gateway); counts the desktops it dialled. */
let cli: GatewayCli;
const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);

before(async () => {
  cli = await startGatewayCli();
  core = await openCore(await tempDataDir());
});

after(async () => {
  await core?.close();
  if (core) await removeOwnedBy(core.installationId);
  await cli?.stop();
});

/** Opens a viewer on the instance and waits for its first frame. */
async function view(instanceId: string): Promise<void> {
  const ticket = await call<DisplayTicket>('display.connect', { instanceId });
  const viewer = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}&width=800&height=600&dpi=96`);
  try {
    await viewer.waitForOpcode('sync', 20_000);
    assert.ok(viewer.images.some((i) => i.layer === 0), 'the desktop is drawn');
  } finally {
    await viewer.close();
  }
}

async function startApp(display: unknown): Promise<Instance> {
  const app = await call<App>('apps.create', {
    app: { name: `Gateway ${JSON.stringify(display)}`, provider: 'docker', display, docker: { image: 'daas/desktop:latest' } },
  });
  const instance = await call<Instance>('instances.start', { appId: app.id });
  await waitForState(core, instance.id, 'running', 60_000);
  return instance;
}

test("an app whose gateway is 'guacd' is shown through that guacd (no global guacd set)", async () => {
  assert.equal((await call<{ guacd: unknown }>('settings.get', {})).guacd, null);
  const instance = await startApp({ gateway: 'guacd', guacd: { host: '127.0.0.1', port: cli.port } });
  const before = cli.connections();
  await view(instance.id);
  await waitUntil(async () => cli.connections() > before, 10_000, 'the external guacd to dial the desktop');
  await call('instances.stop', { instanceId: instance.id });
});

test("an app with 'embedded' ignores a global guacd; one with 'default' follows it", async () => {
  await call('settings.update', { guacd: { host: '127.0.0.1', port: cli.port } });
  try {
    const embedded = await startApp({ gateway: 'embedded' });
    const before = cli.connections();
    await view(embedded.id);
    assert.equal(cli.connections(), before, 'the global guacd was not used');

    const following = await startApp({ gateway: 'default' });
    await view(following.id);
    await waitUntil(async () => cli.connections() > before, 10_000, 'the global guacd to dial the desktop');
    await call('instances.stop', { instanceId: embedded.id });
    await call('instances.stop', { instanceId: following.id });
  } finally {
    await call('settings.update', { guacd: null });
  }
});
