// End to end in Chromium, against a real registry on loopback: Start on an app whose image
// is missing fails on its card, which then offers "Pull image and start"; the pull shows its
// layers and the app starts once the image is there. The editor refuses an upper-case name.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import type { Core } from '../../src-main/core';
import type { HeadlessHost } from '../../src-main/host/headless-host';
import type { App } from '../../src-shared/model';
import { closeAppInChromium, startAppInChromium } from '../helpers/app-in-chromium';
import { callCore } from '../helpers/core';
import { docker } from '../helpers/docker';
import { withFailureScreenshots } from '../helpers/failure-screenshot';
import { pushWithFreshLayer, startRegistry, type TestRegistry } from '../helpers/image-registry';

let core: Core;
let host: HeadlessHost;
let browser: Browser;
let registry: TestRegistry;
let page: Page;
const images: string[] = [];

before(async () => {
  registry = await startRegistry();
  ({ core, host, browser } = await startAppInChromium());
});

after(async () => {
  await closeAppInChromium({ core, host, browser }, { removeContainers: true });
  for (const image of images) await docker.getImage(image).remove({ force: true }).catch(() => undefined);
  await registry?.close();
});

test('Start on a missing image offers "Pull image and start", shows the layers, and starts', () =>
  withFailureScreenshots('image-pull-ui', () => (page ? [page] : []), async () => {
    const image = `${registry.address}/daas-pull-ui:${randomBytes(4).toString('hex')}`;
    images.push(image);
    await pushWithFreshLayer('daas/desktop:latest', image);
    const app = await callCore<App>(core, 'apps.create', { app: { name: 'Pull me', provider: 'docker', docker: { image } } });
    page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
    await page.goto(host.loginUrl);
    const card = page.locator(`[data-testid="app-card"][data-app-id="${app.id}"]`);
    await card.locator('[data-testid="image-status"][data-present="false"]').waitFor();
    await card.locator('[data-testid="start-app"]').click();
    await card.locator('[data-testid="card-error"]').waitFor();
    const pull = card.locator('[data-testid="pull-image"]');
    await pull.filter({ hasText: 'Pull image and start' }).waitFor();
    await pull.click();
    await card.locator('[data-testid="build-log"][data-kind="pull"][data-outcome="built"]').waitFor({ timeout: 120_000 });
    assert.ok((await card.locator('[data-testid="pull-layer"]').count()) >= 1, 'the layers are listed');
    await card.locator('[data-testid="image-status"][data-present="true"]').waitFor();
    // Started once the image was there.
    await page.locator(`[data-testid="instance-row"][data-app-id="${app.id}"]`).waitFor({ timeout: 30_000 });
  }));

test('the editor refuses an image name Docker would refuse, with the rule in words', () =>
  withFailureScreenshots('image-name-rule', () => (page ? [page] : []), async () => {
    await page.locator('[data-testid="new-app"]').click();
    const editor = page.locator('[data-testid="app-editor"]');
    await editor.locator('[data-testid="app-field-name"]').fill('Upper');
    await editor.locator('[data-testid="app-field-image"]').fill('Daas/Desktop:latest');
    await editor.locator('[data-testid="app-editor-save"]').click();
    const error = editor.locator('[data-testid="app-field-error"][data-field="image"]');
    await error.waitFor();
    assert.match(await error.innerText(), /"Daas\/Desktop:latest" is not an image name Docker accepts\. Docker image names use lower-case letters, digits/);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'app-field-image');
  }));
