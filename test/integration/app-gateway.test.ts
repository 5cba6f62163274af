// Per-app gateway choice, through the core with a real container desktop: an app whose
// display.gateway is 'guacd' is shown through that external guacd, and an app with 'embedded'
// ignores a global guacd. No guacd exists here, so the external guacd is our standalone
// gateway CLI, which speaks guacd's protocol for VNC (as in guacd-external.test.ts); its log
// says which desktops it dialled.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import type { DisplayTicket } from '../../src-shared/contract';
import type { App, Instance } from '../../src-shared/model';
import type { Core } from '../../src-main/core';
import { callCore, openCore, tempDataDir, waitForState } from '../helpers/core';
import { removeAllManaged } from '../helpers/docker';
import { GuacTestClient } from '../helpers/guac-client';
import { waitUntil } from '../helpers/x-apps';
import { freePort } from '../helpers/xvnc';

let core: Core;
let cli: ChildProcess;
let cliPort = 0;
let cliLog = '';
/** VNC connections the external gateway (standing in for guacd) has made so far. */
const externalConnections = (): number => cliLog.split('\n').filter((l) => / VNC 127\.0\.0\.1:\d+: connected/.test(l)).length;
const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);

before(async () => {
  await removeAllManaged();
  cliPort = await freePort();
  cli = spawn(process.execPath, ['--import', 'tsx', 'src-main/display/gateway-cli.ts', '--listen', `127.0.0.1:${cliPort}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    cli.stderr!.on('data', (d: Buffer) => {
      cliLog += d.toString();
      if (cliLog.includes('listening')) resolve();
    });
    cli.once('exit', (code) => reject(new Error(`gateway-cli exited ${code}: ${cliLog}`)));
  });
  core = await openCore(await tempDataDir());
});

after(async () => {
  await core?.close();
  await removeAllManaged();
  if (cli && cli.exitCode === null) {
    const exited = new Promise((r) => cli.once('exit', r));
    cli.kill('SIGTERM');
    await exited;
  }
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
  const instance = await startApp({ gateway: 'guacd', guacd: { host: '127.0.0.1', port: cliPort } });
  const before = externalConnections();
  await view(instance.id);
  await waitUntil(async () => externalConnections() > before, 10_000, 'the external guacd to dial the desktop');
  await call('instances.stop', { instanceId: instance.id });
});

test("an app with 'embedded' ignores a global guacd; one with 'default' follows it", async () => {
  await call('settings.update', { guacd: { host: '127.0.0.1', port: cliPort } });
  try {
    const embedded = await startApp({ gateway: 'embedded' });
    const before = externalConnections();
    await view(embedded.id);
    assert.equal(externalConnections(), before, 'the global guacd was not used');

    const following = await startApp({ gateway: 'default' });
    await view(following.id);
    await waitUntil(async () => externalConnections() > before, 10_000, 'the global guacd to dial the desktop');
    await call('instances.stop', { instanceId: embedded.id });
    await call('instances.stop', { instanceId: following.id });
  } finally {
    await call('settings.update', { guacd: null });
  }
});
