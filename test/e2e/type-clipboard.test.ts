// End to end, "Type clipboard" in real Chromium against a real container desktop: the local
// clipboard's text, typed as key presses into an xterm running `cat > /tmp/typed`, arrives
// exactly, characters that need Shift, AltGr or a remapped key included (read back with docker
// exec). With clipboardToDesktop off the viewer refuses and types nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import type { Core } from '../../src-main/core';
import type { HeadlessHost } from '../../src-main/host/headless-host';
import { closeAppInChromium, openCatalogue, startAppInChromium, startDesktopInViewer } from '../helpers/app-in-chromium';
import { callCore } from '../helpers/core';
import { dockerExec } from '../helpers/docker';
import { waitUntil } from '../helpers/x-apps';
import { revealToolbar } from '../helpers/viewer-menu';

const TEXT = 'Hello, World! @#|~ äöü €\n';

let core: Core;
let host: HeadlessHost;
let browser: Browser;
let viewer: Page;
let containerId: string;

/** /tmp/typed in the container, or null while it does not exist. */
async function typed(): Promise<string | null> {
  const { exitCode, output } = await dockerExec(containerId, ['sh', '-c', 'test -f /tmp/typed && echo "<$(base64 -w0 /tmp/typed)>"'], 'desktop');
  if (exitCode !== 0) return null;
  // The output keeps Docker's stream framing bytes: take the base64 between the brackets (one
  // echo, one write; two writes could put a frame header between the text and a marker).
  const m = /<([A-Za-z0-9+/=]*)>/.exec(output);
  return m ? Buffer.from(m[1]!, 'base64').toString('utf8') : null;
}

before(async () => {
  ({ core, host, browser } = await startAppInChromium());
  const context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(host.loginUrl).origin });
  const page = await openCatalogue(context, host);
  ({ containerId, viewer } = await startDesktopInViewer(page));
  // An xterm in UTF-8 at the top-left corner, on top of the image's own, reading into a file.
  await dockerExec(
    containerId,
    ['sh', '-c', 'DISPLAY=:1 LC_ALL=C.UTF-8 setsid xterm -u8 -geometry 60x8+0+0 -e sh -c "cat > /tmp/typed" >/dev/null 2>&1 &'],
    'desktop',
  );
  await waitUntil(async () => (await typed()) === '', 15_000, 'cat to start in the xterm');
  // twm gives the keyboard to the window under the pointer.
  const box = (await viewer.locator('[data-testid="display"]').boundingBox())!;
  await viewer.mouse.move(box.x + 60, box.y + 50);
  await viewer.mouse.move(box.x + 80, box.y + 60);
});

after(() => closeAppInChromium({ core, host, browser }, { removeContainers: true }));

async function setClipboard(text: string): Promise<void> {
  await viewer.bringToFront();
  await viewer.evaluate((t) => navigator.clipboard.writeText(t), text);
}

test('Type clipboard types the text into the xterm exactly: Shift characters and ones the US layout lacks (äöü €)', async () => {
  await setClipboard(TEXT);
  // Revealed from the xterm's corner: twm keeps the keyboard with the window under the pointer.
  await revealToolbar(viewer, 30);
  await viewer.locator('[data-testid="type-clipboard"]').click();
  const got = await waitUntil(async () => {
    const now = await typed();
    return now !== null && now.endsWith('\n') ? now : undefined;
  }, 30_000, 'the typed line in /tmp/typed');
  assert.equal(got, TEXT);
});

test('with clipboardToDesktop off, Type clipboard refuses and types nothing', async () => {
  await callCore(core, 'settings.update', { clipboardToDesktop: false });
  try {
    const before = await typed();
    await setClipboard('should not arrive\n');
    await revealToolbar(viewer, 30);
    await viewer.locator('[data-testid="type-clipboard"]').click();
    const problem = viewer.locator('[data-testid="type-clipboard-problem"]');
    await problem.waitFor({ timeout: 10_000 });
    assert.match((await problem.textContent()) ?? '', /turned off/);
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal(await typed(), before);
  } finally {
    await callCore(core, 'settings.update', { clipboardToDesktop: true });
  }
});
