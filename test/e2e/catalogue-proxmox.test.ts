// End to end: VM apps in the real renderer (Debian Chromium) against the headless host,
// the real core and the Proxmox emulator backed by real QEMU. Add a Proxmox endpoint in
// Settings (API token, pinned certificate), test it, create a VM app that clones the
// template, start it, see the SeaBIOS screen in the viewer window, stop it and see the
// clone deleted. A wrong token secret gives a readable error and creates nothing.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright';
import type { Core } from '../../src-main/core';
import type { HeadlessHost } from '../../src-main/host/headless-host';
import type { ProxmoxTestResult } from '../../src-shared/contract';
import type { ProxmoxApp } from '../../src-shared/model';
import { pidAlive, startTestCluster, TEMPLATE_VMID, TOKEN_ID, type TestCluster } from '../fixtures/proxmox/setup';
import { closeAppInChromium, openCatalogue, startAppInChromium } from '../helpers/app-in-chromium';
import { stopFromRow } from '../helpers/instance-rows';
import { callCore } from '../helpers/core';
import { chooseAppAction } from '../helpers/catalogue-cards';

const WRONG_SECRET = '00000000-0000-0000-0000-000000000000';

let cluster: TestCluster;
let core: Core;
let host: HeadlessHost;
let browser: Browser;
/** Every QEMU process seen while the tests ran: none may outlive them. */
const qemuPids = new Set<number>();

before(async () => {
  cluster = await startTestCluster();
  ({ core, host, browser } = await startAppInChromium());
});

after(async () => {
  await closeAppInChromium({ core, host, browser });
  if (cluster) {
    for (const pid of cluster.emu.qemuPids()) qemuPids.add(pid);
    await cluster.emu.close();
    const deadline = Date.now() + 10_000;
    while ([...qemuPids].some(pidAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual([...qemuPids].filter(pidAlive), [], 'no QEMU process is left behind');
  }
});

const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);

async function openSettings(page: Page): Promise<Locator> {
  await page.click('[data-testid="settings-open"]');
  const section = page.locator('[data-testid="proxmox-section"]');
  await section.waitFor();
  return section;
}

async function closeSettings(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.locator('[data-testid="settings"]').waitFor({ state: 'detached' });
}

/** Fills the Proxmox endpoint form with an API token and the emulator's pinned certificate. */
async function fillTokenEndpoint(form: Locator, name: string, secret: string): Promise<void> {
  const field = (n: string) => form.locator(`[data-testid="proxmox-field-${n}"]`);
  await field('name').fill(name);
  await field('url').fill(cluster.emu.url);
  await field('authKind').selectOption('token');
  await field('principal').fill(TOKEN_ID);
  await field('secret').fill(secret);
  await field('tls').selectOption('pinned');
  await field('fingerprint').fill(cluster.emu.fingerprint256);
}

/** Lit (not black) pixels on the viewer's canvases. */
async function litPixels(viewer: Page): Promise<number> {
  return viewer.evaluate(() => {
    let lit = 0;
    for (const canvas of document.querySelectorAll<HTMLCanvasElement>('[data-testid="display"] canvas')) {
      if (!canvas.width || !canvas.height) continue;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0 && data[i]! + data[i + 1]! + data[i + 2]! > 30) lit++;
    }
    return lit;
  });
}

let endpointId = '';

test('add a Proxmox endpoint, run a VM app from the catalogue, see SeaBIOS, stop: the clone is deleted', async () => {
  const page = await openCatalogue(browser, host);
  const section = await openSettings(page);
  await section.locator('[data-testid="proxmox-endpoint-add"]').click();
  const form = section.locator('[data-testid="proxmox-endpoint-form"]');
  await fillTokenEndpoint(form, 'Lab cluster', cluster.secret);

  // Turning certificate checks off needs an explicit confirmation: without it nothing is saved.
  await form.locator('[data-testid="proxmox-field-tls"]').selectOption('insecure');
  await form.locator('[data-testid="proxmox-insecure-warning"]').waitFor();
  await form.locator('[data-testid="proxmox-endpoint-save"]').click();
  await form.locator('[data-testid="proxmox-field-error"][data-field="insecureConfirmed"]').waitFor();
  assert.deepEqual(await call('proxmox.endpoints.list', {}), [], 'nothing saved without the confirmation');

  await form.locator('[data-testid="proxmox-field-tls"]').selectOption('pinned');
  await form.locator('[data-testid="proxmox-field-fingerprint"]').fill(cluster.emu.fingerprint256);
  await form.locator('[data-testid="proxmox-endpoint-save"]').click();
  await form.waitFor({ state: 'detached' });

  const row = section.locator('[data-testid="proxmox-endpoint-row"]', { hasText: 'Lab cluster' });
  await row.waitFor();
  endpointId = (await row.getAttribute('data-endpoint-id')) ?? '';
  assert.ok(endpointId);
  assert.ok(!(await page.content()).includes(cluster.secret), 'the token secret never reaches the page');

  // Test connection names the version Proxmox reports.
  const report = await call<ProxmoxTestResult>('proxmox.endpoints.test', { endpointId });
  await row.locator('[data-testid="proxmox-endpoint-test"]').click();
  const result = row.locator('[data-testid="proxmox-endpoint-test-result"][data-outcome="ok"]');
  await result.waitFor({ timeout: 15_000 });
  assert.ok((await result.innerText()).includes(report.version), `the test result names version ${report.version}`);
  await closeSettings(page);

  // A VM app in the editor: clone template 9000, linked. A mistyped id is refused first.
  const name = `E2E VM ${randomBytes(3).toString('hex')}`;
  await page.click('[data-testid="new-app"]');
  const editor = page.locator('[data-testid="app-editor"]');
  const field = (n: string) => editor.locator(`[data-testid="app-field-${n}"]`);
  await field('name').fill(name);
  await field('provider').selectOption('proxmox');
  await field('proxmox-endpointId').selectOption(endpointId);
  await field('proxmox-mode').selectOption('clone');
  await field('proxmox-templateVmid').fill('nine');
  await field('proxmox-templateVmid').press('Tab');
  const idError = editor.locator('[data-testid="app-field-error"][data-field="proxmox-templateVmid"]');
  await idError.waitFor();
  assert.match(await idError.innerText(), /whole number/);
  await field('proxmox-templateVmid').fill(String(TEMPLATE_VMID));
  await idError.waitFor({ state: 'detached' });
  assert.equal(await field('proxmox-full').isChecked(), false, 'a linked clone by default');
  assert.equal(await editor.locator('[data-testid="app-field-image"]').count(), 0, 'no image for a VM app');
  await editor.locator('[data-testid="app-editor-save"]').click();
  await editor.waitFor({ state: 'detached' });

  const card = page.locator('[data-testid="app-card"]', { hasText: name });
  await card.waitFor();
  assert.equal(await card.getAttribute('data-provider'), 'proxmox');
  await card.locator('[data-testid="vm-badge"]').waitFor();
  const source = await card.locator('[data-testid="vm-source"]').innerText();
  assert.match(source, /Lab cluster/);
  assert.match(source, new RegExp(`template ${TEMPLATE_VMID}`));
  assert.equal(await card.locator('[data-testid="image-status"], [data-testid="build-image"]').count(), 0, 'no image status');
  const appId = (await card.getAttribute('data-app-id')) ?? '';
  const stored = (await core.apps.get(appId)) as ProxmoxApp | undefined;
  assert.equal(stored?.provider, 'proxmox');
  assert.deepEqual(
    { endpointId: stored.proxmox.endpointId, mode: stored.proxmox.mode, templateVmid: stored.proxmox.templateVmid, full: stored.proxmox.full },
    { endpointId, mode: 'clone', templateVmid: TEMPLATE_VMID, full: false },
  );

  // Start: a row that becomes running, backed by a tagged linked clone with a real QEMU.
  const vmsBefore = cluster.emu.vmList().length;
  await card.locator('[data-testid="start-app"]').click();
  const instanceRow = page.locator(`[data-testid="instance-row"][data-app-id="${appId}"]`);
  await instanceRow.waitFor();
  await page.waitForSelector(`[data-testid="instance-row"][data-app-id="${appId}"][data-state="running"]`, { timeout: 60_000 });
  const instanceId = (await instanceRow.getAttribute('data-instance-id')) ?? '';
  assert.equal(await instanceRow.getAttribute('data-provider'), 'proxmox');
  const clone = cluster.emu.vmList().find((vm) => vm.tags?.includes(`daas-instance-${instanceId}`));
  assert.ok(clone, 'the clone carries the instance tag');
  assert.ok(clone.running && clone.pid, 'the clone runs');
  assert.equal(clone.linkedFrom, TEMPLATE_VMID, 'a linked clone of the template');
  qemuPids.add(clone.pid);

  // Open: the viewer window connects and shows the SeaBIOS screen.
  const [viewer] = await Promise.all([page.waitForEvent('popup'), instanceRow.locator('[data-testid="open-instance"]').click()]);
  await viewer.waitForSelector('[data-testid="viewer"][data-state="connected"]', { timeout: 30_000 });
  let lit = 0;
  for (let i = 0; i < 75 && lit <= 100; i++) {
    lit = await litPixels(viewer);
    if (lit <= 100) await viewer.waitForTimeout(200);
  }
  assert.ok(lit > 100, `the SeaBIOS screen is drawn (${lit} lit pixels)`);
  await viewer.screenshot({ path: 'test-results/e2e-proxmox-viewer.png' }).catch(() => undefined);

  // The details work for a VM too: figures from Proxmox, and the task log.
  await instanceRow.locator('[data-testid="toggle-instance-tools"]').click();
  const tools = instanceRow.locator('[data-testid="instance-tools"]');
  await tools.locator('[data-testid="details-tab-stats"]').click();
  await tools.locator('[data-testid="instance-stats"][data-available="true"]').waitFor({ timeout: 15_000 });
  await tools.locator('[data-testid="details-tab-logs"]').click();
  await tools.locator('[data-testid="instance-logs"]').waitFor();
  await page.screenshot({ path: 'test-results/e2e-catalogue-proxmox.png', fullPage: true }).catch(() => undefined);

  // Stop: the row is stopped, the clone is deleted and its QEMU is gone.
  await stopFromRow(page, instanceRow);
  await page.waitForSelector(`[data-testid="instance-row"][data-instance-id="${instanceId}"][data-state="stopped"]`, {
    timeout: 60_000,
  });
  assert.ok(!cluster.emu.vmList().some((vm) => vm.vmid === clone.vmid), `the clone ${clone.vmid} is deleted`);
  assert.equal(cluster.emu.vmList().length, vmsBefore, 'no VM left behind');
  await viewer.close();
  await page.close();
});

test('a wrong token secret: Test connection says so in plain words, and nothing is created', async () => {
  const vmsBefore = cluster.emu.vmList().map((vm) => vm.vmid);
  const instancesBefore = (await core.instances.list()).length;
  const page = await openCatalogue(browser, host);
  const section = await openSettings(page);
  await section.locator('[data-testid="proxmox-endpoint-add"]').click();
  const form = section.locator('[data-testid="proxmox-endpoint-form"]');
  await fillTokenEndpoint(form, 'Wrong secret', WRONG_SECRET);
  await form.locator('[data-testid="proxmox-endpoint-save"]').click();
  await form.waitFor({ state: 'detached' });

  const row = section.locator('[data-testid="proxmox-endpoint-row"]', { hasText: 'Wrong secret' });
  await row.waitFor();
  const wrongId = (await row.getAttribute('data-endpoint-id')) ?? '';
  await row.locator('[data-testid="proxmox-endpoint-test"]').click();
  const result = row.locator('[data-testid="proxmox-endpoint-test-result"][data-outcome="failed"]');
  await result.waitFor({ timeout: 15_000 });
  const text = await result.innerText();
  assert.match(text, /token|authenticat/i, `a readable reason: ${text}`);
  assert.doesNotMatch(text, /undefined|\[object|^\s*\d{3}\s*$/, 'no raw status or placeholder');
  await closeSettings(page);

  // An app on that endpoint cannot start: a readable banner, no instance, no VM.
  const app = await call<{ id: string }>('apps.create', {
    app: { name: 'Wrong VM', provider: 'proxmox', proxmox: { endpointId: wrongId, mode: 'clone', templateVmid: TEMPLATE_VMID } },
  });
  const card = page.locator(`[data-testid="app-card"][data-app-id="${app.id}"]`);
  await card.waitFor();
  await card.locator('[data-testid="start-app"]').click();
  const banner = page.locator('[data-testid="error-banner"]');
  await banner.waitFor({ timeout: 15_000 });
  assert.match(await banner.innerText(), /token|authenticat/i);
  assert.equal(await page.locator(`[data-testid="instance-row"][data-app-id="${app.id}"]`).count(), 0, 'no instance row');
  assert.equal((await core.instances.list()).length, instancesBefore, 'no instance stored');
  assert.deepEqual(
    cluster.emu.vmList().map((vm) => vm.vmid),
    vmsBefore,
    'no VM created on the cluster',
  );

  // Delete the app, then the endpoint (after confirming).
  await chooseAppAction(card, 'delete-app');
  await page.locator('[data-testid="confirm-dialog-confirm"]').click();
  await card.waitFor({ state: 'detached' });
  const settings = await openSettings(page);
  const again = settings.locator(`[data-testid="proxmox-endpoint-row"][data-endpoint-id="${wrongId}"]`);
  await again.locator('[data-testid="proxmox-endpoint-delete"]').click();
  await page.locator('[data-testid="confirm-dialog-confirm"]').click();
  await again.waitFor({ state: 'detached' });
  const left = await call<{ id: string }[]>('proxmox.endpoints.list', {});
  assert.deepEqual(
    left.map((e) => e.id),
    [endpointId],
  );
  await page.close();
});

test('the display fields in the editor: RDP through guacd with a write-only password, checked as typed, keyboard operable', async () => {
  assert.ok(endpointId, 'the first test added the endpoint');
  const PASSWORD = 'E2e-Rdp-pw-4471';
  const page = await openCatalogue(browser, host);
  const name = `E2E RDP ${randomBytes(3).toString('hex')}`;
  await page.click('[data-testid="new-app"]');
  const editor = page.locator('[data-testid="app-editor"]');
  const field = (n: string) => editor.locator(`[data-testid="app-field-${n}"]`);
  const error = (n: string) => editor.locator(`[data-testid="app-field-error"][data-field="${n}"]`);
  await field('name').fill(name);
  await field('provider').selectOption('proxmox');
  await field('proxmox-endpointId').selectOption(endpointId);
  await field('proxmox-mode').selectOption('existing');
  await field('proxmox-vmid').fill('120');
  await field('proxmox-node').fill('pve2');
  const section = editor.locator('[data-testid="app-display-section"]');
  assert.equal(await field('proxmox-displayKind').inputValue(), 'vncproxy', 'the console by default');
  assert.equal(await section.locator('input[type="password"]').count(), 0, 'no password for the console');

  // Direct VNC without a host: the editor says what is missing, next to the field.
  await field('proxmox-displayKind').selectOption('vnc');
  await field('proxmox-vncPort').fill('5977');
  await editor.locator('[data-testid="app-editor-save"]').click();
  await error('proxmox-vncHost').waitFor();
  assert.match(await error('proxmox-vncHost').innerText(), /host/i);
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'app-field-proxmox-vncHost', 'focus moves to it');

  // RDP, chosen with the keyboard: the select is a labelled native control.
  await field('proxmox-displayKind').focus();
  await page.keyboard.press('ArrowDown');
  assert.equal(await field('proxmox-displayKind').inputValue(), 'rdp');
  const kindLabel = await editor.locator(`label[for="app-field-proxmox-displayKind"]`).innerText();
  assert.match(kindLabel, /Screen reached by/);
  await field('proxmox-rdpUsername').fill('alice');
  await field('proxmox-rdpDomain').fill('EXAMPLE');
  await field('proxmox-rdpSecurity').selectOption('nla');
  await field('proxmox-rdpIgnoreCert').focus();
  await page.keyboard.press('Space');
  assert.equal(await field('proxmox-rdpIgnoreCert').isChecked(), true);
  await field('proxmox-displayPassword').fill(PASSWORD);
  assert.equal(await field('proxmox-displayPassword').getAttribute('type'), 'password');

  // RDP with the embedded gateway is refused; guacd at an address is accepted.
  await field('gateway').selectOption('embedded');
  await editor.locator('[data-testid="app-editor-save"]').click();
  await error('gateway').waitFor();
  assert.match(await error('gateway').innerText(), /guacd/);
  await field('gateway').selectOption('guacd');
  await field('guacdHost').fill('127.0.0.1');
  await field('guacdPort').fill('4822');
  await editor.locator('[data-testid="app-editor-save"]').click();
  await editor.waitFor({ state: 'detached' });

  const card = page.locator('[data-testid="app-card"]', { hasText: name });
  await card.waitFor();
  const appId = (await card.getAttribute('data-app-id')) ?? '';
  const stored = (await core.apps.get(appId)) as ProxmoxApp;
  assert.deepEqual(stored.display, { gateway: 'guacd', guacd: { host: '127.0.0.1', port: 4822 }, microphone: false });
  // Drive redirection is on by default for RDP apps.
  assert.deepEqual(stored.proxmox.display, { kind: 'rdp', port: 3389, username: 'alice', domain: 'EXAMPLE', security: 'nla', ignoreCert: true, driveRedirection: true });
  assert.equal(stored.displayPasswordSet, true);
  assert.equal(await core.apps.displayPassword(appId), PASSWORD);

  // Editing again: the window never gets the password, only that one is set; saving keeps it.
  await chooseAppAction(card, 'edit-app');
  await editor.waitFor();
  assert.equal(await field('proxmox-displayPassword').inputValue(), '');
  assert.match(await editor.locator('#app-field-proxmox-displayPassword-hint').innerText(), /password is set/);
  assert.ok(!(await page.content()).includes(PASSWORD), 'the password is nowhere in the page');
  await field('proxmox-rdpUsername').fill('bob');
  await editor.locator('[data-testid="app-editor-save"]').click();
  await editor.waitFor({ state: 'detached' });
  // The editor closes once the main process saved.
  const edited = ((await core.apps.get(appId)) as ProxmoxApp).proxmox.display;
  assert.ok(edited.kind === 'rdp' && edited.username === 'bob');
  assert.equal(await core.apps.displayPassword(appId), PASSWORD, 'kept');
  await call('apps.delete', { appId });
  await page.close();
});
