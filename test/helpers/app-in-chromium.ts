// The app as the end-to-end tests drive it: a real core, the headless host serving the built
// renderer, real Chromium; the catalogue page; a desktop started from its card and shown in its
// viewer. One copy of the set-up and tear-down every test/e2e file used to repeat.
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Locator, Page } from 'playwright';
import { rendererDir } from '../../src-main/config/paths';
import type { Core } from '../../src-main/core';
import { startHeadlessHost, type HeadlessHost } from '../../src-main/host/headless-host';
import { launchChromium } from './browser';
import { openCore, tempDataDir } from './core';
import { containersOf, removeOwnedBy } from './docker';

export interface AppInChromium {
  core: Core;
  host: HeadlessHost;
  browser: Browser;
}

/**
 * Opens a core (on `dataDir`, a new temp folder by default, or as `open` does it), serves the
 * renderer headless and launches Chromium. When a step fails, what was started is closed again.
 */
export async function startAppInChromium(options: { dataDir?: string; open?: () => Promise<Core> } = {}): Promise<AppInChromium> {
  const started: Partial<AppInChromium> = {};
  try {
    started.core = await (options.open ? options.open() : openCore(options.dataDir ?? (await tempDataDir())));
    started.host = await startHeadlessHost(started.core, { rendererDir: rendererDir() });
    started.browser = await launchChromium();
    return started as AppInChromium;
  } catch (err) {
    await closeAppInChromium(started).catch(() => undefined);
    throw err;
  }
}

/**
 * Closes what startAppInChromium started, in reverse order (any part may be missing when the
 * start failed); with `removeContainers`, then removes the containers that core made — only
 * those: other tests may share the engine.
 */
export async function closeAppInChromium(app: Partial<AppInChromium>, options: { removeContainers?: boolean } = {}): Promise<void> {
  await app.browser?.close();
  await app.host?.close();
  await app.core?.close();
  if (app.core && options.removeContainers) await removeOwnedBy(app.core.installationId);
}

/**
 * A new page (in a new context, or in `context`) showing the catalogue once its first app card
 * is there; `pages` (for failure screenshots) gets the page before it loads.
 */
export async function openCatalogue(context: Browser | BrowserContext, host: HeadlessHost, pages?: Page[]): Promise<Page> {
  const page = await context.newPage();
  pages?.push(page);
  await page.goto(host.loginUrl);
  await page.locator('[data-testid="app-card"]').first().waitFor();
  return page;
}

export interface StartedFromCard {
  /** The instance's row in the catalogue page (the first one). */
  row: Locator;
  instanceId: string;
  containerId: string;
}

/** Clicks Start on the app's card, waits for its instance row to be running, and finds its container. */
export async function startFromCard(page: Page, appId = 'linux-desktop'): Promise<StartedFromCard> {
  await page.locator(`[data-testid="app-card"][data-app-id="${appId}"] [data-testid="start-app"]`).click();
  const row = page.locator('[data-testid="instance-row"]').first();
  await page.waitForSelector('[data-testid="instance-row"][data-state="running"]', { timeout: 60_000 });
  const instanceId = await row.getAttribute('data-instance-id');
  assert.ok(instanceId, 'the row names its instance');
  const [container] = await containersOf(instanceId);
  assert.ok(container, 'the instance has its container');
  return { row, instanceId, containerId: container.Id };
}

/** Opens the row's viewer window (at `viewport` when given) and waits until it is connected. */
export async function openViewer(page: Page, row: Locator, viewport?: { width: number; height: number }): Promise<Page> {
  const [viewer] = await Promise.all([page.waitForEvent('popup'), row.locator('[data-testid="open-instance"]').click()]);
  if (viewport) await viewer.setViewportSize(viewport);
  await viewer.waitForSelector('[data-testid="viewer"][data-state="connected"]', { timeout: 30_000 });
  return viewer;
}

/** The built-in desktop started from its card in the catalogue page and shown, connected, in its viewer. */
export async function startDesktopInViewer(page: Page, viewport?: { width: number; height: number }): Promise<StartedFromCard & { viewer: Page }> {
  const started = await startFromCard(page);
  return { ...started, viewer: await openViewer(page, started.row, viewport) };
}
