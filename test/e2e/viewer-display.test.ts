// End to end, the viewer window in real Chromium against the headless host, a real container
// desktop (daas/desktop) and the real display path:
//   - resizing the viewer resizes the remote desktop (xrandr in the container says so);
//   - text set on the remote X clipboard reaches the page's clipboard, and text copied in the
//     page reaches the remote X clipboard (checked with xclip in the container when the image
//     has it);
//   - after the tunnel is cut the viewer reconnects by itself;
//   - a viewer reconnecting when its instance stops says so and stops claiming to reconnect.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright';
import type { Core } from '../../src-main/core';
import type { HeadlessHost } from '../../src-main/host/headless-host';
import { closeAppInChromium, openCatalogue, startAppInChromium, startDesktopInViewer } from '../helpers/app-in-chromium';
import { stopFromRow } from '../helpers/instance-rows';
import { dockerExec } from '../helpers/docker';
import { waitUntil } from '../helpers/x-apps';
import { revealToolbar } from '../helpers/viewer-menu';

let core: Core;
let host: HeadlessHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let viewer: Page;
let instanceId: string;
let containerId: string;

const DISPLAY_ENV = 'DISPLAY=:1';

/** Runs a shell command in the desktop container as its desktop user. */
async function inDesktop(script: string): Promise<{ exitCode: number; output: string }> {
  return dockerExec(containerId, ['sh', '-c', `${DISPLAY_ENV} ${script}`], 'desktop');
}

/** The X screen size as xrandr reports it ("current W x H"). */
async function remoteSize(): Promise<{ width: number; height: number }> {
  const { output } = await inDesktop('xrandr -q');
  const m = /current (\d+) x (\d+)/.exec(output);
  assert.ok(m, `xrandr answered: ${output}`);
  return { width: Number(m[1]), height: Number(m[2]) };
}

before(async () => {
  ({ core, host, browser } = await startAppInChromium());
  context = await browser.newContext();
  page = await openCatalogue(context, host);
  // The viewer syncs the system clipboard: let the page read and write it.
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
  ({ instanceId, containerId, viewer } = await startDesktopInViewer(page, { width: 1100, height: 700 }));
});

after(async () => {
  await context?.close().catch(() => undefined);
  await closeAppInChromium({ core, host, browser }, { removeContainers: true });
});

test('resizing the viewer window resizes the remote desktop', async () => {
  // On connect the viewer asks for its window size.
  await waitUntil(async () => {
    const s = await remoteSize();
    return s.width === 1100 && s.height === 700 ? s : undefined;
  }, 15_000, 'the desktop to take the 1100x700 window size');

  await viewer.setViewportSize({ width: 900, height: 600 });
  const after = await waitUntil(async () => {
    const s = await remoteSize();
    return s.width === 900 && s.height === 600 ? s : undefined;
  }, 15_000, 'the desktop to follow the window to 900x600');
  assert.deepEqual(after, { width: 900, height: 600 });

  // The viewer's display follows too (the `size` instruction it received): its statistics overlay shows it.
  await revealToolbar(viewer);
  await viewer.locator('[data-testid="toggle-stats"]').click();
  await waitUntil(
    async () => ((await viewer.locator('[data-testid="stats-overlay"]').textContent()) ?? '').startsWith('900×600'),
    5_000,
    'the viewer to show a 900x600 display',
  );
  await revealToolbar(viewer);
  await viewer.locator('[data-testid="toggle-stats"]').click();
});

test('text set on the remote X clipboard reaches the page clipboard', async () => {
  const text = `remote-${randomBytes(4).toString('hex')}`;
  await viewer.bringToFront();
  // A real X client takes the CLIPBOARD selection: xterm's OSC 52 "set selection".
  const b64 = Buffer.from(text).toString('base64');
  const setter = inDesktop(
    `xterm -geometry 20x2+600+400 -xrm 'XTerm*allowWindowOps: true' -e sh -c "printf '\\033]52;c;${b64}\\a'; sleep 8"`,
  );
  try {
    const got = await waitUntil(
      async () => {
        const t = await viewer.evaluate(() => navigator.clipboard.readText());
        return t === text ? t : undefined;
      },
      10_000,
      'the page clipboard to hold the remote text',
    );
    assert.equal(got, text);
  } finally {
    await setter.catch(() => undefined);
  }
});

test('text copied in the page reaches the remote clipboard', async (t) => {
  const text = `local-${randomBytes(4).toString('hex')}`;
  await viewer.bringToFront();
  await viewer.evaluate(async (value) => {
    await navigator.clipboard.writeText(value);
    // The viewer sends the system clipboard when its window gains focus.
    window.dispatchEvent(new Event('focus'));
  }, text);
  const hasXclip = (await inDesktop('command -v xclip')).exitCode === 0;
  if (!hasXclip) {
    t.skip('the desktop image has no xclip to read the X clipboard with (add it to the image recipe)');
    return;
  }
  const got = await waitUntil(
    async () => {
      const r = await inDesktop('xclip -o -selection clipboard');
      return r.exitCode === 0 && r.output.includes(text) ? r.output : undefined;
    },
    10_000,
    'the X clipboard to hold the page text',
  );
  assert.match(got, new RegExp(text));
});

test('after the tunnel is cut the viewer reconnects by itself', async () => {
  const states: string[] = [];
  await viewer.exposeFunction('__recordViewerState', (s: string) => void states.push(s));
  await viewer.evaluate(() => {
    const el = document.querySelector('[data-testid="viewer"]')!;
    new MutationObserver(() => {
      (window as unknown as { __recordViewerState: (s: string) => void }).__recordViewerState(el.getAttribute('data-state') ?? '');
    }).observe(el, { attributes: true, attributeFilter: ['data-state'] });
  });
  assert.ok(core.display.viewerCount(instanceId) >= 1, 'the viewer is connected before the cut');
  assert.ok(core.display.dropViewerConnections(instanceId) >= 1, 'a viewer connection was cut');

  await viewer.waitForSelector('[data-testid="viewer"][data-state="reconnecting"], [data-testid="viewer"][data-state="disconnected"]', {
    timeout: 10_000,
  });
  await viewer.waitForSelector('[data-testid="viewer"][data-state="connected"]', { timeout: 30_000 });
  assert.ok(
    states.some((s) => s === 'reconnecting' || s === 'disconnected'),
    `the viewer showed the drop (states: ${states.join(' → ')})`,
  );
  assert.equal(states.at(-1), 'connected');
  await waitUntil(async () => core.display.viewerCount(instanceId) === 1, 5_000, 'one viewer connection again');
});

test('a viewer that was reconnecting when its instance stopped says so and no longer claims to reconnect', async () => {
  await viewer.waitForSelector('[data-testid="viewer"][data-state="connected"]', { timeout: 30_000 });
  // The connection drops first (as when the desktop goes away), then the instance is stopped.
  assert.ok(core.display.dropViewerConnections(instanceId) >= 1, 'a viewer connection was cut');
  await viewer.waitForSelector('[data-testid="viewer"][data-state="reconnecting"]', { timeout: 10_000 });
  const row = page.locator(`[data-testid="instance-row"][data-instance-id="${instanceId}"]`);
  await stopFromRow(page, row);
  await page.waitForSelector(`[data-testid="instance-row"][data-instance-id="${instanceId}"][data-state="stopped"]`, { timeout: 30_000 });
  await viewer.waitForSelector('.overlay-title:has-text("Desktop stopped")', { timeout: 15_000 });
  // No retry is scheduled for a stopped instance, so the state must not claim one.
  const state = await waitUntil(
    async () => {
      const s = await viewer.locator('[data-testid="viewer"]').getAttribute('data-state');
      return s !== 'reconnecting' ? s : undefined;
    },
    10_000,
    'the viewer to leave the "reconnecting" state',
  );
  assert.ok(state === 'disconnected' || state === 'error', `state ${state}`);
  assert.equal(await viewer.locator('[data-testid="viewer-overlay"] .spinner').count(), 0, 'no spinner promises a retry');
  assert.equal(core.display.viewerCount(instanceId), 0, 'no viewer connection came back');
});
