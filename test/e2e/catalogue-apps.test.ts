// End to end: catalogue management in the real renderer (Debian Chromium) against the
// headless host, with the real core, real Docker and the real desktop image.
// Create an app in the editor (with a field error first), start two instances, see
// both live, stop one; a malformed import changes nothing and names the bad entry.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright';
import type { Core } from '../../src-main/core';
import type { HeadlessHost } from '../../src-main/host/headless-host';
import { closeAppInChromium, openCatalogue, startAppInChromium } from '../helpers/app-in-chromium';
import { containersOf, docker } from '../helpers/docker';
import { chooseAppAction } from '../helpers/catalogue-cards';
import type { DockerApp } from '../../src-shared/model';

let core: Core;
let host: HeadlessHost;
/** Every app these tests make is a container app. */
const dockerApp = async (id: string) => (await core.apps.get(id)) as DockerApp | undefined;
const dockerApps = async () => (await core.apps.list()) as DockerApp[];
let browser: Browser;

before(async () => {
  ({ core, host, browser } = await startAppInChromium());
});

after(() => closeAppInChromium({ core, host, browser }, { removeContainers: true }));

async function appIdsShown(page: Page): Promise<string[]> {
  return page.locator('[data-testid="app-card"]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-app-id') ?? ''));
}

function field(editor: Locator, name: string): Locator {
  return editor.locator(`[data-testid="app-field-${name}"]`);
}

test('create an app in the editor, start two instances, stop one; Docker agrees', async () => {
  const page = await openCatalogue(browser, host);
  const name = `E2E desktop ${randomBytes(3).toString('hex')}`;

  await page.click('[data-testid="new-app"]');
  const editor = page.locator('[data-testid="app-editor"]');
  await editor.waitFor();
  await field(editor, 'name').fill(name);
  await field(editor, 'image').fill('daas/desktop:latest');

  // A memory limit a person might type: refused next to the field, once it is left.
  await field(editor, 'memory').fill('lots');
  await field(editor, 'memory').press('Tab');
  const memoryError = editor.locator('[data-testid="app-field-error"][data-field="memory"]');
  await memoryError.waitFor();
  assert.match(await memoryError.innerText(), /512m or 2g/);
  assert.equal(await field(editor, 'memory').getAttribute('aria-invalid'), 'true');

  // Save is refused while a field is wrong: nothing is created, focus goes to the field.
  await editor.locator('[data-testid="app-editor-save"]').click();
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'app-field-memory');
  assert.equal((await core.apps.list()).filter((a) => a.name === name).length, 0, 'nothing saved with a bad field');

  await field(editor, 'memory').fill('512m');
  await memoryError.waitFor({ state: 'detached' });
  await field(editor, 'env').fill('DAAS_E2E=yes\nGREETING=hello=world');
  await editor.locator('[data-testid="app-editor-save"]').click();
  await editor.waitFor({ state: 'detached' });

  // The new card comes from the main process (apps.changed / the create response).
  const card = page.locator('[data-testid="app-card"]', { hasText: name });
  await card.waitFor();
  const appId = await card.getAttribute('data-app-id');
  assert.ok(appId);
  const stored = await dockerApp(appId);
  assert.equal(stored?.docker.memory, '512m');
  assert.deepEqual(stored?.docker.env, { DAAS_E2E: 'yes', GREETING: 'hello=world' });
  await card.locator('[data-testid="image-status"][data-present="true"]').waitFor({ timeout: 15_000 });

  // Two instances of the same app, both listed with live state.
  const start = card.locator('[data-testid="start-app"]');
  await start.click();
  await page.locator(`[data-testid="instance-row"][data-app-id="${appId}"]`).first().waitFor();
  await start.click(); // waits until the first start request has answered
  const rows = page.locator(`[data-testid="instance-row"][data-app-id="${appId}"]`);
  await page.waitForFunction(
    (id) => document.querySelectorAll(`[data-testid="instance-row"][data-app-id="${id}"][data-state="running"]`).length === 2,
    appId,
    { timeout: 90_000 },
  );
  const ids = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-instance-id') ?? ''));
  assert.equal(new Set(ids).size, 2, 'two distinct instances');
  const [stopId, keepId] = ids as [string, string];

  // The memory limit typed in the editor reached Docker.
  for (const id of ids) {
    const [container] = await containersOf(id);
    assert.ok(container, `instance ${id} has its container`);
    const info = await docker.getContainer(container.Id).inspect();
    assert.equal(info.HostConfig.Memory, 512 * 1024 * 1024, 'HostConfig.Memory is 512m');
    assert.ok(info.Config.Env.includes('GREETING=hello=world'), 'the environment reached the container');
  }

  // Stop one; the other keeps running.
  const stopRow = page.locator(`[data-testid="instance-row"][data-instance-id="${stopId}"]`);
  const keepRow = page.locator(`[data-testid="instance-row"][data-instance-id="${keepId}"]`);
  await stopRow.locator('[data-testid="stop-instance"]').click();
  await page.waitForSelector(`[data-testid="instance-row"][data-instance-id="${stopId}"][data-state="stopped"]`, {
    timeout: 30_000,
  });
  assert.equal(await keepRow.getAttribute('data-state'), 'running', 'the other instance keeps running');

  assert.deepEqual(await containersOf(stopId), [], 'the stopped instance has no container');
  const remaining = [...(await containersOf(stopId)), ...(await containersOf(keepId))];
  assert.equal(remaining.length, 1, 'exactly one container remains');
  assert.equal(remaining[0]!.State, 'running');

  // The details of the running one show live figures and logs.
  await keepRow.locator('[data-testid="toggle-instance-tools"]').click();
  const tools = keepRow.locator('[data-testid="instance-tools"]');
  await tools.locator('[data-testid="details-tab-stats"]').click();
  await tools.locator('[data-testid="instance-stats"][data-available="true"]').waitFor({ timeout: 15_000 });
  assert.match(await tools.locator('[data-testid="instance-memory"]').innerText(), /MiB of 512 MiB/);
  await tools.locator('[data-testid="details-tab-logs"]').click();
  await tools.locator('[data-testid="instance-logs"]').waitFor();

  await page.screenshot({ path: 'test-results/e2e-catalogue-apps.png', fullPage: true }).catch(() => undefined);

  await keepRow.locator('[data-testid="stop-instance"]').click();
  await page.waitForSelector(`[data-testid="instance-row"][data-instance-id="${keepId}"][data-state="stopped"]`, {
    timeout: 30_000,
  });
  assert.deepEqual(await containersOf(keepId), []);
  await page.close();
});

test('a malformed catalogue import names the bad entry and changes nothing', async () => {
  const page = await openCatalogue(browser, host);
  const before = await appIdsShown(page);
  const storedBefore = (await dockerApps()).map((a) => `${a.id}:${a.name}:${a.docker.image}`);

  const file = {
    version: 1,
    apps: [
      { id: 'fine-app', name: 'A fine app', provider: 'docker', docker: { image: 'daas/desktop:latest' } },
      { id: 'broken-app', name: 'Broken entry', provider: 'docker', docker: { image: 'daas/desktop:latest', memory: 'lots' } },
    ],
  };
  await page.locator('[data-testid="import-catalogue"]').setInputFiles({
    name: 'bad-catalogue.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(file)),
  });

  const banner = page.locator('[data-testid="error-banner"]');
  await banner.waitFor();
  const text = await banner.innerText();
  assert.match(text, /bad-catalogue\.json/);
  assert.match(text, /Entry 2/);
  assert.match(text, /Broken entry/);
  assert.match(text, /memory/);

  // Nothing changed: not in the window, not in the store (the good first entry neither).
  await page.waitForTimeout(500);
  assert.deepEqual(await appIdsShown(page), before);
  assert.deepEqual(
    (await dockerApps()).map((a) => `${a.id}:${a.name}:${a.docker.image}`),
    storedBefore,
  );
  assert.equal(await page.locator('[data-testid="app-card"][data-app-id="fine-app"]').count(), 0);
  await page.close();
});

test('edit, duplicate, export and delete from the cards', async () => {
  const created = await core.handle(
    'apps.create',
    {
      app: {
        name: 'Kiosk for editing',
        provider: 'docker',
        docker: { image: 'daas/desktop:latest', memory: '1g', command: ['start-desktop.sh', '--flag'], env: { A: '1', B: 'two' } },
      },
    },
    { openViewer: async () => ({ kind: 'opened' }) },
  );
  assert.ok(created.ok);
  const appId = (created.result as { id: string }).id;
  const page = await openCatalogue(browser, host);
  const card = page.locator(`[data-testid="app-card"][data-app-id="${appId}"]`);

  // The editor opens filled in: one argument per line, one NAME=value per line.
  await chooseAppAction(card, 'edit-app');
  const editor = page.locator('[data-testid="app-editor"]');
  assert.equal(await field(editor, 'memory').inputValue(), '1g');
  assert.equal(await field(editor, 'command').inputValue(), 'start-desktop.sh\n--flag');
  assert.equal(await field(editor, 'env').inputValue(), 'A=1\nB=two');
  await field(editor, 'description').fill('Edited in the browser');
  await field(editor, 'idleTimeoutMinutes').fill('30');
  await editor.locator('[data-testid="app-editor-save"]').click();
  await editor.waitFor({ state: 'detached' });
  await card.getByText('Edited in the browser').waitFor();
  const edited = await dockerApp(appId);
  assert.equal(edited?.idleTimeoutMinutes, 30);
  assert.deepEqual(edited?.docker.command, ['start-desktop.sh', '--flag']);

  // Duplicate, then delete the copy (after confirming).
  await chooseAppAction(card, 'duplicate-app');
  const copy = page.locator('[data-testid="app-card"]', { hasText: 'Kiosk for editing (copy)' });
  await copy.waitFor();
  await chooseAppAction(copy, 'delete-app');
  await page.locator('[data-testid="confirm-dialog-confirm"]').click();
  await copy.waitFor({ state: 'detached' });
  assert.equal((await core.apps.list()).filter((a) => a.name.endsWith('(copy)')).length, 0);

  // Export downloads the whole catalogue as one JSON file.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-catalogue"]')]);
  assert.match(download.suggestedFilename(), /^daas-catalogue-.*\.json$/);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const exported = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { apps: { id: string }[] };
  assert.ok(exported.apps.some((a) => a.id === appId), 'the export holds the edited app');
  await page.close();
});

test('settings list the Docker endpoint and test its connection; stop all asks first', async () => {
  const page = await openCatalogue(browser, host);
  await page.click('[data-testid="settings-open"]');
  const row = page.locator('[data-testid="endpoint-row"]').first();
  await row.waitFor();
  await row.locator('[data-testid="test-endpoint"]').click();
  const result = row.locator('[data-testid="endpoint-test-result"][data-outcome="ok"]');
  await result.waitFor({ timeout: 15_000 });
  assert.match(await result.innerText(), /Docker \S+/);
  await page.keyboard.press('Escape');
  await page.locator('[data-testid="settings"]').waitFor({ state: 'detached' });

  const card = page.locator('[data-testid="app-card"][data-app-id="linux-desktop"]');
  await card.locator('[data-testid="start-app"]').click();
  await page.waitForSelector('[data-testid="instance-row"][data-app-id="linux-desktop"][data-state="running"]', { timeout: 60_000 });
  await page.click('[data-testid="stop-all"]');
  await page.locator('[data-testid="confirm-dialog-confirm"]').click();
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('[data-testid="instance-row"]')].every((row) => row.getAttribute('data-state') === 'stopped'),
    undefined,
    { timeout: 30_000 },
  );
  assert.equal(await page.locator('[data-testid="stop-all"]').isDisabled(), true, 'nothing left to stop');
  await page.close();
});
