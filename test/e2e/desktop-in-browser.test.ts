// End to end: the real renderer in real Chromium against the headless host, a real
// container desktop, typing into its terminal and proving it arrived.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import type { Core } from '../../src-main/core';
import type { HeadlessHost } from '../../src-main/host/headless-host';
import { closeAppInChromium, openCatalogue, startAppInChromium, startDesktopInViewer } from '../helpers/app-in-chromium';
import { stopFromRow } from '../helpers/instance-rows';
import { containersOf, dockerExec } from '../helpers/docker';

let core: Core;
let host: HeadlessHost;
let browser: Browser;

before(async () => {
  ({ core, host, browser } = await startAppInChromium());
});

after(() => closeAppInChromium({ core, host, browser }, { removeContainers: true }));

/** Share of the display's pixels that are not black (an undrawn display is all black/empty). */
async function drawnShare(viewer: Page): Promise<number> {
  return viewer.evaluate(() => {
    const canvases = [...document.querySelectorAll<HTMLCanvasElement>('[data-testid="display"] canvas')];
    let drawn = 0;
    let total = 0;
    for (const canvas of canvases) {
      if (!canvas.width || !canvas.height) continue;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < data.length; i += 4) {
        total++;
        if (data[i + 3]! > 0 && data[i]! + data[i + 1]! + data[i + 2]! > 30) drawn++;
      }
    }
    return total ? drawn / total : 0;
  });
}

test('start from the catalogue, see the desktop in its own window, type into it, stop', async () => {
  const page = await openCatalogue(browser, host);
  assert.ok(!page.url().includes('token='), 'the access token leaves the address bar');

  const { row, instanceId, containerId, viewer } = await startDesktopInViewer(page, { width: 1280, height: 800 });

  // The desktop is drawn: the terminal's light background covers part of the canvas.
  let share = 0;
  for (let i = 0; i < 50 && share < 0.02; i++) {
    share = await drawnShare(viewer);
    if (share < 0.02) await viewer.waitForTimeout(200);
  }
  assert.ok(share >= 0.02, `the remote desktop is drawn (${(share * 100).toFixed(1)}% of pixels lit)`);

  // Point at the terminal (top left of the desktop) so it has focus, then type a command.
  const display = viewer.locator('[data-testid="display"]');
  const box = await display.boundingBox();
  assert.ok(box);
  await viewer.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.1);
  await viewer.mouse.move(box.x + box.width * 0.12, box.y + box.height * 0.12);
  const nonce = randomBytes(6).toString('hex');
  await viewer.keyboard.type(`echo typed-${nonce} > /tmp/proof-${nonce}`, { delay: 20 });
  await viewer.keyboard.press('Enter');

  let proof = '';
  for (let i = 0; i < 50 && !proof.includes(`typed-${nonce}`); i++) {
    proof = (await dockerExec(containerId, ['cat', `/tmp/proof-${nonce}`])).output;
    if (!proof.includes(`typed-${nonce}`)) await viewer.waitForTimeout(200);
  }
  assert.match(proof, new RegExp(`typed-${nonce}`), 'the command typed in the browser ran in the container');
  // Pictures for a person to check (not asserted): the desktop and the catalogue.
  await viewer.screenshot({ path: 'test-results/e2e-viewer.png' }).catch(() => undefined);
  await page.screenshot({ path: 'test-results/e2e-catalogue.png' }).catch(() => undefined);

  await stopFromRow(page, row);
  await page.waitForSelector(`[data-testid="instance-row"][data-instance-id="${instanceId}"][data-state="stopped"]`, {
    timeout: 30_000,
  });
  assert.deepEqual(await containersOf(instanceId), [], 'the container is gone after Stop');
  await page.close();
});

test('the headless host refuses requests without the access token', async () => {
  const response = await fetch(host.url);
  assert.equal(response.status, 401);
  const wrong = await fetch(`${host.url}?token=wrong`);
  assert.equal(wrong.status, 401);
});

test('a bad request from the page gets a typed error, shown with what to do', async () => {
  const page = await openCatalogue(browser, host);
  const result = await page.evaluate(async () => {
    const ws = new WebSocket(`ws://${location.host}/api`);
    await new Promise((r) => ws.addEventListener('open', r));
    ws.send(JSON.stringify({ type: 'request', id: 1, channel: 'instances.start', payload: { appId: 'no-such-app' } }));
    const reply = await new Promise<{ type: string; ok: boolean; error: { code: string } }>((resolve) =>
      ws.addEventListener('message', (e) => {
        const message = JSON.parse(String(e.data));
        if (message.type === 'response') resolve(message);
      }),
    );
    ws.close();
    return reply;
  });
  assert.equal(result.ok, false);
  assert.equal(result.error.code, 'APP_NOT_FOUND');
  await page.close();
});
