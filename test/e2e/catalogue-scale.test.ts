// A catalogue of many apps in Debian's Chromium against the headless host, a real core and
// real Docker (issue 17, items 8 and 11): search by name, description and tag; filter by
// backend and tag; sort by name or last use; a table view beside the cards that the window
// remembers; long descriptions cut short with the whole text on hover. By keyboard: Start is
// a card's first stop, Edit/Duplicate/Delete sit behind a "more" menu with Delete last, focus
// stays put after an action, and the "Instances" link scrolls its heading clear of the header.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright';
import type { Core } from '../../src-main/core';
import type { HeadlessHost } from '../../src-main/host/headless-host';
import type { App, Instance } from '../../src-shared/model';
import { axeViolations } from '../helpers/axe';
import { closeAppInChromium, openCatalogue, startAppInChromium } from '../helpers/app-in-chromium';
import { callCore, waitForState } from '../helpers/core';
import { withFailureScreenshots } from '../helpers/failure-screenshot';

let core: Core;
let host: HeadlessHost;
let browser: Browser;
const pages: Page[] = [];
const LONG = `A full office suite with a word processor, spreadsheets and slides. ${'It keeps going to fill the card. '.repeat(12)}THE END`;
const apps: Record<string, App> = {};

before(async () => {
  ({ core, host, browser } = await startAppInChromium());
  const make = async (key: string, app: Record<string, unknown>) => {
    apps[key] = await callCore<App>(core, 'apps.create', { app });
  };
  await make('office', { name: 'Office suite', description: LONG, tags: ['office', 'docs'], provider: 'docker', docker: { image: 'daas/desktop:latest' } });
  await make('spread', { name: 'Spreadsheets', description: 'Numbers and charts', tags: ['office'], provider: 'docker', docker: { image: 'daas/desktop:latest' } });
  await make('ide', { name: 'Développement', description: 'An editor and a terminal', tags: ['dev'], provider: 'docker', docker: { image: 'daas/desktop:latest' } });
  await make('vm', {
    name: 'Windows VM',
    description: 'A clone of the Windows template',
    tags: ['office'],
    provider: 'proxmox',
    proxmox: { endpointId: 'lab', templateVmid: 9000 },
  });
  for (let i = 0; i < 5; i++) await make(`filler${i}`, { name: `Zeta filler ${i}`, provider: 'docker', docker: { image: 'daas/desktop:latest' } });
});

after(() => closeAppInChromium({ core, host, browser }, { removeContainers: true }));

const shown = (name: string, run: () => Promise<void>) => withFailureScreenshots(name, () => pages, run);

/** A page in a context of its own (800x600, with `options`) showing the catalogue. */
async function catalogue(options: { colorScheme?: 'light' | 'dark'; bypassCSP?: boolean } = {}): Promise<Page> {
  return openCatalogue(await browser.newContext({ viewport: { width: 800, height: 600 }, ...options }), host, pages);
}

/** The names of the apps shown, in order (cards or table rows). */
async function names(page: Page): Promise<string[]> {
  return page.locator('[data-testid="app-card"] .app-name, [data-testid="app-row"] th').evaluateAll((els) =>
    els.map((el) => (el.firstChild?.textContent ?? el.textContent ?? '').trim()),
  );
}

const focusedTestId = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? null);
const focusedAppId = (page: Page) => page.evaluate(() => (document.activeElement?.closest('[data-app-id]') as HTMLElement | null)?.dataset.appId ?? null);

test('search finds apps by name, description and tag; backend and tag filters narrow; Clear shows all', async () => {
  await shown('catalogue-search', async () => {
    const page = await catalogue();
    const search = page.locator('[data-testid="catalogue-search"]');
    const count = page.locator('[data-testid="catalogue-count"]');
    const total = (await core.apps.list()).length;

    // A name, and a description (the office suite's and the built-in Office's mention spreadsheets).
    await search.fill('spreadsh');
    await page.locator('[data-testid="app-card"]').first().waitFor();
    assert.deepEqual(await names(page), ['Office', 'Office suite', 'Spreadsheets']);
    assert.equal(await count.innerText(), `3 of ${total} apps shown.`);
    // Without regard to case.
    await search.fill('CHARTS');
    assert.deepEqual(await names(page), ['Spreadsheets']);
    // A tag, and accents do not matter.
    await search.fill('dev');
    assert.deepEqual(await names(page), ['Développement']);
    await search.fill('developpement');
    assert.deepEqual(await names(page), ['Développement']);
    // Every word must match.
    await search.fill('office windows');
    assert.deepEqual(await names(page), ['Windows VM']);

    // Escape clears the search.
    await search.press('Escape');
    assert.equal(await search.inputValue(), '');
    assert.equal((await names(page)).length, total);

    await page.locator('[data-testid="catalogue-tag"]').selectOption('office');
    assert.deepEqual(await names(page), ['Office suite', 'Spreadsheets', 'Windows VM']);
    await page.locator('[data-testid="catalogue-provider"]').selectOption('proxmox');
    assert.deepEqual(await names(page), ['Windows VM']);
    await page.locator('[data-testid="catalogue-provider"]').selectOption('docker');
    assert.deepEqual(await names(page), ['Office suite', 'Spreadsheets']);

    await search.fill('nothing like this');
    await page.locator('[data-testid="catalogue-no-match"]').waitFor();
    assert.match(await page.locator('[data-testid="catalogue-no-match"]').innerText(), /No app matches the search and filters\./);
    await page.locator('[data-testid="catalogue-clear"]').click();
    assert.equal((await names(page)).length, total);
    assert.equal(await search.inputValue(), '');
    assert.equal(await page.locator('[data-testid="catalogue-tag"]').inputValue(), '');
    await page.context().close();
  });
});

test('sort by name or by last use; the table view is remembered; long descriptions are cut with the whole text on hover', async () => {
  await shown('catalogue-sort-table', async () => {
    // Start (and stop) one app, so it is the one used last.
    const instance = await callCore<Instance>(core, 'instances.start', { appId: apps.spread!.id });
    await waitForState(core, instance.id, 'running', 60_000);
    await callCore(core, 'instances.stop', { instanceId: instance.id });
    await waitForState(core, instance.id, 'stopped', 30_000);

    const page = await catalogue();
    const byName = await names(page);
    assert.deepEqual(byName, [...byName].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base', numeric: true })));
    assert.equal(byName[0], 'Développement');

    await page.locator('[data-testid="catalogue-sort"]').selectOption('recent');
    assert.equal((await names(page))[0], 'Spreadsheets', 'the app used last comes first');

    // The card cuts the long description; the whole text is its title.
    const card = page.locator(`[data-testid="app-card"][data-app-id="${apps.office!.id}"]`);
    const description = card.locator('[data-testid="app-description"]');
    assert.equal(await description.getAttribute('title'), LONG);
    assert.ok(await description.evaluate((el) => el.scrollHeight > el.clientHeight + 4), 'the description is cut short on the card');
    assert.ok((await card.boundingBox())!.height < 400, 'the card stays compact');

    await page.locator('[data-testid="catalogue-view-table"]').click();
    const table = page.locator('[data-testid="app-table"]');
    await table.waitFor();
    assert.equal(await page.locator('[data-testid="app-card"]').count(), 0);
    assert.equal(await page.locator('[data-testid="catalogue-view-table"]').getAttribute('aria-pressed'), 'true');
    assert.equal((await names(page))[0], 'Spreadsheets', 'the table keeps the sort');
    const row = table.locator(`[data-testid="app-row"][data-app-id="${apps.office!.id}"]`);
    assert.match(await row.innerText(), /office/);
    // 800 px wide: the description column gives way; at 1100 px it shows one line, cut.
    await page.setViewportSize({ width: 1100, height: 700 });
    const cell = row.locator('[data-testid="app-description"]');
    assert.equal(await cell.getAttribute('title'), LONG);
    assert.ok(await cell.evaluate((el) => el.scrollWidth > el.clientWidth), 'one line, cut');

    // A new window on this computer opens in the table, sorted by last use.
    await page.reload();
    await page.locator('[data-testid="app-table"]').waitFor();
    assert.equal(await page.locator('[data-testid="catalogue-sort"]').inputValue(), 'recent');
    await page.locator('[data-testid="catalogue-view-cards"]').click();
    await page.locator('[data-testid="app-card"]').first().waitFor();
    await page.context().close();
  });
});

test('by keyboard: Start first, Delete last behind "more", focus kept after actions, Instances heading below the header', async () => {
  await shown('catalogue-keyboard', async () => {
    const page = await catalogue();
    const card = (key: string): Locator => page.locator(`[data-testid="app-card"][data-app-id="${apps[key]!.id}"]`);

    // A card's Tab stops: Start, then "more"; no Edit or Delete between cards.
    await card('ide').locator('[data-testid="start-app"]').waitFor();
    await page.locator('[data-testid="catalogue-view-table"]').focus();
    await page.keyboard.press('Tab');
    assert.equal(await focusedTestId(page), 'start-app', 'the first card starts with Start');
    const firstApp = await focusedAppId(page);
    await page.keyboard.press('Tab');
    assert.equal(await focusedTestId(page), 'app-more');
    assert.equal(await focusedAppId(page), firstApp);
    await page.keyboard.press('Tab');
    // The next card begins with its first action: Start, or Pull image when its image is missing
    // (the built-in apps whose images this machine lacks).
    assert.ok(['start-app', 'pull-image'].includes((await focusedTestId(page)) ?? ''), 'the next card begins with Start (or Pull image)');
    assert.notEqual(await focusedAppId(page), firstApp);

    // The menu: Enter opens it on Edit, Up wraps to Delete (the last), Escape gives focus back.
    const more = card('ide').locator('[data-testid="app-more"]');
    await more.focus();
    await page.keyboard.press('Enter');
    assert.equal(await focusedTestId(page), 'edit-app');
    assert.deepEqual(await card('ide').locator('[role="menuitem"]').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.testid)), [
      'edit-app',
      'duplicate-app',
      'delete-app',
    ]);
    await page.keyboard.press('ArrowUp');
    assert.equal(await focusedTestId(page), 'delete-app');
    await page.keyboard.press('Escape');
    assert.equal(await card('ide').locator('[role="menu"]').count(), 0);
    assert.equal(await focusedTestId(page), 'app-more');
    assert.equal(await focusedAppId(page), apps.ide!.id);

    // Edit by keyboard: Escape closes the unchanged editor and focus is back on "more".
    await page.keyboard.press('Enter');
    assert.equal(await focusedTestId(page), 'edit-app');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="app-editor"]').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="app-editor"]').waitFor({ state: 'detached' });
    assert.equal(await focusedTestId(page), 'app-more');
    assert.equal(await focusedAppId(page), apps.ide!.id);

    // Duplicate by keyboard: focus stays on this card's "more".
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focusedTestId(page), 'duplicate-app');
    await page.keyboard.press('Enter');
    const copy = page.locator('[data-testid="app-card"]', { hasText: 'Développement (copy)' });
    await copy.waitFor();
    assert.equal(await focusedTestId(page), 'app-more');
    assert.equal(await focusedAppId(page), apps.ide!.id);

    // Delete the copy by keyboard: after it goes, focus is on the next app's Start.
    const ids = await page.locator('[data-testid="app-card"]').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.appId!));
    const copyId = (await copy.getAttribute('data-app-id'))!;
    await copy.locator('[data-testid="app-more"]').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    assert.equal(await focusedTestId(page), 'delete-app');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="confirm-dialog"]').waitFor();
    await page.locator('[data-testid="confirm-dialog-confirm"]').focus();
    await page.keyboard.press('Enter');
    await copy.waitFor({ state: 'detached' });
    await page.waitForFunction(() => (document.activeElement as HTMLElement | null)?.dataset.testid === 'start-app');
    assert.equal(await focusedAppId(page), ids[ids.indexOf(copyId) + 1]);

    // Start keeps focus on Start.
    await card('filler4').locator('[data-testid="start-app"]').focus();
    await page.keyboard.press('Enter');
    await card('filler4').locator('[data-testid="card-running"]').waitFor({ timeout: 60_000 });
    assert.equal(await focusedTestId(page), 'start-app');
    assert.equal(await focusedAppId(page), apps.filler4!.id);

    // The header's "Instances" link: the heading ends up below the sticky header, not under it.
    // (A long instance list below, so the page can scroll the heading to the very top.)
    await page.evaluate(() => {
      const filler = document.createElement('div');
      filler.style.height = '3000px';
      document.querySelector('main')!.append(filler);
    });
    await page.locator('.topnav a[href="#instances-heading"]').click();
    await page.waitForFunction(() => document.getElementById('instances-heading')!.getBoundingClientRect().top < 200);
    const { heading, header } = await page.evaluate(() => ({
      heading: document.getElementById('instances-heading')!.getBoundingClientRect().top,
      header: document.querySelector('.topbar')!.getBoundingClientRect().bottom,
    }));
    assert.ok(heading >= header, `the heading (top ${heading}) is below the header (bottom ${header})`);
    await page.context().close();
  });
});

test('the editor stores tags; axe-core finds no serious problem in the filters, cards, table and menu, light and dark', async () => {
  const problems: string[] = [];
  await shown('catalogue-axe', async () => {
    const page = await catalogue();
    await page.locator('[data-testid="new-app"]').click();
    const editor = page.locator('[data-testid="app-editor"]');
    await editor.locator('[data-testid="app-field-name"]').fill('Tagged in the editor');
    await editor.locator('[data-testid="app-field-image"]').fill('daas/desktop:latest');
    await editor.locator('[data-testid="app-field-tags"]').fill(' graphics, dev ,graphics,');
    await editor.locator('[data-testid="app-editor-save"]').click();
    await editor.waitFor({ state: 'detached' });
    const stored = (await core.apps.list()).find((a) => a.name === 'Tagged in the editor');
    assert.deepEqual(stored?.tags, ['graphics', 'dev']);
    await page.locator('[data-testid="catalogue-tag"] option[value="graphics"]').waitFor({ state: 'attached' });
    await page.context().close();

    for (const colorScheme of ['light', 'dark'] as const) {
      const themed = await catalogue({ colorScheme, bypassCSP: true });
      await themed.locator('[data-testid="catalogue-search"]').fill('office');
      await themed.locator('[data-testid="app-card"] [data-testid="app-more"]').first().click();
      await themed.locator('[role="menu"]').waitFor();
      problems.push(...(await axeViolations(themed, `catalogue cards with menu, ${colorScheme}`)));
      await themed.keyboard.press('Escape');
      await themed.locator('[data-testid="catalogue-view-table"]').click();
      await themed.locator('[data-testid="app-table"]').waitFor();
      problems.push(...(await axeViolations(themed, `catalogue table, ${colorScheme}`)));
      await themed.locator('[data-testid="catalogue-search"]').fill('nothing like this');
      await themed.locator('[data-testid="catalogue-no-match"]').waitFor();
      problems.push(...(await axeViolations(themed, `catalogue no match, ${colorScheme}`)));
      await themed.context().close();
    }
  });
  assert.deepEqual(problems, [], `axe-core found:\n${problems.join('\n')}`);
});
