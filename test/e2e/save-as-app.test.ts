// End to end in Debian's Chromium against the headless host, a real core and real Docker:
// "Save as new app…" from a running instance's details makes a catalogue entry, and an
// instance started from that entry has the file written in the first one; once the first one
// is stopped, its details say why it has nothing left to save.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import type { Core } from '../../src-main/core';
import type { HeadlessHost } from '../../src-main/host/headless-host';
import type { App, DockerApp, Instance } from '../../src-shared/model';
import { closeAppInChromium, startAppInChromium } from '../helpers/app-in-chromium';
import { callCore, waitForState } from '../helpers/core';
import { containersOf, docker, dockerExec } from '../helpers/docker';
import { withFailureScreenshots } from '../helpers/failure-screenshot';

let core: Core;
let host: HeadlessHost;
let browser: Browser;
let page: Page | undefined;
const pages = () => (page ? [page] : []);

before(async () => {
  ({ core, host, browser } = await startAppInChromium());
});

after(async () => {
  const saved = core ? ((await core.apps.list()).filter((a) => a.provider === 'docker' && a.docker.image.startsWith('daas/saved-')) as DockerApp[]) : [];
  await closeAppInChromium({ core, host, browser }, { removeContainers: true });
  for (const app of saved) await docker.getImage(app.docker.image).remove({ force: true }).catch(() => undefined);
});

test('Save as new app from the instance details: the app is in the catalogue and its instances have the saved file', () =>
  withFailureScreenshots('save-as-app', pages, async () => {
    const original = await callCore<Instance>(core, 'instances.start', { appId: 'linux-desktop' });
    await waitForState(core, original.id, 'running');
    const [container] = await containersOf(original.id);
    const wrote = await dockerExec(container!.Id, ['sh', '-c', 'echo "written before saving" > /home/desktop/before.txt'], 'desktop');
    assert.equal(wrote.exitCode, 0, wrote.output);

    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(host.loginUrl);
    const row = page.locator(`[data-testid="instance-row"][data-instance-id="${original.id}"]`);
    await row.locator('[data-testid="toggle-instance-tools"]').click();
    await row.locator('[data-testid="save-as-app-open"]').click();
    await row.locator('[data-testid="save-as-app-name"]').fill('Desktop with notes');
    await row.locator('[data-testid="save-as-app-save"]').click();
    await row.locator('[data-testid="save-as-app-done"]', { hasText: 'Desktop with notes' }).waitFor({ timeout: 30_000 });

    // The new app's card, started as any other.
    const saved = (await callCore<App[]>(core, 'apps.list', {})).find((a) => a.name === 'Desktop with notes');
    assert.ok(saved, 'the catalogue holds the new app');
    const card = page.locator(`[data-testid="app-card"][data-app-id="${saved.id}"]`);
    await card.locator('.app-name', { hasText: 'Desktop with notes' }).waitFor();
    await card.locator('[data-testid="start-app"]').click();
    const copyRow = page.locator(`[data-testid="instance-row"][data-state="running"]:not([data-instance-id="${original.id}"])`);
    await copyRow.waitFor({ timeout: 30_000 });
    const copyId = await copyRow.getAttribute('data-instance-id');
    assert.equal((await core.instances.get(copyId!))?.appId, saved.id, 'the instance belongs to the new app');
    const [copyContainer] = await containersOf(copyId!);
    const read = await dockerExec(copyContainer!.Id, ['cat', '/home/desktop/before.txt'], 'desktop');
    assert.match(read.output, /written before saving/);

    // Stopped, the first instance's container is gone: its details say so instead of offering Save.
    await callCore(core, 'instances.stop', { instanceId: original.id });
    await page.locator(`[data-testid="instance-row"][data-instance-id="${original.id}"][data-state="stopped"]`).waitFor();
    await row.locator('[data-testid="save-as-app-unavailable"]', { hasText: 'nothing to save' }).waitFor();
    assert.equal(await row.locator('[data-testid="save-as-app-open"]').count(), 0);
    await callCore(core, 'instances.stop', { instanceId: copyId });
  }));
