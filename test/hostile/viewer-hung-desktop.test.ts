// Finding 16 end to end: the viewer window (real Chromium, headless host, real container
// desktop). The container's Xtigervnc is stopped with SIGSTOP from the host: the viewer says
// "Desktop not responding" with the gateway's default watchdog (no shortened timings) and
// offers "Restart desktop"; clicking it restarts the instance and the viewer is connected again.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright';
import { rendererDir } from '../../src-main/config/paths';
import type { Core } from '../../src-main/core';
import { startHeadlessHost, type HeadlessHost } from '../../src-main/host/headless-host';
import { launchChromium } from '../helpers/browser';
import { callCore, openCore, tempDataDir } from '../helpers/core';
import { containersOf, docker } from '../helpers/docker';

let core: Core;
let host: HeadlessHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let viewer: Page;
let instanceId = '';
let stoppedPid = 0;

/** Host PID of the container's VNC server (from `docker top`). */
async function vncServerPid(containerId: string): Promise<number> {
  const top = (await docker.getContainer(containerId).top()) as { Titles: string[]; Processes: string[][] };
  const pidAt = top.Titles.indexOf('PID');
  const row = top.Processes.find((p) => p.some((field) => field.includes('Xtigervnc')));
  assert.ok(row, `no Xtigervnc in the container: ${JSON.stringify(top.Processes)}`);
  return Number(row[pidAt]);
}

/** Rethrows a timeout with what the viewer shows and the instance's state. */
async function explain(err: Error): Promise<never> {
  const state = await viewer.locator('[data-testid="viewer"]').getAttribute('data-state').catch(() => '?');
  const shown = await viewer.locator('[data-testid="viewer-overlay"]').textContent().catch(() => '');
  const instances = await callCore<Array<{ id: string }>>(core, 'instances.list', {});
  throw new Error(`${err.message}\nviewer (${state}) shows: ${shown}\ninstance: ${JSON.stringify(instances.find((i) => i.id === instanceId))}`);
}

before(async () => {
  core = await openCore(await tempDataDir());
  host = await startHeadlessHost(core, { rendererDir: rendererDir() });
  browser = await launchChromium();
  context = await browser.newContext();
  page = await context.newPage();
  await page.goto(host.loginUrl);
  const card = page.locator('[data-testid="app-card"][data-app-id="linux-desktop"]');
  await card.locator('[data-testid="start-app"]').click();
  const row = page.locator('[data-testid="instance-row"]').first();
  await page.waitForSelector('[data-testid="instance-row"][data-state="running"]', { timeout: 60_000 });
  instanceId = (await row.getAttribute('data-instance-id'))!;
  [viewer] = await Promise.all([page.waitForEvent('popup'), row.locator('[data-testid="open-instance"]').click()]);
  await viewer.waitForSelector('[data-testid="viewer"][data-state="connected"]', { timeout: 30_000 });
});

after(async () => {
  if (stoppedPid) {
    try {
      process.kill(stoppedPid, 'SIGCONT');
    } catch {
      // already gone (the restart killed it)
    }
  }
  await context?.close().catch(() => undefined);
  await browser?.close();
  await host?.close();
  if (instanceId) await callCore(core, 'instances.stop', { instanceId }).catch(() => undefined);
  await core?.close();
  // Only this test's container: other tests may share the engine.
  if (instanceId) for (const c of await containersOf(instanceId)) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
});

test('a frozen desktop is reported as not responding, and "Restart desktop" brings it back', async () => {
  const [container] = await containersOf(instanceId);
  assert.ok(container, 'the instance has its container');
  stoppedPid = await vncServerPid(container.Id);
  process.kill(stoppedPid, 'SIGSTOP');

  // Default watchdog: a probe after 5 s of quiet, 15 s to answer it.
  const restart = viewer.locator('[data-testid="restart-desktop"]');
  await restart.waitFor({ timeout: 45_000 }).catch(explain);
  const overlay = (await viewer.locator('[data-testid="viewer-overlay"]').textContent()) ?? '';
  assert.match(overlay, /Desktop not responding/);
  assert.match(overlay, /0x0202/);
  assert.equal(await viewer.locator('[data-testid="viewer"]').getAttribute('data-state'), 'error');

  await restart.click();
  // The restart kills the stopped server (SIGKILL after Docker's grace period) and starts it anew.
  await viewer.waitForSelector('[data-testid="viewer"][data-state="connected"]', { timeout: 120_000 }).catch(explain);
  stoppedPid = 0;
  const [after] = await containersOf(instanceId);
  assert.equal(after?.Id, container.Id, 'the same container was restarted, not replaced');
  assert.equal(after?.State, 'running');
});
