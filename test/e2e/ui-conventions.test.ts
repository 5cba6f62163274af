// Desktop conventions in real Chromium against the headless host and a real core:
// keyboard-only use, an automated accessibility scan (axe-core), the German interface
// without an English leftover, and how the administrator's policy shows.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import type { SettingsView } from '../../src-shared/contract';
import { loadSettings } from '../../src-main/config/settings';
import { rendererDir } from '../../src-main/config/paths';
import { Core } from '../../src-main/core';
import { startHeadlessHost, type HeadlessHost } from '../../src-main/host/headless-host';
import { de } from '../../src-renderer/i18n/messages/de';
import { en } from '../../src-renderer/i18n/messages/en';
import { randomUUID } from 'node:crypto';
import { startTestCluster, TOKEN_ID } from '../fixtures/proxmox/setup';
import { openCatalogue } from '../helpers/app-in-chromium';
import { axeViolations } from '../helpers/axe';
import { launchChromium } from '../helpers/browser';
import { callCore, openCore, tempDataDir } from '../helpers/core';

const HOST_ACTIONS = { openViewer: async () => ({ kind: 'opened' as const }) };

let browser: Browser;
const cleanups: (() => Promise<void>)[] = [];

before(async () => {
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function serve(core: Core): Promise<HeadlessHost> {
  const host = await startHeadlessHost(core, { rendererDir: rendererDir() });
  cleanups.push(() => core.close(), () => host.close());
  return host;
}

async function plainCore(): Promise<Core> {
  return openCore(await tempDataDir());
}

async function focusedTestId(page: Page): Promise<string | null> {
  return page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? null);
}

/** Presses Tab (or Shift+Tab) until the element with `testId` has focus. */
async function tabTo(page: Page, testId: string, { back = false, max = 60 } = {}): Promise<void> {
  for (let i = 0; i < max; i++) {
    if ((await focusedTestId(page)) === testId) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  assert.fail(`${testId} was not reached with ${back ? 'Shift+Tab' : 'Tab'} in ${max} presses`);
}

/** Whether the focused element shows a focus indicator (an outline or a box shadow). */
async function focusVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || !el.matches(':focus-visible')) return false;
    const style = getComputedStyle(el);
    return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
  });
}

test('the catalogue works by keyboard alone: new app, settings, Escape returns focus', async () => {
  const host = await serve(await plainCore());
  const page = await openCatalogue(browser, host);
  await page.locator('[data-testid="new-app"]').waitFor();

  await tabTo(page, 'new-app');
  assert.ok(await focusVisible(page), 'the focused New app button shows a focus ring');
  await page.keyboard.press('Enter');
  const editor = page.locator('[data-testid="app-editor-dialog"]');
  await editor.waitFor();
  assert.equal(await focusedTestId(page), 'app-field-name', 'the editor opens with focus on the name');

  const name = `Keyboard app ${Date.now()}`;
  await page.keyboard.type(name);
  await tabTo(page, 'app-field-image');
  await page.keyboard.type('daas/keyboard:1');
  // Through the rest of the form to its Create button, then Enter.
  await tabTo(page, 'app-editor-save');
  assert.ok(await focusVisible(page));
  await page.keyboard.press('Enter');
  await editor.waitFor({ state: 'detached' });
  await page.locator('[data-testid="app-card"]', { hasText: name }).waitFor();
  assert.equal(await page.locator('[data-testid="announcer"]').innerText(), `Created ${name}.`);

  // Settings: Shift+Tab back up to the header button, open with Enter, close with Escape.
  await tabTo(page, 'settings-open', { back: true });
  await page.keyboard.press('Enter');
  const settings = page.locator('[data-testid="settings"]');
  await settings.waitFor();
  await page.locator('[data-testid="settings-form"]').waitFor();
  const inDialog = await page.evaluate(() => Boolean(document.activeElement?.closest('[data-testid="settings"]')));
  assert.ok(inDialog, 'focus moves into the settings dialog');
  // Tab stays inside the modal dialog.
  for (let i = 0; i < 40; i++) await page.keyboard.press('Tab');
  assert.ok(
    await page.evaluate(() => Boolean(document.activeElement?.closest('[data-testid="settings"]'))),
    'focus is trapped in the dialog',
  );
  await page.keyboard.press('Escape');
  await settings.waitFor({ state: 'detached' });
  assert.equal(await focusedTestId(page), 'settings-open', 'focus returns to the Settings button');
  await page.context().close();
});

test('axe-core finds no serious or critical problem in the catalogue, editor, settings and viewer', async () => {
  const host = await serve(await plainCore());
  const problems: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    // axe-core is injected as a script: the page's CSP (script-src 'self') would refuse it.
    const context = await browser.newContext({ colorScheme, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(host.loginUrl);
    await page.locator('[data-testid="app-card"]').first().waitFor();
    await page.locator('[data-testid="new-app"]').waitFor();
    problems.push(...(await axeViolations(page, `catalogue, ${colorScheme}`)));

    await page.locator('[data-testid="new-app"]').click();
    await page.locator('[data-testid="app-editor"]').waitFor();
    problems.push(...(await axeViolations(page, `app editor, ${colorScheme}`)));
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="app-editor"]').waitFor({ state: 'detached' });

    await page.locator('[data-testid="settings-open"]').click();
    await page.locator('[data-testid="settings-form"]').waitFor();
    await page.locator('[data-testid="endpoint-row"]').first().waitFor();
    problems.push(...(await axeViolations(page, `settings, ${colorScheme}`)));
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="settings-form"]').waitFor({ state: 'detached' });

    // The import preview with a refused entry and a warning.
    const file = { version: 1, apps: [{ id: 'linux-desktop', name: 'Linux desktop', provider: 'docker', docker: { image: 'x/y:1' }, display: { gateway: 'guacd', guacd: { host: 'far.example' } } }] };
    await page.locator('[data-testid="import-catalogue"]').setInputFiles({ name: 'c.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
    await page.locator('[data-testid="import-flag"]').waitFor();
    problems.push(...(await axeViolations(page, `import preview, ${colorScheme}`)));
    await page.keyboard.press('Escape');

    // The viewer without a running instance shows its error state.
    await page.goto(`${new URL(host.loginUrl).origin}/viewer.html?instance=no-such-instance`);
    await page.locator('[data-testid="viewer"][data-state="error"]').waitFor({ timeout: 15_000 });
    problems.push(...(await axeViolations(page, `viewer, ${colorScheme}`)));
    await context.close();
  }
  assert.deepEqual(problems, [], `axe-core found:\n${problems.join('\n')}`);
});

/** Every English message, as a test for a text: exact strings, and patterns for messages with values. */
function englishMatchers(): { key: string; matches: (text: string) => boolean }[] {
  const matchers: { key: string; matches: (text: string) => boolean }[] = [];
  const forms = (value: unknown): string[] =>
    typeof value === 'string' ? [value] : [(value as { one: string }).one, (value as { other: string }).other];
  for (const [key, value] of Object.entries(en)) {
    const german = new Set(forms((de as Record<string, unknown>)[key]));
    for (const message of forms(value)) {
      // A word that is the same in both languages (Apps, Container, Port) is not a leftover.
      if (german.has(message)) continue;
      if (message.includes('{{')) {
        const pattern = message
          .split(/\{\{\w+\}\}/)
          .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('.+');
        // A message made only of values says nothing in either language.
        if (!/[A-Za-z]{3}/.test(message.replace(/\{\{\w+\}\}/g, ''))) continue;
        const re = new RegExp(`^${pattern}$`);
        matchers.push({ key, matches: (text) => re.test(text) });
      } else {
        matchers.push({ key, matches: (text) => text === message.trim() });
      }
    }
  }
  return matchers;
}

/** The visible text nodes of the page (and the labels people hear: aria-label, placeholder, title). */
async function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim();
      const parent = node.parentElement;
      if (!text || !parent || parent.closest('script, style, noscript')) continue;
      const visible =
        parent.checkVisibility({ checkOpacity: false, checkVisibilityCSS: true }) || Boolean(parent.closest('.visually-hidden, option'));
      if (visible) texts.push(text);
    }
    for (const el of document.body.querySelectorAll('[aria-label], [placeholder], [title]')) {
      for (const attribute of ['aria-label', 'placeholder', 'title']) {
        const value = el.getAttribute(attribute)?.trim();
        if (value) texts.push(value);
      }
    }
    return texts;
  });
}

function untranslated(texts: string[], matchers: ReturnType<typeof englishMatchers>): string[] {
  const found: string[] = [];
  for (const text of new Set(texts)) {
    const hit = matchers.find((m) => m.matches(text));
    if (hit) found.push(`"${text}" (${hit.key})`);
  }
  return found;
}

test('in German, the catalogue, the editor and the settings show no English message', async () => {
  const core = await plainCore();
  const changed = await core.handle('settings.update', { language: 'de' }, HOST_ACTIONS);
  assert.ok(changed.ok, 'the language setting is stored');
  const host = await serve(core);
  const page = await openCatalogue(browser, host);
  await page.waitForFunction(() => document.documentElement.lang === 'de');
  await page.locator('[data-testid="new-app"]').waitFor();
  const matchers = englishMatchers();
  assert.ok(matchers.length > 300, 'the English catalogue is read');
  await page.waitForTimeout(500); // Image checks settle.

  const leftovers: string[] = [];
  leftovers.push(...untranslated(await visibleTexts(page), matchers).map((t) => `catalogue: ${t}`));
  assert.equal(await page.locator('[data-testid="new-app"]').innerText(), 'Neue App');

  await page.locator('[data-testid="new-app"]').click();
  await page.locator('[data-testid="app-editor"]').waitFor();
  leftovers.push(...untranslated(await visibleTexts(page), matchers).map((t) => `editor: ${t}`));
  // The VM variant of the form, too.
  await page.locator('[data-testid="app-field-provider"]').selectOption('proxmox');
  await page.locator('[data-testid="app-vm-section"]').waitFor();
  leftovers.push(...untranslated(await visibleTexts(page), matchers).map((t) => `editor (VM): ${t}`));
  await page.keyboard.press('Escape');
  // The changed form asks before it is discarded.
  await page.locator('[data-testid="confirm-dialog"]').waitFor();
  leftovers.push(...untranslated(await visibleTexts(page), matchers).map((t) => `discard: ${t}`));
  await page.locator('[data-testid="confirm-dialog-confirm"]').click();
  await page.locator('[data-testid="app-editor"]').waitFor({ state: 'detached' });

  await page.locator('[data-testid="settings-open"]').click();
  await page.locator('[data-testid="settings-form"]').waitFor();
  await page.locator('[data-testid="endpoint-row"]').first().waitFor();
  leftovers.push(...untranslated(await visibleTexts(page), matchers).map((t) => `settings: ${t}`));
  await page.locator('[data-testid="setting-guacd-external"]').check();
  await page.locator('[data-testid="setting-guacd-host"]').waitFor();
  leftovers.push(...untranslated(await visibleTexts(page), matchers).map((t) => `settings (guacd): ${t}`));
  await page.locator('[data-testid="setting-guacd-container"]').check();
  await page.locator('[data-testid="setting-guacd-image"]').waitFor();
  leftovers.push(...untranslated(await visibleTexts(page), matchers).map((t) => `settings (guacd container): ${t}`));
  // The changed settings ask before they are discarded.
  await page.keyboard.press('Escape');
  await page.locator('[data-testid="confirm-dialog"]').waitFor();
  leftovers.push(...untranslated(await visibleTexts(page), matchers).map((t) => `settings (discard): ${t}`));
  await page.locator('[data-testid="confirm-dialog-confirm"]').click();
  await page.locator('[data-testid="settings-form"]').waitFor({ state: 'detached' });

  // The import preview: a refused entry, a warning and a new app.
  const vm = { provider: 'proxmox', proxmox: { endpointId: 'lab', templateVmid: 9000, display: { kind: 'rdp', ignoreCert: true, security: 'rdp' } } };
  const file = {
    version: 1,
    apps: [
      { id: 'linux-desktop', name: 'Linux desktop', provider: 'docker', docker: { image: 'x/y:1' }, display: { gateway: 'guacd', guacd: { host: 'far.example' } } },
      { id: 'rdp-lax', name: 'RDP', ...vm },
    ],
  };
  await page.locator('[data-testid="import-catalogue"]').setInputFiles({ name: 'c.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await page.locator('[data-testid="import-flag"]').first().waitFor();
  leftovers.push(...untranslated(await visibleTexts(page), matchers).map((t) => `import preview: ${t}`));

  assert.deepEqual(leftovers, [], `English left in the German interface:\n${leftovers.join('\n')}`);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
  await page.context().close();
});

test('in German, the policy banner and a Proxmox connection test (its report and a failure) show no English message', async () => {
  const cluster = await startTestCluster();
  cleanups.push(() => cluster.emu.close());
  const viewerSecret = randomUUID();
  cluster.emu.addToken('daas@pve!viewer', viewerSecret, { '/vms': ['VM.Audit', 'VM.Console'], '/vms/9000': ['VM.PowerMgmt'] });
  const dir = await tempDataDir();
  const policyFile = path.join(dir, 'policy.json');
  // No version, an unknown section and an unknown setting: three lines in the banner.
  await fs.writeFile(policyFile, JSON.stringify({ recommended: { language: 'de', colour: 'red' }, extras: {} }));
  const core = await Core.open(loadSettings(path.join(dir, 'data'), { DAAS_POLICY_FILE: policyFile }));
  const host = await serve(core);
  const endpoint = { url: cluster.emu.url, authKind: 'token', tls: 'pinned', fingerprint: cluster.emu.fingerprint256 } as const;
  await callCore(core, 'proxmox.endpoints.save', { ...endpoint, name: 'Viewer token', principal: 'daas@pve!viewer', secret: viewerSecret });
  await callCore(core, 'proxmox.endpoints.save', { ...endpoint, name: 'Wrong secret', principal: TOKEN_ID, secret: randomUUID() });

  const page = await openCatalogue(browser, host);
  await page.waitForFunction(() => document.documentElement.lang === 'de');
  const matchers = englishMatchers();
  const leftovers: string[] = [];
  const banner = page.locator('[data-testid="policy-problems"]');
  await banner.waitFor();
  const bannerText = await banner.innerText();
  assert.match(bannerText, /version: fehlt; ergänzen Sie "version": 1/);
  assert.match(bannerText, /recommended\.colour: unbekannte Einstellung, ignoriert/);
  leftovers.push(...untranslated(await visibleTexts(page), matchers).map((t) => `policy banner: ${t}`));

  await page.locator('[data-testid="settings-open"]').click();
  const section = page.locator('[data-testid="proxmox-section"]');
  await section.waitFor();
  const testRow = async (name: string, outcome: 'ok' | 'failed') => {
    const row = section.locator('[data-testid="proxmox-endpoint-row"]', { hasText: name });
    await row.locator('[data-testid="proxmox-endpoint-test"]').click();
    const result = row.locator(`[data-testid="proxmox-endpoint-test-result"][data-outcome="${outcome}"]`);
    await result.waitFor({ timeout: 30_000 });
    return result.innerText();
  };
  const report = await testRow('Viewer token', 'ok');
  assert.match(report, /Mit Proxmox VE 9\.1\.\d+ verbunden als API-Token daas@pve!viewer\./);
  assert.match(report, /VM\.Clone fehlt auf \/vms: DaaS Desktop kann nicht die Vorlage klonen\./);
  assert.match(report, /VM\.PowerMgmt ist nur auf \/vms\/9000 vergeben: DaaS Desktop kann nur dort virtuelle Maschinen starten und beenden\./);
  const failure = await testRow('Wrong secret', 'failed');
  assert.match(failure, /Proxmox VE hat die Anmeldung abgelehnt \(API-Token daas@pve!desktop: .+\)\./);
  assert.match(failure, /Prüfen Sie die Token-ID/);
  leftovers.push(...untranslated(await visibleTexts(page), matchers).map((t) => `settings (Proxmox test): ${t}`));

  assert.deepEqual(leftovers, [], `English left in the German interface:\n${leftovers.join('\n')}`);
  await page.context().close();
});

test('a policy shows: a locked setting is managed and disabled, no New app, the policy app is Managed', async () => {
  const dir = await tempDataDir();
  const policyFile = path.join(dir, 'policy.json');
  await fs.writeFile(
    policyFile,
    JSON.stringify({
      version: 1,
      locked: { notifications: false, allowCatalogueEditing: false },
      apps: [{ id: 'office-desktop', name: 'Office desktop', provider: 'docker', docker: { image: 'corp/office:3' } }],
    }),
  );
  const core = await Core.open(loadSettings(path.join(dir, 'data'), { DAAS_POLICY_FILE: policyFile }));
  const host = await serve(core);
  const page = await openCatalogue(browser, host);

  await page.locator('[data-testid="catalogue-managed"]').waitFor();
  assert.equal(await page.locator('[data-testid="new-app"]').count(), 0, 'New app is not offered');
  assert.equal(await page.locator('[data-testid="import-catalogue"]').count(), 0, 'Import is not offered');
  const office = page.locator('[data-testid="app-card"][data-app-id="office-desktop"]');
  await office.locator('[data-testid="managed-badge"]').waitFor();
  assert.equal(await office.locator('[data-testid="managed-badge"]').innerText(), 'Managed');
  assert.equal(await office.locator('[data-testid="edit-app"]').count(), 0, 'no Edit while the catalogue is managed');
  assert.equal(await office.locator('[data-testid="delete-app"]').count(), 0);

  await page.locator('[data-testid="settings-open"]').click();
  const notifications = page.locator('[data-testid="setting-notifications"]');
  await notifications.waitFor();
  assert.ok(await notifications.isDisabled(), 'the locked setting cannot be changed');
  assert.equal(await notifications.isChecked(), false, 'it shows the locked value');
  const wrapper = page.locator('[data-managed="true"]', { has: notifications });
  assert.match(await wrapper.innerText(), /Managed by your administrator/);
  const catalogueEditing = page.locator('[data-testid="setting-allowCatalogueEditing"]');
  assert.ok(await catalogueEditing.isDisabled());
  // What the user may still change stays enabled.
  assert.ok(await page.locator('[data-testid="setting-theme"]').isEnabled());
  assert.ok(await page.locator('[data-testid="setting-clipboardToDesktop"]').isEnabled());
  await page.context().close();
});

test('settings: choosing "guacd in a Docker container" checks the image name and stores it', async () => {
  const core = await plainCore();
  const host = await serve(core);
  const page = await openCatalogue(browser, host);
  await page.locator('[data-testid="settings-open"]').click();
  await page.locator('[data-testid="settings-form"]').waitFor();
  await page.locator('[data-testid="setting-guacd-container"]').check();
  const image = page.locator('[data-testid="setting-guacd-image"]');
  assert.equal(await image.inputValue(), 'guacamole/guacd', 'the usual image is offered');

  await image.fill('not an image!');
  await page.locator('[data-testid="settings-save"]').click();
  assert.equal(await image.getAttribute('aria-invalid'), 'true');
  assert.equal(await focusedTestId(page), 'setting-guacd-image', 'Save points at the field to fix');
  assert.match(await page.locator('[data-testid="settings-form"]').innerText(), /an image name has letters, digits/);
  assert.equal((await settingsOf(core)).guacdContainerImage, null, 'nothing invalid was stored');

  await image.fill('guacamole/guacd:1.6.0');
  await page.locator('[data-testid="settings-save"]').click();
  await waitForSetting(core, (v) => v.guacdContainerImage === 'guacamole/guacd:1.6.0');
  assert.equal((await settingsOf(core)).guacd, null, 'an address and a container are never both chosen');
  await page.context().close();
});

async function settingsOf(core: Core): Promise<SettingsView> {
  const view = await core.handle('settings.get', {}, HOST_ACTIONS);
  assert.ok(view.ok);
  return view.result as SettingsView;
}

async function waitForSetting(core: Core, done: (values: SettingsView) => boolean): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (done(await settingsOf(core))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail('the setting was not stored');
}
