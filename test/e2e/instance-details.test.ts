// End to end in Debian's Chromium against the headless host, a real core and real Docker:
// a running instance's row shows its image, endpoint, uptime, CPU and memory sparklines and
// ports (never the host port or the password); its details tabs show the logs (searched),
// CPU and memory history, the configuration with secrets masked, and a terminal whose shell
// runs inside the container and ends when the tab closes. The tabs pass axe-core and work
// by keyboard alone. The Home tab exports the home as a .tar.gz download and imports it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright';
import type { Core } from '../../src-main/core';
import type { HeadlessHost } from '../../src-main/host/headless-host';
import { MASK } from '../../src-shared/contract';
import type { App, Instance } from '../../src-shared/model';
import { axeViolations } from '../helpers/axe';
import { closeAppInChromium, startAppInChromium } from '../helpers/app-in-chromium';
import { callCore, waitForState } from '../helpers/core';
import { containersOf, docker, dockerExec } from '../helpers/docker';
import { withFailureScreenshots } from '../helpers/failure-screenshot';

let core: Core;
let host: HeadlessHost;
let browser: Browser;
let page: Page;
let instance: Instance;
let row: Locator;
const token = `tok-${randomBytes(12).toString('hex')}`;
const pages = () => (page ? [page] : []);

before(async () => {
  ({ core, host, browser } = await startAppInChromium());
  const app = await callCore<App>(core, 'apps.create', {
    app: { name: 'Detailed desktop', provider: 'docker', docker: { image: 'daas/desktop:latest', env: { API_TOKEN: token, GREETING: 'hello-there' } } },
  });
  instance = await callCore<Instance>(core, 'instances.start', { appId: app.id });
  await waitForState(core, instance.id, 'running');
  // axe-core is injected as a script: the page's CSP would refuse it.
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, bypassCSP: true });
  page = await context.newPage();
  await page.goto(host.loginUrl);
  row = page.locator(`[data-testid="instance-row"][data-instance-id="${instance.id}"]`);
  await row.waitFor();
});

after(() => closeAppInChromium({ core, host, browser }, { removeContainers: true }));

/** What only the main process may know: the VNC password and the host port of the desktop. */
async function connectionDetails(): Promise<{ password: string; hostPort: string }> {
  const [info] = await containersOf(instance.id);
  const inspect = await docker.getContainer(info!.Id).inspect();
  const password = inspect.Config.Env.find((e) => e.startsWith('VNC_PASSWORD='))!.slice('VNC_PASSWORD='.length);
  const hostPort = Object.values(inspect.NetworkSettings.Ports ?? {}).flat()[0]!.HostPort;
  return { password, hostPort };
}

async function openTab(name: 'logs' | 'stats' | 'inspect' | 'terminal' | 'home'): Promise<Locator> {
  if ((await row.locator('[data-testid="instance-tools"]').count()) === 0) await row.locator('[data-testid="toggle-instance-tools"]').click();
  await row.locator(`[data-testid="details-tab-${name}"]`).click();
  return row.locator(`[data-testid="details-panel-${name}"]`);
}

test('the row shows image, endpoint, uptime, CPU and memory sparklines and ports, without connection details', () =>
  withFailureScreenshots('instance-columns', pages, async () => {
    const columns = row.locator('[data-testid="instance-columns"]');
    await columns.locator('[data-testid="instance-image"]', { hasText: 'daas/desktop:latest' }).waitFor();
    assert.equal(await columns.locator('[data-testid="instance-endpoint"]').innerText(), 'This computer');
    assert.match(await columns.locator('[data-testid="instance-uptime"]').innerText(), /^\d+ (s|sec|min)/);
    // Two samples make a line: the sparklines follow the stats the row collects.
    // (An idle desktop draws a flat line: attached, though too thin to count as visible.)
    await columns.locator('[data-testid="cpu-sparkline"] polyline').waitFor({ state: 'attached', timeout: 30_000 });
    await columns.locator('[data-testid="memory-sparkline"] polyline').waitFor({ state: 'attached' });
    assert.match(await columns.locator('[data-testid="instance-memory-now"]').innerText(), /MiB/);
    const ports = await columns.locator('[data-testid="instance-ports"]').innerText();
    assert.match(ports, /5901\/tcp · desktop · loopback only/);
    const { password, hostPort } = await connectionDetails();
    const html = await page.content();
    assert.ok(!html.includes(password), 'the VNC password is not in the page');
    assert.ok(!(await row.innerText()).includes(hostPort), 'the host port is not on the row');
  }));

test('the Logs tab searches the log, and follows, pauses and shows timestamps', () =>
  withFailureScreenshots('instance-logs', pages, async () => {
    const panel = await openTab('logs');
    const log = panel.locator('[data-testid="instance-logs"]');
    await log.filter({ hasText: 'vncext' }).waitFor();
    const all = (await log.innerText()).split('\n');
    await panel.locator('[data-testid="logs-search"]').fill('VNCEXT');
    const expected = all.filter((l) => l.toLowerCase().includes('vncext'));
    assert.ok(expected.length >= 1 && expected.length < all.length);
    await panel.locator('[data-testid="logs-status"]', { hasText: new RegExp(`^${expected.length} matching line`) }).waitFor();
    assert.deepEqual((await log.innerText()).split('\n'), expected);
    await panel.locator('[data-testid="logs-search"]').fill('');
    await panel.locator('[data-testid="logs-timestamps"]').check();
    // Docker's RFC 3339 stamp before each line.
    await log.filter({ hasText: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z start-desktop/m }).waitFor();
    await panel.locator('[data-testid="logs-follow"]').uncheck();
    await panel.getByText('paused').waitFor();
  }));

test('the Stats tab graphs CPU and memory over time', () =>
  withFailureScreenshots('instance-stats', pages, async () => {
    const panel = await openTab('stats');
    await panel.locator('[data-testid="instance-stats"][data-available="true"]').waitFor({ timeout: 30_000 });
    const points = Number(await panel.locator('[data-testid="cpu-history"]').getAttribute('data-points'));
    assert.ok(points >= 2, `history has ${points} samples`);
    await panel.locator('[data-testid="memory-history"] polyline').waitFor({ state: 'attached' });
  }));

test('the Inspect tab shows the container configuration with the secrets masked', () =>
  withFailureScreenshots('instance-inspect', pages, async () => {
    const panel = await openTab('inspect');
    const config = panel.locator('[data-testid="instance-inspect"]');
    await config.waitFor();
    const text = await config.innerText();
    const { password, hostPort } = await connectionDetails();
    assert.ok(text.includes(`"API_TOKEN=${MASK}"`), 'the token is masked');
    assert.ok(text.includes(`"VNC_PASSWORD=${MASK}"`), 'the VNC password is masked');
    assert.ok(text.includes('"GREETING=hello-there"'), 'plain values stay');
    assert.ok(text.includes('"Image": "daas/desktop:latest"'));
    assert.ok(!text.includes(token) && !text.includes(password), 'no secret reaches the page');
    assert.ok(!text.includes(`"HostPort": "${hostPort}"`), 'the published port is hidden');
    assert.match(await panel.locator('[data-testid="inspect-status"]').innerText(), /secrets are hidden/);
  }));

/** Processes in the container that belong to a terminal (they carry its mark). */
async function terminalProcesses(): Promise<number> {
  const [info] = await containersOf(instance.id);
  // As the shell's user: the confined container's root may not read another user's environ.
  const user = (await docker.getContainer(info!.Id).inspect()).Config.User;
  const { output } = await dockerExec(info!.Id, ['/bin/sh', '-c', 'grep -l DAAS_TERMINAL= /proc/[0-9]*/environ 2>/dev/null | wc -l'], user);
  // The output is in Docker's 8-byte-framed stream format: the count ends it.
  const count = /(\d+)\s*$/.exec(output);
  assert.ok(count, `no count in ${JSON.stringify(output)}`);
  return Number(count[1]);
}

test('the Terminal tab runs a shell inside the container, and closing the tab ends it', () =>
  withFailureScreenshots('instance-terminal', pages, async () => {
    const panel = await openTab('terminal');
    await panel.locator('[data-testid="terminal-tab"][data-phase="open"]').waitFor({ timeout: 30_000 });
    await panel.locator('.xterm-helper-textarea').focus();
    await page.keyboard.type('echo daas-$((6*7)) $(cat /etc/hostname | wc -c)\n');
    // 42 is computed by the shell in the container: the typed line itself says $((6*7)).
    await panel.locator('.xterm-rows', { hasText: /daas-42 \d+/ }).waitFor();
    assert.ok((await terminalProcesses()) >= 1, 'the shell runs in the container');
    // Ctrl+] leaves the terminal for its tab.
    await page.keyboard.press('Control+]');
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.testid), 'details-tab-terminal');
    await openTab('logs');
    for (let i = 0; i < 50 && (await terminalProcesses()) > 0; i++) await new Promise((r) => setTimeout(r, 200));
    assert.equal(await terminalProcesses(), 0, 'the shell and its children are gone');
    assert.equal(core.terminals.count, 0);
  }));

test('the details tabs pass axe-core and work by keyboard alone', () =>
  withFailureScreenshots('instance-details-a11y', pages, async () => {
    const problems: string[] = [];
    for (const name of ['logs', 'stats', 'inspect', 'terminal', 'home'] as const) {
      const panel = await openTab(name);
      if (name === 'terminal') await panel.locator('[data-testid="terminal-tab"][data-phase="open"]').waitFor({ timeout: 30_000 });
      problems.push(...(await axeViolations(page, `details ${name}`)));
    }
    assert.deepEqual(problems, []);
    // Arrow keys, Home and End move between tabs (WAI-ARIA tabs); Tab goes into the panel.
    await row.locator('[data-testid="details-tab-logs"]').click();
    const focused = () => page.evaluate(() => (document.activeElement as HTMLElement).dataset.testid);
    await page.keyboard.press('ArrowRight');
    assert.equal(await focused(), 'details-tab-stats');
    assert.equal(await row.locator('[data-testid="details-tab-stats"]').getAttribute('aria-selected'), 'true');
    await page.keyboard.press('End');
    assert.equal(await focused(), 'details-tab-home');
    await page.keyboard.press('Home');
    assert.equal(await focused(), 'details-tab-logs');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await focused(), 'details-tab-home');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await focused(), 'details-tab-terminal');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await focused(), 'details-tab-inspect');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'inspect-refresh');
  }));

test('the Home tab exports the home as a .tar.gz download and imports it back', () =>
  withFailureScreenshots('instance-home', pages, async () => {
    const [info] = await containersOf(instance.id);
    assert.equal((await dockerExec(info!.Id, ['sh', '-c', 'echo from-home > ~/home-e2e.txt'], 'desktop')).exitCode, 0);
    const panel = await openTab('home');
    const [download] = await Promise.all([page.waitForEvent('download'), panel.locator('[data-testid="home-export"]').click()]);
    assert.match(download.suggestedFilename(), /-home-\d{4}-\d\d-\d\d\.tar\.gz$/);
    const archive = await download.path();
    assert.deepEqual([...(await readFile(archive)).subarray(0, 2)], [0x1f, 0x8b], 'a gzip file');
    await panel.locator('[data-testid="home-status"]', { hasText: /^Exported ~ as / }).waitFor();
    // Gone from the desktop, then back from the archive.
    assert.equal((await dockerExec(info!.Id, ['rm', '/home/desktop/home-e2e.txt'], 'desktop')).exitCode, 0);
    await panel.locator('[data-testid="home-import-file"]').setInputFiles(archive);
    await panel.locator('[data-testid="home-status"]', { hasText: /^Imported / }).waitFor({ timeout: 30_000 });
    assert.match((await dockerExec(info!.Id, ['cat', '/home/desktop/home-e2e.txt'], 'desktop')).output, /from-home/);
  }));
