// End to end in real Chromium: the app's icon is our SVG, not an emoji that shows as an
// empty box on a computer without an emoji font; placeholders read as hints ("e.g. …",
// "default: …"), drawn lighter, never as a value that looks already typed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Locator } from 'playwright';
import type { Core } from '../../src-main/core';
import type { HeadlessHost } from '../../src-main/host/headless-host';
import { closeAppInChromium, openCatalogue, startAppInChromium } from '../helpers/app-in-chromium';

let core: Core;
let host: HeadlessHost;
let browser: Browser;

before(async () => {
  ({ core, host, browser } = await startAppInChromium());
});

after(() => closeAppInChromium({ core, host, browser }));

/** Every placeholder in `scope` that is not empty, with the control's test id. */
async function placeholders(scope: Locator): Promise<{ id: string; text: string; italic: boolean }[]> {
  return scope.locator('input[placeholder], textarea[placeholder]').evaluateAll((controls) =>
    controls
      .map((c) => ({
        id: c.getAttribute('data-testid') ?? c.id,
        text: c.getAttribute('placeholder') ?? '',
        italic: getComputedStyle(c, '::placeholder').fontStyle === 'italic',
      }))
      .filter((p) => p.text !== ''),
  );
}

const HINT = /^(e\.g\. |default: )/;

test('the built-in app’s card shows an SVG icon, not emoji text', async () => {
  const page = await openCatalogue(browser, host);
  const icon = page.locator('[data-testid="app-card"][data-app-id="linux-desktop"] [data-testid="app-icon"]');
  await icon.waitFor();
  assert.equal(await icon.locator('svg path').count(), 1, 'an SVG drawing');
  assert.equal((await icon.textContent())?.trim(), '', 'no emoji or letter as text');
  await page.close();
});

test('the app editor’s placeholders are hints, for a container app and a VM app', async () => {
  const page = await openCatalogue(browser, host);
  await page.click('[data-testid="new-app"]');
  const editor = page.locator('[data-testid="app-editor"]');
  await editor.waitFor();
  assert.equal(await editor.locator('[data-testid="app-field-image"]').getAttribute('placeholder'), 'e.g. daas/desktop:latest');
  assert.equal(await editor.locator('[data-testid="app-field-memory"]').getAttribute('placeholder'), 'default: no limit');
  const docker = await placeholders(editor);
  await editor.locator('[data-testid="app-field-provider"]').selectOption('proxmox');
  await editor.locator('[data-testid="app-field-proxmox-endpointId"], [data-testid^="app-field-proxmox"]').first().waitFor();
  const vm = await placeholders(editor);
  for (const p of [...docker, ...vm]) {
    assert.match(p.text, HINT, `${p.id}: "${p.text}" reads as a value`);
    assert.ok(p.italic, `${p.id}: placeholder drawn like typed text`);
  }
  assert.ok(vm.length > docker.length / 2, 'the VM fields were read');
  await page.close();
});

test('the Docker endpoint form’s placeholders are hints', async () => {
  const page = await openCatalogue(browser, host);
  await page.locator('[data-testid="settings-open"]').click();
  await page.locator('[data-testid="add-endpoint"]').click();
  const name = page.locator('[data-testid="endpoint-field-name"]');
  await name.waitFor();
  const form = page.locator('form', { has: name });
  const found = await placeholders(form);
  assert.ok(found.some((p) => p.id === 'endpoint-field-url'), 'the address was read');
  for (const p of found) assert.match(p.text, HINT, `${p.id}: "${p.text}" reads as a value`);
  await page.close();
});
