// The Docker engine restarts under running desktops (finding 17). Runs against a PRIVATE
// dockerd (test/helpers/private-dockerd.ts), never the shared one. What a user relies on:
// the desktops (a single-app one too) come back with their files, the open viewer (real
// Chromium, the real UI) reconnects by itself, and the rows say running; a container that
// the engine does not bring back is failed with the reason and kept until the user removes
// it or the keepFailedContainersHours setting expires it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import { rendererDir } from '../../src-main/config/paths';
import type { Core } from '../../src-main/core';
import { startHeadlessHost, type HeadlessHost } from '../../src-main/host/headless-host';
import { LABEL_INSTANCE } from '../../src-main/providers/docker/docker-labels';
import type { DisplayTicket } from '../../src-shared/contract';
import type { App, Instance } from '../../src-shared/model';
import { launchChromium } from '../helpers/browser';
import { callCore, openCore, tempDataDir, waitForState } from '../helpers/core';
import { litPixels } from '../helpers/guac-client';
import { PrivateDockerd, privateDockerdUnavailable } from '../helpers/private-dockerd';
import { waitUntil } from '../helpers/x-apps';

const run = promisify(execFile);
const unavailable = privateDockerdUnavailable();

describe('the Docker engine restarts while desktops run', { skip: unavailable }, () => {
  let engine: PrivateDockerd;
  let core: Core;
  let host: HeadlessHost;
  let browser: Browser;
  const states = new Map<string, string[]>();

  before(async () => {
    // daas/base: a single-app desktop (its xterm), restarted by the policy "on-failure".
    engine = await PrivateDockerd.start(['daas/desktop:latest', 'daas/base:latest']);
    core = await openCore(await tempDataDir(), { dockerSocket: engine.socket });
    core.subscribe((e) => {
      if (e.event === 'instance.changed') states.set(e.payload.id, [...(states.get(e.payload.id) ?? []), e.payload.state]);
    });
    host = await startHeadlessHost(core, { rendererDir: rendererDir() });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await host?.close();
    await core?.close();
    await engine?.destroy();
  });

  const containerOf = async (instanceId: string) => {
    const [c] = await engine.docker.listContainers({ all: true, filters: { label: [`${LABEL_INSTANCE}=${instanceId}`] } });
    return c;
  };
  const inDesktop = (containerId: string, script: string) =>
    run('docker', ['-H', `unix://${engine.socket}`, 'exec', '-u', 'desktop', containerId, 'sh', '-c', script]).then((r) => r.stdout.trim());

  async function startRunning(appId = 'linux-desktop'): Promise<Instance> {
    const instance = await callCore<Instance>(core, 'instances.start', { appId });
    return waitForState(core, instance.id, 'running', 60_000);
  }

  test('desktops come back with their files, the open viewer reconnects, the rows say running', async () => {
    const single = await callCore<App>(core, 'apps.create', { app: { name: 'One xterm', provider: 'docker', docker: { image: 'daas/base:latest', singleApp: true } } });
    const [a, b, c] = [await startRunning(), await startRunning(), await startRunning(single.id)];
    const before = await Promise.all([a, b, c].map((i) => containerOf(i.id)));
    await inDesktop(before[0]!.Id, 'echo "written before the restart" > ~/proof.txt');

    const page = await (await browser.newContext()).newPage();
    await page.goto(host.loginUrl);
    const row = page.locator(`[data-testid="instance-row"][data-instance-id="${a.id}"]`);
    const [viewer] = await Promise.all([page.waitForEvent('popup'), row.locator('[data-testid="open-instance"]').click()]);
    await viewer.waitForSelector('[data-testid="viewer"][data-state="connected"]', { timeout: 30_000 });
    const viewerStates = await recordViewerStates(viewer);

    const t0 = Date.now();
    await engine.restart();
    const restarted = Date.now();

    // The viewer noticed the drop and connected again by itself.
    await viewer.waitForSelector('[data-testid="viewer"][data-state="connected"]', { timeout: 120_000 });
    console.log(`engine restart ${restarted - t0} ms; the viewer connected again ${Date.now() - restarted} ms after the engine answered`);
    assert.ok(viewerStates.some((s) => s === 'reconnecting'), `the viewer showed the drop (${viewerStates.join(' → ')})`);

    for (const [index, instance] of [a, b, c].entries()) {
      const container = await containerOf(instance.id);
      assert.equal(container?.Id, before[index]!.Id, 'the same container, not a new one');
      assert.equal(container?.State, 'running');
      assert.equal((await core.instances.get(instance.id))?.state, 'running');
      assert.ok(!(states.get(instance.id) ?? []).some((s) => s === 'stopped' || s === 'failed'), `no stop recorded (${states.get(instance.id)?.join(' → ')})`);
      // The connection follows the port the engine published it on after the restart.
      const published = (await engine.docker.getContainer(container!.Id).inspect()).NetworkSettings.Ports['5901/tcp']?.[0]?.HostPort;
      assert.equal(String((await core.instances.getConnection(instance.id))?.port), published);
    }
    assert.equal(await inDesktop(before[0]!.Id, 'cat ~/proof.txt'), 'written before the restart');
    const ticket = await callCore<DisplayTicket>(core, 'display.connect', { instanceId: b.id });
    assert.ok((await litPixels(ticket)) > 0, 'the other desktop is drawn after the restart');

    await viewer.close();
    for (const i of [a, b, c]) await callCore(core, 'instances.stop', { instanceId: i.id });
    for (const i of [a, b, c]) assert.equal(await containerOf(i.id), undefined);
  });

  test('a container the engine does not bring back is failed with the reason and kept, until started again, removed or expired', async () => {
    const [kept, expiring] = [await startRunning(), await startRunning()];
    // As with a container made without the restart policy (older versions, or `docker update`).
    for (const i of [kept, expiring]) await engine.docker.getContainer((await containerOf(i.id))!.Id).update({ RestartPolicy: { Name: 'no' } });

    await engine.restart();

    for (const i of [kept, expiring]) {
      const failed = await waitForState(core, i.id, 'failed', 60_000);
      assert.match(failed.stateReason ?? '', /stopped while DaaS Desktop was closed or could not reach its engine .* kept, with its files/);
      assert.equal((await containerOf(i.id))?.State, 'exited', 'the container is kept');
    }

    // Started again (here by hand, as an engine that restarts it late would): re-attached.
    const entry = core.providers.all().find((e) => e.kind === 'docker')!;
    const keptId = (await containerOf(kept.id))!.Id;
    await engine.docker.getContainer(keptId).start();
    await core.reconcileEndpoint(entry);
    assert.equal((await core.instances.get(kept.id))?.state, 'running');
    const published = (await engine.docker.getContainer(keptId).inspect()).NetworkSettings.Ports['5901/tcp']?.[0]?.HostPort;
    assert.equal(String((await core.instances.getConnection(kept.id))?.port), published);
    const ticket = await callCore<DisplayTicket>(core, 'display.connect', { instanceId: kept.id });
    assert.ok((await litPixels(ticket)) > 0, 'the re-attached desktop is drawn');

    // The user removes it: the container goes.
    await callCore(core, 'instances.stop', { instanceId: kept.id });
    assert.equal((await core.instances.get(kept.id))?.state, 'stopped');
    assert.equal(await containerOf(kept.id), undefined);

    // The other stays through a reconcile while the setting allows, and goes once it does not.
    await core.reconcileEndpoint(entry);
    assert.ok(await containerOf(expiring.id), 'kept within keepFailedContainersHours (default 168)');
    await callCore(core, 'settings.update', { keepFailedContainersHours: 0 });
    await core.reconcileEndpoint(entry);
    assert.equal(await containerOf(expiring.id), undefined, 'removed once the time is up');
    const row = await core.instances.get(expiring.id);
    assert.equal(row?.state, 'stopped');
    assert.match(row?.stateReason ?? '', /removed 0 hours after the instance failed/);
  });

  test('a viewer is sent where the engine publishes its desktop now, not to the port its row remembers', async () => {
    // After an engine restart, ports are handed out afresh: the row of one desktop can name
    // the port another desktop got, until the next reconcile. A ticket must not trust it.
    const [a, b] = [await startRunning(), await startRunning()];
    const portOfB = (await core.instances.getConnection(b.id))!.port;
    await core.instances.setConnectionPort(a.id, portOfB);

    const ticket = await callCore<DisplayTicket>(core, 'display.connect', { instanceId: a.id });
    assert.ok((await litPixels(ticket)) > 0, "a's desktop is drawn (its password would not open b's)");
    const published = (await engine.docker.getContainer((await containerOf(a.id))!.Id).inspect()).NetworkSettings.Ports['5901/tcp']?.[0]?.HostPort;
    assert.equal(String((await core.instances.getConnection(a.id))?.port), published, 'the row learnt the port');

    for (const i of [a, b]) await callCore(core, 'instances.stop', { instanceId: i.id });
  });
});

/** Every data-state the viewer takes from now on. */
async function recordViewerStates(viewer: Page): Promise<string[]> {
  const seen: string[] = [];
  await viewer.exposeFunction('__recordViewerState', (s: string) => void seen.push(s));
  await viewer.evaluate(() => {
    const el = document.querySelector('[data-testid="viewer"]')!;
    new MutationObserver(() => {
      (window as unknown as { __recordViewerState: (s: string) => void }).__recordViewerState(el.getAttribute('data-state') ?? '');
    }).observe(el, { attributes: true, attributeFilter: ['data-state'] });
  });
  await waitUntil(async () => true, 1_000, 'the recorder');
  return seen;
}
