// End to end in Debian's Chromium against the headless host, a real core and real Docker:
// feedback where the user is looking. A failed start shows on its card and in a toast that
// stays in view (both languages); Start keeps focus and the card says "1 running · Open";
// Stop, Force stop and Restart ask first while a viewer is open, and the viewer says
// "restarting" during a Restart the user asked for; Delete asks whether the home volume goes
// too; ended rows can be removed, cleared,
// started again, selected and filtered.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright';
import type { Core } from '../../src-main/core';
import type { HeadlessHost } from '../../src-main/host/headless-host';
import { ERROR_TEXTS_DE } from '../../src-shared/error-texts-de';
import { ERROR_TEXTS } from '../../src-shared/error-texts';
import type { App, Instance } from '../../src-shared/model';
import { de } from '../../src-renderer/i18n/messages/de';
import { en } from '../../src-renderer/i18n/messages/en';
import { axeViolations } from '../helpers/axe';
import { chooseAppAction } from '../helpers/catalogue-cards';
import { closeAppInChromium, openCatalogue, startAppInChromium } from '../helpers/app-in-chromium';
import { callCore, waitForState } from '../helpers/core';
import { containersOf, docker } from '../helpers/docker';
import { withFailureScreenshots } from '../helpers/failure-screenshot';

let core: Core;
let host: HeadlessHost;
let browser: Browser;
const pages: Page[] = [];
const volumes: string[] = [];

before(async () => {
  ({ core, host, browser } = await startAppInChromium());
});

after(async () => {
  await closeAppInChromium({ core, host, browser }, { removeContainers: true });
  for (const name of volumes) await docker.getVolume(name).remove().catch(() => undefined);
});

async function createApp(name: string, docker: Record<string, unknown>): Promise<App> {
  return callCore<App>(core, 'apps.create', { app: { name, provider: 'docker', docker } });
}

/** The catalogue in a small window (800×600), as a person with a laptop sees it. */
/** A page in a context of its own (800x600, with `options`) showing the catalogue. */
async function catalogue(options: { bypassCSP?: boolean } = {}): Promise<Page> {
  return openCatalogue(await browser.newContext({ viewport: { width: 800, height: 600 }, ...options }), host, pages);
}

async function focusedTestId(page: Page): Promise<string | null> {
  return page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? null);
}

/** Whether the whole element is inside the window's visible area now. */
async function inView(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
  });
}

const fill = (text: string, params: Record<string, string>) => text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => params[k] ?? '');
const shown = (pageList: () => Page[], name: string, run: () => Promise<void>) => withFailureScreenshots(name, pageList, run);

test('a failed start shows on its card and in a toast that stays in view until dismissed, in English and German', async () => {
  // Enough apps that the one that fails sits below the fold.
  for (let i = 0; i < 6; i++) await createApp(`Filler ${i}`, { image: 'daas/desktop:latest' });
  const image = `daas/no-such-image-${randomBytes(3).toString('hex')}:1`;
  const broken = await createApp('Missing image', { image });
  const page = await catalogue();
  await shown(() => [page], 'e2e-start-error', async () => {
    const card = page.locator(`[data-testid="app-card"][data-app-id="${broken.id}"]`);
    const start = card.locator('[data-testid="start-app"]');
    await start.scrollIntoViewIfNeeded();
    assert.ok(await page.evaluate(() => window.scrollY > 200), 'the card is far below the top of the page');
    await start.focus();
    await page.keyboard.press('Enter');

    const toast = page.locator('[data-testid="error-banner"]');
    await toast.waitFor();
    const expected = fill(ERROR_TEXTS['error.image.missing'], { image });
    assert.equal(await toast.getAttribute('role'), 'alert', 'the toast is announced');
    assert.match(await toast.innerText(), new RegExp(expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.ok(await inView(toast), 'the toast is in view where the page is scrolled');
    const cardError = card.locator('[data-testid="card-error"]');
    assert.match(await cardError.innerText(), new RegExp(image.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'the card that failed says why');
    assert.ok(await inView(cardError), 'the card error is where the user looks');
    assert.equal(await focusedTestId(page), 'start-app', 'focus stays on the Start button used');
    assert.equal(await card.locator('[data-testid="start-app"]').evaluate((el) => el === document.activeElement), true);

    // Scrolling does not take the toast away.
    await page.mouse.wheel(0, -2000);
    await page.waitForFunction(() => window.scrollY === 0);
    assert.ok(await inView(toast), 'the toast stays in view after scrolling');

    // Escape dismisses it; the card keeps its own notice until dismissed there.
    await page.keyboard.press('Escape');
    await toast.waitFor({ state: 'detached' });
    await cardError.waitFor();
    await cardError.locator('[data-testid="card-error-dismiss"]').click();
    await cardError.waitFor({ state: 'detached' });

    // German: the same failure, in German words, on the card and in the toast.
    await callCore(core, 'settings.update', { language: 'de' });
    await page.waitForFunction(() => document.documentElement.lang === 'de');
    await start.click();
    await toast.waitFor();
    const german = fill(ERROR_TEXTS_DE['error.image.missing'], { image });
    assert.ok((await toast.innerText()).includes(german), `the toast is German: ${await toast.innerText()}`);
    assert.ok((await cardError.innerText()).includes(german), 'the card error is German');
    assert.equal(await toast.locator('[data-testid="error-banner-dismiss"]').innerText(), de['common.dismiss']);
    await toast.locator('[data-testid="error-banner-dismiss"]').click();
    await toast.waitFor({ state: 'detached' });
  });
  await callCore(core, 'settings.update', { language: 'en' });
  await page.context().close();
});

test('Start keeps focus and the card shows "1 running · Open"; Restart and Stop ask while a viewer is open, the viewer says restarting; Delete offers to delete the home volume', async () => {
  const volume = `daas-e2e-home-${randomBytes(4).toString('hex')}`;
  volumes.push(volume);
  const app = await createApp('Feedback desktop', { image: 'daas/desktop:latest', homeVolume: { name: volume, mountPath: '/home/desktop' } });
  const page = await catalogue();
  let viewer: Page | undefined;
  await shown(() => [page, ...(viewer ? [viewer] : [])], 'e2e-start-restart', async () => {
    const card = page.locator(`[data-testid="app-card"][data-app-id="${app.id}"]`);
    const start = card.locator('[data-testid="start-app"]');
    await start.scrollIntoViewIfNeeded();
    await start.focus();
    await page.keyboard.press('Enter');
    const running = card.locator('[data-testid="card-running-text"]');
    await page.waitForFunction(
      (id) => document.querySelector(`[data-app-id="${id}"] [data-testid="card-running-text"]`)?.textContent === '1 running',
      app.id,
      { timeout: 90_000 },
    );
    assert.equal(await running.innerText(), '1 running');
    assert.ok(await inView(running), 'the card says it runs, in view');
    assert.equal(await focusedTestId(page), 'start-app', 'focus stayed on Start through the whole start');
    const row = page.locator(`[data-testid="instance-row"][data-app-id="${app.id}"]`);
    const instanceId = (await row.getAttribute('data-instance-id'))!;

    // The card's Open opens the new instance's desktop.
    [viewer] = await Promise.all([page.waitForEvent('popup'), card.locator('[data-testid="card-open-instance"]').click()]);
    pages.push(viewer);
    await viewer.waitForSelector('[data-testid="viewer"][data-state="connected"]', { timeout: 30_000 });

    // Everything the viewer's overlay says from here on.
    await viewer.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      new MutationObserver(() => {
        for (const el of document.querySelectorAll('.overlay-title, .overlay-code')) seen.push(`${el.className}: ${el.textContent}`);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    // Restart asks: a viewer is open; it says what is lost and that the home volume stays.
    await row.locator('[data-testid="restart-instance"]').click();
    const dialog = page.locator('[data-testid="confirm-dialog"]');
    await dialog.waitFor();
    const question = await dialog.innerText();
    assert.match(question, /Restart .+\?/);
    assert.ok(question.includes(fill(en['instance.inUseViewers'].one, { count: '1' })), question);
    assert.ok(question.includes(en['instance.restartLoses']), question);
    assert.ok(question.includes(en['instance.homeVolumeKept']), question);
    await dialog.locator('[data-testid="confirm-dialog-confirm"]').click();

    await viewer.waitForFunction(() => (window as unknown as { seen: string[] }).seen.some((s) => s.includes('Restarting')), null, { timeout: 30_000 });
    await waitForState(core, instanceId, 'running', 60_000);
    await viewer.waitForSelector('[data-testid="viewer"][data-state="connected"]', { timeout: 30_000 });
    const seen = await viewer.evaluate(() => (window as unknown as { seen: string[] }).seen);
    assert.ok(seen.some((s) => s.includes(en['viewer.restarting'])), `the viewer said restarting: ${seen.join(' | ')}`);
    assert.deepEqual(
      seen.filter((s) => s.includes('overlay-code') || /unreachable|0x0/i.test(s)),
      [],
      'no error code or "unreachable" during the restart the user asked for',
    );

    // Stop asks too; Cancel changes nothing.
    await row.locator('[data-testid="stop-instance"]').click();
    await dialog.waitFor();
    const stopQuestion = await dialog.innerText();
    assert.ok(stopQuestion.includes(en['instance.stopLoses']), stopQuestion);
    assert.ok(stopQuestion.includes(en['instance.homeVolumeKept']), stopQuestion);
    await dialog.getByRole('button', { name: en['common.cancel'] }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await focusedTestId(page), 'stop-instance', 'Cancel returns focus to Stop');
    assert.equal((await core.instances.get(instanceId))?.state, 'running', 'Cancel stopped nothing');
    assert.equal((await containersOf(instanceId)).length, 1, 'its container is still there');

    // The viewer closed a moment ago: that counts as recent use, so Force stop asks too.
    await viewer.close();
    for (let i = 0; i < 100 && core.display.viewerCount(instanceId) > 0; i++) await page.waitForTimeout(100);
    assert.equal(core.display.viewerCount(instanceId), 0, 'the viewer is gone');
    await row.locator('[data-testid="force-stop-instance"]').click();
    await dialog.waitFor();
    const forceQuestion = await dialog.innerText();
    assert.match(forceQuestion, /Force stop/);
    assert.ok(forceQuestion.includes(en['instance.inUseRecently'].one), forceQuestion);
    await dialog.locator('[data-testid="confirm-dialog-confirm"]').click();
    await waitForState(core, instanceId, 'stopped', 30_000);
    assert.deepEqual(await containersOf(instanceId), [], 'the container is gone');
    await page.waitForFunction((id) => !document.querySelector(`[data-app-id="${id}"] [data-testid="card-running"]`), app.id);

    // Deleting the app asks whether its home volume goes too: ticked, it goes with the app.
    await docker.getVolume(volume).inspect();
    await chooseAppAction(card, 'delete-app');
    await dialog.waitFor();
    assert.ok((await dialog.innerText()).includes(fill(en['card.deleteHomeVolume'], { volume })));
    await dialog.locator('[data-testid="delete-home-volume"]').check();
    await dialog.locator('[data-testid="confirm-dialog-confirm"]').click();
    await card.waitFor({ state: 'detached' });
    await assert.rejects(docker.getVolume(volume).inspect(), /no such volume/i);
  });
  await page.context().close();
});

test('ended rows: filter, Start again, multi-select Remove and Stop, Clear stopped; the database agrees', async () => {
  const app = await createApp('Rows desktop', { image: 'daas/desktop:latest' });
  const [a, b] = [await callCore<Instance>(core, 'instances.start', { appId: app.id }), await callCore<Instance>(core, 'instances.start', { appId: app.id })];
  await waitForState(core, a.id, 'running', 90_000);
  await waitForState(core, b.id, 'running', 90_000);
  const page = await catalogue({ bypassCSP: true });
  await shown(() => [page], 'e2e-instance-rows', async () => {
    const rowOf = (id: string) => page.locator(`[data-testid="instance-row"][data-instance-id="${id}"]`);
    // Never viewed: Stop does not ask.
    await rowOf(a.id).locator('[data-testid="stop-instance"]').click();
    await page.waitForSelector(`[data-testid="instance-row"][data-instance-id="${a.id}"][data-state="stopped"]`, { timeout: 30_000 });
    assert.equal(await page.locator('[data-testid="confirm-dialog"]').count(), 0, 'nobody used it: no question');
    await page.waitForFunction((id) => document.activeElement?.closest(`[data-instance-id="${id}"]`) !== null, a.id);
    assert.equal(await focusedTestId(page), 'start-again', 'focus moved from Stop to the stopped row\'s Start again, not to the page');
    // Killed outside the app: failed.
    const [container] = await containersOf(b.id);
    await docker.getContainer(container!.Id).kill();
    await page.waitForSelector(`[data-testid="instance-row"][data-instance-id="${b.id}"][data-state="failed"]`, { timeout: 30_000 });

    // The filter hides ended rows and shows them again.
    await page.locator('[data-testid="instance-filter"]').selectOption('active');
    await rowOf(a.id).waitFor({ state: 'detached' });
    assert.equal(await rowOf(b.id).count(), 0, 'the failed row is hidden too');
    await page.locator('[data-testid="instances-filtered-empty"]').waitFor();
    await page.locator('[data-testid="instance-filter"]').selectOption('all');
    await rowOf(a.id).waitFor();

    // Start again: a new instance of the same app; focus stays on the button.
    await rowOf(a.id).locator('[data-testid="start-again"]').click();
    await page.waitForFunction(
      (id) => document.querySelectorAll(`[data-testid="instance-row"][data-app-id="${id}"]`).length === 3,
      app.id,
      { timeout: 30_000 },
    );
    assert.equal(await focusedTestId(page), 'start-again', 'focus stays on Start again');
    const ids = await page
      .locator(`[data-testid="instance-row"][data-app-id="${app.id}"]`)
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-instance-id') ?? ''));
    const c = ids.find((id) => id !== a.id && id !== b.id)!;
    await waitForState(core, c, 'running', 90_000);

    // Axe on the list with running, stopped and failed rows, a selection and the bulk bar.
    await rowOf(a.id).locator('[data-testid="select-instance"]').check();
    await rowOf(b.id).locator('[data-testid="select-instance"]').check();
    assert.equal(await page.locator('[data-testid="selected-count"]').innerText(), '2 selected');
    assert.deepEqual(await axeViolations(page, 'instance list with selection'), []);

    // Remove selected: asks, names the failed one's kept container, then the rows go.
    await page.locator('[data-testid="remove-selected"]').click();
    const dialog = page.locator('[data-testid="confirm-dialog"]');
    await dialog.waitFor();
    assert.ok((await dialog.innerText()).includes(fill(en['instances.removeFailedLoses'].one, { count: '1' })));
    await dialog.locator('[data-testid="confirm-dialog-confirm"]').click();
    await rowOf(a.id).waitFor({ state: 'detached' });
    await rowOf(b.id).waitFor({ state: 'detached' });
    assert.equal(await core.instances.get(a.id), undefined, 'the stopped row is gone from the database');
    assert.equal(await core.instances.get(b.id), undefined, 'the failed row is gone from the database');
    assert.deepEqual(await core.instances.events(a.id), [], 'its history too');
    assert.deepEqual(await containersOf(b.id), []);
    assert.equal((await core.instances.get(c))?.state, 'running', 'the running one stays');

    // Select all shown (the running one), Stop selected: asks, then stops.
    await page.locator('[data-testid="select-all-instances"]').check();
    await page.locator('[data-testid="stop-selected"]').click();
    await dialog.waitFor();
    await dialog.locator('[data-testid="confirm-dialog-confirm"]').click();
    await waitForState(core, c, 'stopped', 30_000);

    // Clear stopped empties the list and the table, by keyboard alone: Tab from the filter, Enter,
    // Tab past Cancel (where the question puts focus), Enter.
    await page.waitForSelector(`[data-testid="instance-row"][data-instance-id="${c}"][data-state="stopped"]`);
    await page.locator('[data-testid="instance-filter"]').focus();
    await page.keyboard.press('Tab');
    assert.equal(await focusedTestId(page), 'clear-stopped');
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await focusedTestId(page), 'confirm-dialog-confirm');
    await page.keyboard.press('Enter');
    await rowOf(c).waitFor({ state: 'detached' });
    assert.equal(await core.instances.get(c), undefined);
    assert.equal((await core.instances.list()).filter((i) => i.appId === app.id).length, 0, 'no row of the app is left');
  });
  await page.context().close();
});
