// End to end: the built-in text editor in single-app mode. Real Chromium against the
// headless host, a real daas/editor container (mousepad under matchbox in Xtigervnc):
// the editor fills the viewer at two window sizes, and quitting it inside stops the instance.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import type { Instance } from '../../src-shared/model';
import type { Core } from '../../src-main/core';
import type { HeadlessHost } from '../../src-main/host/headless-host';
import { closeAppInChromium, openCatalogue, openViewer, startAppInChromium, startFromCard } from '../helpers/app-in-chromium';
import { TEST_HOST } from '../helpers/core';
import { containersOf, docker } from '../helpers/docker';

const IMAGE = 'daas/editor:latest';
// Known before the test is declared, so a missing image is a skip that says why.
const missing = !execFileSync('docker', ['images', '-q', IMAGE], { encoding: 'utf8' }).trim();

let core: Core;
let host: HeadlessHost;
let browser: Browser;

before(async () => {
  if (missing) return;
  ({ core, host, browser } = await startAppInChromium());
});

after(() => closeAppInChromium({ core, host, browser }, { removeContainers: true }));

interface Corners {
  /** The remote screen's size (the default layer's canvas). */
  width: number;
  height: number;
  /** The display area in the page. */
  areaWidth: number;
  areaHeight: number;
  /** [r, g, b] a few pixels in from each corner: top-left, top-right, bottom-left, bottom-right. */
  pixels: number[][];
}

/** The remote screen's size and its far corners' colours, read from the viewer's canvas. */
function corners(viewer: Page): Promise<Corners> {
  return viewer.evaluate(() => {
    const area = document.querySelector<HTMLElement>('[data-testid="display"]')!;
    // (No named functions in here: tsx would wrap them in a helper the page lacks.)
    let screen: HTMLCanvasElement | null = null;
    for (const c of area.querySelectorAll('canvas')) if (!screen || c.width * c.height > screen.width * screen.height) screen = c;
    // The canvas grows in steps of 64 pixels; its layer's element has the screen's size.
    const width = parseInt(screen?.parentElement?.style.width ?? '', 10) || 0;
    const height = parseInt(screen?.parentElement?.style.height ?? '', 10) || 0;
    const pixels: number[][] = [];
    if (screen && width && height) {
      for (const [x, y] of [[3, 3], [width - 4, 3], [3, height - 4], [width - 4, height - 4]]) {
        pixels.push([...screen.getContext('2d')!.getImageData(x!, y!, 1, 1).data.slice(0, 3)]);
      }
    }
    return { width, height, areaWidth: area.clientWidth, areaHeight: area.clientHeight, pixels };
  });
}

/** GTK's light theme (menu bar, text view, status bar) — not the dark root (#2e3440) nor undrawn black. */
const isEditorPixel = ([r, g, b]: number[]) => r! > 180 && g! > 180 && b! > 180;

async function expectEditorFills(viewer: Page, width: number, height: number): Promise<void> {
  await viewer.setViewportSize({ width, height });
  let seen: Corners | undefined;
  for (let i = 0; i < 150; i++) {
    seen = await corners(viewer);
    const followed = seen.width === seen.areaWidth && seen.height === seen.areaHeight;
    if (followed && seen.pixels.length === 4 && seen.pixels.every(isEditorPixel)) return;
    await viewer.waitForTimeout(200);
  }
  assert.fail(
    `at ${width}x${height} the remote screen follows the window and the editor fills it to every corner; ` +
      `saw screen ${seen?.width}x${seen?.height} in an area of ${seen?.areaWidth}x${seen?.areaHeight}, corners ${JSON.stringify(seen?.pixels)}`,
  );
}

test('single-app editor: fills the viewer at two sizes, and closing it stops the instance', { skip: missing && `${IMAGE} is missing: run scripts/ensure-app-images.sh (npm test does)` }, async () => {
  const page = await openCatalogue(browser, host);
  const { row, instanceId, containerId } = await startFromCard(page, 'text-editor');
  // The image learns its mode, and the host's time zone, from the container's environment.
  const env = (await docker.getContainer(containerId).inspect()).Config.Env;
  assert.ok(env.includes('DAAS_SINGLE_APP=1'), env.join(' '));
  assert.ok(env.includes(`TZ=${Intl.DateTimeFormat().resolvedOptions().timeZone}`), env.join(' '));

  const viewer = await openViewer(page, row, { width: 1000, height: 700 });
  // The window is the application: its name alone, and its icon.
  await viewer.waitForFunction(() => document.title === 'Text editor', undefined, { timeout: 10_000 });
  const icon = await viewer.getAttribute('link[rel="icon"]', 'href');
  assert.match(icon ?? '', /^data:image\/svg\+xml,/, 'the window shows the app icon');

  await expectEditorFills(viewer, 1000, 700);
  await viewer.screenshot({ path: 'test-results/e2e-single-app-1000x700.png' }).catch(() => undefined);
  await expectEditorFills(viewer, 720, 900);
  await viewer.screenshot({ path: 'test-results/e2e-single-app-720x900.png' }).catch(() => undefined);

  // Quit the editor as a user does (Ctrl+Q inside the window): the instance stops.
  const display = viewer.locator('[data-testid="display"]');
  const box = await display.boundingBox();
  assert.ok(box);
  await viewer.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await viewer.keyboard.press('Control+q');
  await page.waitForSelector(`[data-testid="instance-row"][data-instance-id="${instanceId}"][data-state="stopped"]`, { timeout: 30_000 });
  const listed = await core.handle('instances.list', {}, TEST_HOST);
  assert.ok(listed.ok);
  const stored = (listed.result as Instance[]).find((i) => i.id === instanceId);
  assert.equal(stored?.state, 'stopped', 'the row says stopped, not failed');
  assert.deepEqual(await containersOf(instanceId), [], 'its container is gone');
  await page.close();
});
