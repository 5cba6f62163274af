// Settings follow live across windows: in real Chromium against the headless host, one
// page changes the theme and language and the other pages (a catalogue and a viewer)
// switch without a reload, through the core's settings.changed event.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import type { Core } from '../../src-main/core';
import type { HeadlessHost } from '../../src-main/host/headless-host';
import { closeAppInChromium, startAppInChromium } from '../helpers/app-in-chromium';
import { TEST_HOST } from '../helpers/core';

let browser: Browser;
let core: Core;
let host: HeadlessHost;

before(async () => {
  ({ core, host, browser } = await startAppInChromium());
});

after(() => closeAppInChromium({ core, host, browser }));

/** Marks the page so a reload (which would also pick up new settings) is detected. */
async function mark(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { liveMark: number }).liveMark = 42));
}

async function stillMarked(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { liveMark?: number }).liveMark === 42);
}

test('changing theme and language in one window changes the other open windows without a reload', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  const editor = await context.newPage();
  await editor.goto(host.loginUrl);
  const other = await context.newPage();
  await other.goto(host.url);
  const viewer = await context.newPage();
  await viewer.goto(`${host.url}viewer.html?instance=not-running`);
  for (const page of [editor, other]) await page.locator('[data-testid="new-app"]').waitFor();
  assert.equal(await other.locator('[data-testid="new-app"]').innerText(), 'New app');
  for (const page of [editor, other, viewer]) {
    await page.waitForFunction(() => document.documentElement.lang === 'en' && document.documentElement.dataset.theme === 'system');
    await mark(page);
  }

  await editor.locator('[data-testid="settings-open"]').click();
  await editor.locator('[data-testid="settings-form"]').waitFor();
  await editor.locator('[data-testid="setting-theme"]').selectOption('dark');
  await editor.locator('[data-testid="setting-language"]').selectOption('de');
  await editor.locator('[data-testid="settings-save"]').click();

  // The other catalogue: German labels and the dark theme, in the same page.
  await other.waitForFunction(() => document.documentElement.lang === 'de' && document.documentElement.dataset.theme === 'dark');
  await other.locator('[data-testid="new-app"]', { hasText: 'Neue App' }).waitFor();
  assert.ok(await stillMarked(other), 'the other catalogue was not reloaded');
  // The viewer window follows too.
  await viewer.waitForFunction(() => document.documentElement.lang === 'de' && document.documentElement.dataset.theme === 'dark');
  assert.ok(await stillMarked(viewer), 'the viewer was not reloaded');

  // And back, from the other window this time.
  await other.locator('[data-testid="settings-open"]').click();
  await other.locator('[data-testid="settings-form"]').waitFor();
  await other.locator('[data-testid="setting-language"]').selectOption('en');
  await other.locator('[data-testid="settings-save"]').click();
  await editor.locator('[data-testid="new-app"]', { hasText: 'New app' }).waitFor();
  assert.equal(await editor.evaluate(() => document.documentElement.lang), 'en');
  assert.ok(await stillMarked(editor), 'the first catalogue was not reloaded');
  await context.close();
});

test('a core error shows in the interface language, and switches with it', async () => {
  assert.ok((await core.handle('settings.update', { language: 'de' }, TEST_HOST)).ok);
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(host.loginUrl);
  await page.locator('[data-testid="new-app"]', { hasText: 'Neue App' }).waitFor();
  await page.waitForFunction(() => document.documentElement.lang === 'de');
  await page.locator('[data-testid="settings-open"]').click();
  await page.locator('[data-testid="add-endpoint"]').click();
  await page.locator('[data-testid="endpoint-field-name"]').fill('Labor');
  await page.locator('[data-testid="endpoint-field-url"]').fill('tcp://lab.example:2376');
  await page.locator('[data-testid="endpoint-save"]').click();
  // The core refuses plain TCP to another host; its words arrive by key and parameters.
  const form = page.locator('[data-testid="endpoint-form"]');
  await form.getByText('Docker unter tcp://lab.example:2376 würde ohne TLS erreicht.').waitFor();
  await form.getByText('Fügen Sie TLS-CA, Zertifikat und Schlüssel hinzu oder verwenden Sie ssh://.').waitFor();
  assert.equal(await form.getByText('would be reached without TLS').count(), 0);

  // Another window switches to English: the error already shown follows.
  assert.ok((await core.handle('settings.update', { language: 'en' }, TEST_HOST)).ok);
  await form.getByText('Docker at tcp://lab.example:2376 would be reached without TLS.').waitFor();
  await context.close();
});
