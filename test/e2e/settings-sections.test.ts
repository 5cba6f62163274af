// Settings in Debian's Chromium against the headless host and a real core (issue 17, item 3):
// a section list on the left that shows each section, Apply/Cancel pinned in view at 800×600,
// changes applied only by Apply, and a question before unapplied changes are discarded
// (Escape, Cancel, the close button); by keyboard alone, in German and in dark mode.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright';
import type { SettingsView } from '../../src-shared/contract';
import type { Core } from '../../src-main/core';
import type { HeadlessHost } from '../../src-main/host/headless-host';
import { de } from '../../src-renderer/i18n/messages/de';
import { axeViolations } from '../helpers/axe';
import { closeAppInChromium, openCatalogue, startAppInChromium } from '../helpers/app-in-chromium';
import { TEST_HOST, callCore } from '../helpers/core';
import { TOKEN_ID, startTestCluster } from '../fixtures/proxmox/setup';
import type { DockerEndpointView, ProxmoxEndpointView } from '../../src-shared/contract';
import { withFailureScreenshots } from '../helpers/failure-screenshot';

let core: Core;
let host: HeadlessHost;
let browser: Browser;
const pages: Page[] = [];

before(async () => {
  ({ core, host, browser } = await startAppInChromium());
});

after(() => closeAppInChromium({ core, host, browser }));

const shown = (name: string, run: () => Promise<void>) => withFailureScreenshots(name, () => pages, run);

async function openSettings(options: { colorScheme?: 'light' | 'dark'; bypassCSP?: boolean } = {}): Promise<{ page: Page; settings: Locator }> {
  const page = await openCatalogue(await browser.newContext({ viewport: { width: 800, height: 600 }, ...options }), host, pages);
  await page.locator('[data-testid="settings-open"]').click();
  const settings = page.locator('[data-testid="settings"]');
  await settings.locator('[data-testid="settings-form"]').waitFor();
  return { page, settings };
}

async function settingsOf(): Promise<SettingsView> {
  const view = await core.handle('settings.get', {}, TEST_HOST);
  assert.ok(view.ok);
  return view.result as SettingsView;
}

/** Whether the whole element is inside the window now (not scrolled away, not cut off). */
async function inView(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
  });
}

/** Whether the element is inside the settings' scrolled pane's visible part. */
async function inPane(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    const pane = document.querySelector('[data-testid="settings-pane"]');
    if (!el || !pane) return false;
    const r = el.getBoundingClientRect();
    const p = pane.getBoundingClientRect();
    return r.top >= p.top - 1 && r.bottom <= p.bottom + 1;
  }, selector);
}

const focusedTestId = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? null);

test('at 800×600 the section list shows each section and Apply stays in view', async () => {
  await shown('settings-sections', async () => {
    const { page, settings } = await openSettings();
    const nav = settings.locator('[data-testid="settings-nav"] button');
    assert.deepEqual(await nav.allInnerTexts(), ['Appearance', 'Instances', 'Clipboard and display', 'Editing', 'Docker endpoints', 'Proxmox VE']);
    const apply = settings.locator('[data-testid="settings-save"]');
    assert.ok(await inView(apply), 'Apply is in view without scrolling');
    assert.ok(await inView(settings.locator('[data-testid="settings-cancel"]')));
    assert.ok(await apply.isDisabled(), 'nothing to apply yet');

    for (const [key, heading] of [
      ['proxmox', '#proxmox-heading'],
      ['editing', '#settings-section-editing h3'],
      ['docker', '#endpoints-heading'],
    ] as const) {
      await settings.locator(`[data-testid="settings-nav-${key}"]`).click();
      await page.waitForFunction((sel) => document.activeElement === document.querySelector(sel), heading);
      assert.ok(await inPane(page, heading), `${key}: its heading is shown`);
      assert.equal(await settings.locator(`[data-testid="settings-nav-${key}"]`).getAttribute('aria-current'), 'true');
      assert.ok(await inView(apply), `${key}: Apply is still in view`);
    }
    await page.context().close();
  });
});

test('a change is stored only by Apply; Escape, Cancel and the close button ask before discarding it', async () => {
  await shown('settings-apply', async () => {
    const { page, settings } = await openSettings();
    const status = settings.locator('[data-testid="settings-status"]');
    const confirmDialog = page.locator('[data-testid="confirm-dialog"]');

    await settings.locator('[data-testid="setting-orphanPolicy-adopt"]').check();
    await status.filter({ hasText: 'Changes not applied yet.' }).waitFor();
    assert.equal(await settings.locator('[data-testid="settings-cancel"]').innerText(), 'Cancel');

    // Escape asks; "Cancel" in the question keeps the change on screen.
    await page.keyboard.press('Escape');
    await confirmDialog.waitFor();
    assert.match(await confirmDialog.innerText(), /Discard your changes to the settings\?/);
    await confirmDialog.getByRole('button', { name: 'Cancel' }).click();
    await confirmDialog.waitFor({ state: 'detached' });
    assert.ok(await settings.locator('[data-testid="setting-orphanPolicy-adopt"]').isChecked(), 'the change is still there');

    // The close button asks too.
    await settings.getByRole('button', { name: 'Close', exact: true }).first().click();
    await confirmDialog.waitFor();
    await confirmDialog.getByRole('button', { name: 'Cancel' }).click();

    // Cancel, then Discard changes: closed, nothing stored.
    await settings.locator('[data-testid="settings-cancel"]').click();
    await confirmDialog.locator('[data-testid="confirm-dialog-confirm"]').click();
    await settings.waitFor({ state: 'detached' });
    assert.equal((await settingsOf()).orphanPolicy, 'remove', 'a discarded change is not stored');

    // Apply stores it and keeps the window open; then Close closes without a question.
    await page.locator('[data-testid="settings-open"]').click();
    await settings.locator('[data-testid="setting-orphanPolicy-adopt"]').check();
    await settings.locator('[data-testid="settings-save"]').click();
    await status.filter({ hasText: 'Saved.' }).waitFor();
    assert.equal((await settingsOf()).orphanPolicy, 'adopt');
    assert.equal(await settings.locator('[data-testid="settings-cancel"]').innerText(), 'Close');
    await settings.locator('[data-testid="settings-cancel"]').click();
    await settings.waitFor({ state: 'detached' });
    assert.equal(await confirmDialog.count(), 0, 'nothing to discard, nothing asked');
    await page.context().close();
  });
  const reset = await core.handle('settings.update', { orphanPolicy: 'remove' }, TEST_HOST);
  assert.ok(reset.ok);
});

test('how long failed containers and the state-change log are kept: typed, checked against their limits, stored by Apply', async () => {
  await shown('settings-retention', async () => {
    const { page, settings } = await openSettings();
    const days = settings.locator('[data-testid="setting-eventRetentionDays"]');
    const hours = settings.locator('[data-testid="setting-keepFailedContainersHours"]');
    assert.equal(await days.inputValue(), String((await settingsOf()).eventRetentionDays));
    assert.equal(await hours.getAttribute('placeholder'), 'until you remove the instance');

    // Out of its limits (1–3650): said next to the field, nothing stored.
    await days.fill('0');
    await settings.locator('[data-testid="settings-save"]').click();
    await settings.locator('[data-testid="setting-eventRetentionDays"][aria-invalid="true"]').waitFor();
    const error = await days.evaluate((el) => document.getElementById(`${el.id}-error`)?.textContent ?? '');
    assert.match(error, /use 1 or more/, `the error names the lower limit: ${error}`);
    assert.equal((await settingsOf()).eventRetentionDays, 30);

    await days.fill('7');
    await hours.fill('');
    await settings.locator('[data-testid="settings-save"]').click();
    await settings.locator('[data-testid="settings-status"]').filter({ hasText: 'Saved.' }).waitFor();
    const stored = await settingsOf();
    assert.equal(stored.eventRetentionDays, 7);
    assert.equal(stored.keepFailedContainersHours, null, 'empty: kept until the user removes the instance');
    await page.context().close();
  });
  const reset = await core.handle('settings.update', { eventRetentionDays: 30, keepFailedContainersHours: 168 }, TEST_HOST);
  assert.ok(reset.ok);
});

test('by keyboard alone: from the section list to a section, and Apply in German', async () => {
  const changed = await core.handle('settings.update', { language: 'de' }, TEST_HOST);
  assert.ok(changed.ok);
  try {
    await shown('settings-keyboard', async () => {
      const { page, settings } = await openSettings();
      await page.waitForFunction(() => document.documentElement.lang === 'de');
      assert.deepEqual(await settings.locator('[data-testid="settings-nav"] button').allInnerTexts(), [
        de['settings.appearance'],
        de['settings.instances'],
        de['settings.desktops'],
        de['settings.editing'],
        de['endpoints.heading'],
        de['proxmox.heading'],
      ]);
      // Tab from the dialog's start reaches the section list, Enter shows the section and
      // puts focus there; the next Tab is that section's first control.
      for (let i = 0; i < 10 && (await focusedTestId(page)) !== 'settings-nav-docker'; i++) await page.keyboard.press('Tab');
      assert.equal(await focusedTestId(page), 'settings-nav-docker');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'endpoints-heading');
      await page.keyboard.press('Tab');
      assert.equal(await focusedTestId(page), 'add-endpoint');

      // A change by keyboard (Space on a checkbox), then Tab on to Apply in the footer.
      await settings.locator('[data-testid="setting-notifications"]').focus();
      await page.keyboard.press('Space');
      await settings.locator('[data-testid="settings-status"]').filter({ hasText: de['settings.unapplied'] }).waitFor();
      for (let i = 0; i < 80 && (await focusedTestId(page)) !== 'settings-save'; i++) await page.keyboard.press('Tab');
      assert.equal(await focusedTestId(page), 'settings-save');
      assert.equal(await settings.locator('[data-testid="settings-save"]').innerText(), de['settings.apply']);
      await page.keyboard.press('Enter');
      await settings.locator('[data-testid="settings-status"]').filter({ hasText: de['settings.saved'] }).waitFor();
      assert.equal((await settingsOf()).notifications, false);
      await page.context().close();
    });
  } finally {
    await core.handle('settings.update', { language: 'system', notifications: true }, TEST_HOST);
  }
});

test('axe-core finds no serious problem in any settings section, light and dark, at 800×600', async () => {
  const problems: string[] = [];
  await shown('settings-axe', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page, settings } = await openSettings({ colorScheme, bypassCSP: true });
      await settings.locator('[data-testid="endpoint-row"]').first().waitFor();
      problems.push(...(await axeViolations(page, `settings, ${colorScheme}`)));
      await settings.locator('[data-testid="setting-theme"]').selectOption('dark');
      await settings.locator('[data-testid="settings-cancel"]').click();
      await page.locator('[data-testid="confirm-dialog"]').waitFor();
      problems.push(...(await axeViolations(page, `settings discard question, ${colorScheme}`)));
      await page.locator('[data-testid="confirm-dialog-confirm"]').click();
      await page.context().close();
    }
  });
  assert.deepEqual(problems, [], `axe-core found:\n${problems.join('\n')}`);
});

test('"Test" in the endpoint forms tries the typed values before anything is saved (Docker and Proxmox VE)', async () => {
  const cluster = await startTestCluster();
  try {
    await shown('settings-test-draft', async () => {
      const dockerBefore = await callCore<DockerEndpointView[]>(core, 'docker.endpoints.list', {});
      const { page, settings } = await openSettings();

      // Docker: a closed port says so; the engine this core uses answers with its version.
      await settings.locator('[data-testid="add-endpoint"]').click();
      const form = settings.locator('[data-testid="endpoint-form"]');
      await form.locator('[data-testid="endpoint-field-name"]').fill('Not saved yet');
      await form.locator('[data-testid="endpoint-field-url"]').fill('tcp://127.0.0.1:1');
      await form.locator('[data-testid="endpoint-test-draft"]').click();
      const result = form.locator('[data-testid="endpoint-draft-test-result"]');
      await result.and(page.locator('[data-outcome="failed"]')).waitFor({ timeout: 30_000 });
      assert.match(await result.innerText(), /refused/i);
      assert.match(await result.innerText(), /127\.0\.0\.1:1/);
      await form.locator('[data-testid="endpoint-field-url"]').fill(dockerBefore[0]!.url);
      assert.equal(await result.count(), 0, 'a changed value clears the old result');
      await form.locator('[data-testid="endpoint-test-draft"]').click();
      await result.and(page.locator('[data-outcome="ok"]')).waitFor({ timeout: 30_000 });
      assert.match(await result.innerText(), /Connected/);
      assert.equal((await callCore<DockerEndpointView[]>(core, 'docker.endpoints.list', {})).length, dockerBefore.length, 'nothing was saved');
      // An empty name is pointed at, not sent.
      await form.locator('[data-testid="endpoint-field-name"]').fill('');
      await form.locator('[data-testid="endpoint-test-draft"]').click();
      assert.equal(await focusedTestId(page), 'endpoint-field-name');
      await form.locator('[data-testid="endpoint-field-name"]').press('Escape');

      // Proxmox VE: the emulator's report for the typed token, then a wrong secret.
      await settings.locator('[data-testid="settings-nav-proxmox"]').click();
      await settings.locator('[data-testid="proxmox-endpoint-add"]').click();
      const pform = settings.locator('[data-testid="proxmox-endpoint-form"]');
      const field = (n: string) => pform.locator(`[data-testid="proxmox-field-${n}"]`);
      await field('name').fill('Lab, not saved');
      await field('url').fill(cluster.emu.url);
      await field('authKind').selectOption('token');
      await field('principal').fill(TOKEN_ID);
      await field('secret').fill(cluster.secret);
      await field('tls').selectOption('pinned');
      await field('fingerprint').fill(cluster.emu.fingerprint256);
      await pform.locator('[data-testid="proxmox-endpoint-test-draft"]').click();
      const presult = pform.locator('[data-testid="proxmox-draft-test-result"]');
      await presult.and(page.locator('[data-outcome="ok"]')).waitFor({ timeout: 30_000 });
      assert.match(await presult.innerText(), /Proxmox VE 9\.1\.\d+/);
      await field('secret').fill('00000000-0000-4000-8000-000000000000');
      await pform.locator('[data-testid="proxmox-endpoint-test-draft"]').click();
      await presult.and(page.locator('[data-outcome="failed"]')).waitFor({ timeout: 30_000 });
      assert.match(await presult.innerText(), /rejected the API token/);
      assert.deepEqual(await callCore<ProxmoxEndpointView[]>(core, 'proxmox.endpoints.list', {}), [], 'nothing was saved');
      await page.context().close();
    });
  } finally {
    await cluster.emu.close();
  }
});
