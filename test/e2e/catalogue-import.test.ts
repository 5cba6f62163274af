// End to end: a catalogue import in the real renderer (Debian Chromium) against the headless
// host and a real core. The import dialog shows what the file would add, replace and refuse,
// with a warning for each entry that sends the desktop elsewhere, and writes nothing until
// the user confirms; an entry with a built-in app's id blocks the import.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import type { Core } from '../../src-main/core';
import type { HeadlessHost } from '../../src-main/host/headless-host';
import type { DockerApp } from '../../src-shared/model';
import { closeAppInChromium, openCatalogue, startAppInChromium } from '../helpers/app-in-chromium';
import { appRows, catalogueFile } from '../helpers/catalogue-rows';
import { callCore, tempDataDir } from '../helpers/core';

let core: Core;
let host: HeadlessHost;
let browser: Browser;
let dataDir: string;

before(async () => {
  dataDir = await tempDataDir();
  ({ core, host, browser } = await startAppInChromium({ dataDir }));
});

after(() => closeAppInChromium({ core, host, browser }));

async function pick(page: Page, name: string, json: string): Promise<void> {
  await page.locator('[data-testid="import-catalogue"]').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(json) });
}

const remoteGuacd = { gateway: 'guacd', guacd: { host: 'guacd.attacker.example', port: 4822 } };

test('an entry with the built-in app’s id is refused by name in the dialog; nothing can be applied', async () => {
  const page = await openCatalogue(browser, host);
  const rowsBefore = appRows(dataDir);
  await pick(
    page,
    'hijack.json',
    catalogueFile(
      { id: 'linux-desktop', name: 'Linux desktop', provider: 'docker', docker: { image: 'daas/desktop:latest' }, display: remoteGuacd },
      { id: 'tag-along', name: 'Tag-along', provider: 'docker', docker: { image: 'daas/desktop:latest' } },
    ),
  );
  const dialog = page.locator('[data-testid="import-preview"]');
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /hijack\.json/);
  const builtIn = dialog.locator('[data-testid="import-entry"][data-app-id="linux-desktop"]');
  assert.equal(await builtIn.getAttribute('data-action'), 'refused');
  assert.match(await builtIn.locator('[data-testid="import-refused"]').innerText(), /"linux-desktop", an app built into DaaS Desktop/);
  assert.match(await builtIn.locator('[data-testid="import-flag"][data-kind="remoteGuacd"]').innerText(), /guacd\.attacker\.example:4822/);
  await dialog.locator('[data-testid="import-blocked"]').waitFor();
  assert.equal(await dialog.locator('[data-testid="import-preview-confirm"]').isDisabled(), true, 'no way to apply it');

  await dialog.locator('[data-testid="import-preview-cancel"]').click();
  await dialog.waitFor({ state: 'detached' });
  assert.deepEqual(appRows(dataDir), rowsBefore, 'the built-in app and the catalogue are as they were');
  assert.equal(await page.locator('[data-testid="app-card"][data-app-id="tag-along"]').count(), 0);
  await page.close();
});

test('the dialog shows the warnings and applies only after confirming', async () => {
  const mine = await callCore<DockerApp>(core, 'apps.create', { app: { name: 'My desktop', provider: 'docker', docker: { image: 'daas/desktop:latest' } } });
  const page = await openCatalogue(browser, host);
  const rowsBefore = appRows(dataDir);
  const json = catalogueFile(
    { id: 'far-away', name: 'Far away', provider: 'docker', docker: { image: 'daas/desktop:latest' }, display: remoteGuacd },
    { id: mine.id, name: 'My desktop, imported', provider: 'docker', docker: { image: 'daas/desktop:latest', memory: '1g' } },
    { id: 'plain-new', name: 'Plain new', provider: 'docker', docker: { image: 'daas/desktop:latest' } },
  );

  // Cancel first: nothing is written.
  await pick(page, 'risky.json', json);
  const dialog = page.locator('[data-testid="import-preview"]');
  await dialog.waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.deepEqual(appRows(dataDir), rowsBefore, 'cancelled: nothing written');

  await pick(page, 'risky.json', json);
  await dialog.waitFor();
  const far = dialog.locator('[data-testid="import-entry"][data-app-id="far-away"]');
  assert.equal(await far.getAttribute('data-action'), 'add');
  assert.match(await far.locator('[data-testid="import-flag"][data-kind="remoteGuacd"]').innerText(), /guacd at guacd\.attacker\.example:4822, another machine/);
  const replaced = dialog.locator(`[data-testid="import-entry"][data-app-id="${mine.id}"]`);
  assert.equal(await replaced.getAttribute('data-action'), 'replace');
  assert.match(await replaced.locator('[data-testid="import-flag"][data-kind="replacesApp"]').innerText(), /Replaces your app "My desktop"/);
  assert.match(await replaced.innerText(), /docker\.memory, name/);
  assert.equal(await dialog.locator('[data-testid="import-entry"][data-app-id="plain-new"] [data-testid="import-flag"]').count(), 0);
  assert.match(await dialog.locator('[data-testid="import-counts"]').innerText(), /New: 2 · Replaced: 1 · Unchanged: 0 · Refused: 0/);

  // Shown, not applied: the store has none of it yet.
  assert.deepEqual(appRows(dataDir), rowsBefore, 'nothing written while the dialog asks');
  const confirm = dialog.locator('[data-testid="import-preview-confirm"]');
  assert.equal(await confirm.innerText(), 'Import 3 apps anyway');
  await page.screenshot({ path: 'test-results/e2e-catalogue-import.png' }).catch(() => undefined);
  await confirm.click();
  await dialog.waitFor({ state: 'detached' });

  await page.locator('[data-testid="app-card"][data-app-id="far-away"]').waitFor();
  await page.locator('[data-testid="app-card"][data-app-id="plain-new"]').waitFor();
  assert.equal((await core.apps.get('far-away'))?.display.guacd?.host, 'guacd.attacker.example', 'applied as shown');
  const updated = (await core.apps.get(mine.id)) as DockerApp;
  assert.equal(updated.name, 'My desktop, imported');
  assert.equal(updated.docker.memory, '1g');
  assert.match(await page.locator('[data-testid="announcer"]').innerText(), /Imported 3 apps from risky\.json/);
  await page.close();
});
