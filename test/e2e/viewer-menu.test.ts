// End to end, the viewer's toolbar and Ctrl+Alt+Shift menu in real Chromium against the
// headless host and a real container desktop (daas/desktop: Xtigervnc, twm, xterm, xclip):
//   - Ctrl+Alt+Shift opens the menu and Escape closes it; while it is open keys stay in it;
//   - Tab (and every other key) reaches the desktop: an xterm in the container receives it;
//   - the menu's clipboard box reaches the X clipboard and shows what was copied there, and
//     says so when this window may not use the system clipboard (xclip reads the X clipboard,
//     xterm's OSC 52 sets it: an xclip started by `docker exec` does not outlive the exec),
//     and is read-only with the reason when pasting into desktops is turned off;
//   - zoom 50 % / 100 % / fit changes the drawn size; Disconnect ends the connection;
//   - a pinned toolbar takes its own strip and the desktop shrinks by it (no overlap);
//   - the Keys pop-up closes on Escape and an outside click;
//   - axe finds nothing serious and a keyboard-only walk stays inside the menu.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright';
import type { Core } from '../../src-main/core';
import type { HeadlessHost } from '../../src-main/host/headless-host';
import { closeAppInChromium, openCatalogue, startAppInChromium, startDesktopInViewer } from '../helpers/app-in-chromium';
import { axeViolations } from '../helpers/axe';
import { TEST_HOST } from '../helpers/core';
import { dockerExec } from '../helpers/docker';
import { withFailureScreenshots } from '../helpers/failure-screenshot';
import { waitUntil } from '../helpers/x-apps';
import { menuShortcut, revealToolbar } from '../helpers/viewer-menu';

let core: Core;
let host: HeadlessHost;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let viewer: Page;
let instanceId: string;
let containerId: string;

const WIDTH = 1000;
const HEIGHT = 700;

async function inDesktop(script: string): Promise<{ exitCode: number; output: string }> {
  return dockerExec(containerId, ['sh', '-c', `DISPLAY=:1 ${script}`], 'desktop');
}

async function remoteSize(): Promise<{ width: number; height: number }> {
  const { output } = await inDesktop('xrandr -q');
  const m = /current (\d+) x (\d+)/.exec(output);
  assert.ok(m, `xrandr answered: ${output}`);
  return { width: Number(m[1]), height: Number(m[2]) };
}

async function waitForRemoteSize(width: number, height: number): Promise<void> {
  await waitUntil(
    async () => {
      const s = await remoteSize();
      return s.width === width && s.height === height;
    },
    15_000,
    `the desktop to be ${width}x${height}`,
  );
}

/**
 * An xterm at (x, y) on the desktop whose shell writes the first line it reads to a file; the
 * pointer rests on it (twm gives focus to the window under the pointer). `line()` waits for it.
 */
async function probeXterm(x: number, y: number): Promise<{ hover: () => Promise<void>; line: () => Promise<string> }> {
  const file = `/tmp/keys-${randomBytes(3).toString('hex')}`;
  void inDesktop(
    `nohup xterm -geometry 30x3+${x}+${y} -e sh -c 'touch ${file}.ready; IFS= read -r line; printf "%s" "$line" > ${file}' >/dev/null 2>&1 &`,
  );
  await waitUntil(async () => (await inDesktop(`test -e ${file}.ready`)).exitCode === 0, 15_000, 'the probe xterm to start');
  // Once the desktop has the window's size it is drawn at 100 %: page and desktop pixels match.
  const hover = async () => {
    const box = await settledCanvas();
    // A click as well as the move: the desktop then surely has the pointer there.
    await viewer.mouse.click(box.x + x + 80, box.y + y + 40);
  };
  await hover();
  return {
    hover,
    line: () =>
      waitUntil(
        async () => {
          const r = await inDesktop(`cat ${file}`);
          // Without Docker's 8-byte stream frame header.
          return r.exitCode === 0 ? withoutFrameHeader(r.output) : undefined;
        },
        10_000,
        'the probe xterm to write what it read',
      ),
  };
}

/** Docker's multiplexed stream puts an 8-byte header (stream 1 or 2, 0, 0, 0, length) before output. */
function withoutFrameHeader(output: string): string {
  const framed = output.length >= 8 && (output.charCodeAt(0) === 1 || output.charCodeAt(0) === 2) && output.startsWith('\0\0\0', 1);
  return framed ? output.slice(8) : output;
}

const menu = () => viewer.locator('[data-testid="viewer-menu"]');

/** The drawn desktop once it has the size of its place in the window (after e.g. the on-screen keyboard took some). */
async function settledCanvas(): Promise<{ x: number; y: number; width: number; height: number }> {
  return waitUntil(
    async () => {
      const [canvas, room] = [await canvasBox(), (await viewer.locator('[data-testid="display"]').boundingBox())!];
      return Math.round(canvas.width) === Math.round(room.width) && Math.round(canvas.height) === Math.round(room.height) ? canvas : undefined;
    },
    15_000,
    'the desktop to take the size of its place',
  );
}
const canvasBox = async () => (await viewer.locator('.guac-display').boundingBox())!;
const shots = <T>(name: string, run: () => Promise<T>) => withFailureScreenshots(`viewer-menu-${name}`, () => [viewer, page], run);

async function openMenu(): Promise<void> {
  if (await menu().count()) return; // left open by a failed step
  await menuShortcut(viewer);
  await menu().waitFor();
}

before(async () => {
  ({ core, host, browser } = await startAppInChromium());
  // bypassCSP lets axe-core be injected. No clipboard permission: the menu must say so.
  context = await browser.newContext({ bypassCSP: true });
  page = await openCatalogue(context, host);
  ({ instanceId, containerId, viewer } = await startDesktopInViewer(page, { width: WIDTH, height: HEIGHT }));
  await waitForRemoteSize(WIDTH, HEIGHT);
});

after(async () => {
  await context?.close().catch(() => undefined);
  await closeAppInChromium({ core, host, browser }, { removeContainers: true });
});

test('Ctrl+Alt+Shift opens the menu, which names the shortcut; Escape closes it', () =>
  shots('shortcut', async () => {
    await openMenu();
    assert.match((await viewer.locator('[data-testid="menu-hint"]').textContent()) ?? '', /Ctrl\+Alt\+Shift/);
    for (const id of ['clipboard', 'input', 'zoom']) assert.ok(await viewer.locator(`[data-testid="menu-section-${id}"]`).isVisible(), id);
    await viewer.keyboard.press('Escape');
    await menu().waitFor({ state: 'detached' });
    // The shortcut toggles: a second press closes it as well.
    await openMenu();
    await menuShortcut(viewer);
    await menu().waitFor({ state: 'detached' });
  }));

test('Tab and other keys reach the desktop; keys typed while the menu is open do not', () =>
  shots('tab', async () => {
    const probe = await probeXterm(200, 150);
    await openMenu();
    await viewer.keyboard.type('q');
    await viewer.keyboard.press('Escape');
    await menu().waitFor({ state: 'detached' });
    await viewer.keyboard.type('a');
    await viewer.keyboard.press('Tab');
    await viewer.keyboard.type('b');
    await viewer.keyboard.press('Enter');
    const line = await probe.line();
    // No "q": the key typed while the menu was open stayed out of the desktop.
    assert.equal(line, 'a\tb');
  }));

test('input methods: a held Ctrl, the on-screen keyboard and text input all type on the desktop', () =>
  shots('input', async () => {
    // High up: the on-screen keyboard takes the lower part of the window (the desktop shrinks).
    const probe = await probeXterm(240, 40);
    // The desktop's pointer follows the real one wherever the menu left it: back onto the probe.
    const closeMenu = async () => {
      await viewer.keyboard.press('Escape');
      await menu().waitFor({ state: 'detached' });
      await probe.hover();
    };
    await viewer.keyboard.type('x');
    // Ctrl held from the menu + a plain "u" is Ctrl+U: the terminal erases the line typed so far.
    await openMenu();
    await viewer.locator('[data-testid="hold-ctrl"]').click();
    assert.equal(await viewer.locator('[data-testid="hold-ctrl"]').getAttribute('aria-pressed'), 'true');
    await closeMenu();
    await viewer.keyboard.press('u');
    await openMenu();
    await viewer.locator('[data-testid="hold-ctrl"]').click();
    await viewer.locator('[data-testid="input-osk"]').check();
    await closeMenu();
    const osk = viewer.locator('[data-testid="on-screen-keyboard"]');
    await osk.locator('.guac-keyboard-key-0x62').click(); // b
    await osk.locator('.guac-keyboard-key-tab').click();
    await osk.locator('.guac-keyboard-key-0x63').click(); // c
    await openMenu();
    await viewer.locator('[data-testid="input-text"]').check();
    await closeMenu();
    await viewer.locator('[data-testid="text-input"]').waitFor();
    // The field takes the keys once the menu has closed (an effect after that render, so not at
    // once: CI's run checked before it and found nothing focused).
    await waitUntil(
      async () => (await viewer.evaluate(() => document.activeElement?.getAttribute('data-testid'))) === 'text-input',
      5_000,
      'the text field to have the keys',
    );
    await viewer.keyboard.type('d');
    await viewer.keyboard.press('Enter');
    assert.equal(await probe.line(), 'b\tcd');
    await openMenu();
    await viewer.locator('[data-testid="input-keyboard"]').check();
    await closeMenu();
  }));

test('the clipboard box reaches the X clipboard and shows what was copied there', () =>
  shots('clipboard', async () => {
    await openMenu();
    const box = viewer.locator('[data-testid="menu-clipboard-text"]');
    // This context holds no clipboard permission: the panel says the system clipboard is off limits.
    await viewer.locator('[data-testid="clipboard-denied"]').waitFor();

    const up = `to-desktop-${randomBytes(4).toString('hex')}`;
    await box.fill(up);
    await waitUntil(
      async () => (await inDesktop('xclip -o -selection clipboard')).output.includes(up),
      10_000,
      'the X clipboard to hold the text typed into the menu',
    );

    const down = `from-desktop-${randomBytes(4).toString('hex')}`;
    // A real X client takes the CLIPBOARD selection: xterm's OSC 52 "set selection".
    const b64 = Buffer.from(down).toString('base64');
    void inDesktop(
      `xterm -geometry 20x2+600+400 -xrm 'XTerm*allowWindowOps: true' -e sh -c "printf '\\033]52;c;${b64}\\a'; sleep 8"`,
    );
    await waitUntil(async () => (await box.inputValue()) === down, 10_000, 'the menu to show the text copied on the desktop');
    await viewer.keyboard.press('Escape');
    await menu().waitFor({ state: 'detached' });
  }));

test('with pasting into desktops turned off the clipboard box is read-only and says why', () =>
  shots('clipboard-policy', async () => {
    assert.ok((await core.handle('settings.update', { clipboardToDesktop: false }, TEST_HOST)).ok);
    try {
      await openMenu();
      await viewer.locator('[data-testid="clipboard-to-off"]').waitFor();
      assert.equal(await viewer.locator('[data-testid="menu-clipboard-text"]').getAttribute('readonly'), '');
    } finally {
      assert.ok((await core.handle('settings.update', { clipboardToDesktop: true }, TEST_HOST)).ok);
    }
    await viewer.locator('[data-testid="clipboard-to-off"]').waitFor({ state: 'detached' });
    await viewer.keyboard.press('Escape');
    await menu().waitFor({ state: 'detached' });
  }));

test('zoom: 50 % halves the drawn desktop, 100 % draws it pixel for pixel, fit fits the window', () =>
  shots('zoom', async () => {
    const display = viewer.locator('[data-testid="display"]');
    await openMenu();
    await viewer.locator('[data-testid="zoom-percent"]').fill('50');
    const half = await waitUntil(async () => {
      const b = await canvasBox();
      return Math.round(b.width) === WIDTH / 2 ? b : undefined;
    }, 5_000, 'the desktop drawn at half size');
    assert.equal(Math.round(half.height), HEIGHT / 2);

    await viewer.locator('[data-testid="zoom-100"]').check();
    await waitUntil(async () => Math.round((await canvasBox()).width) === WIDTH, 5_000, 'the desktop drawn at 100 %');

    await viewer.locator('[data-testid="zoom-fit"]').check();
    await viewer.keyboard.press('Escape');
    await menu().waitFor({ state: 'detached' });
    const fitted = await canvasBox();
    const room = (await display.boundingBox())!;
    assert.ok(fitted.width <= room.width + 0.5 && fitted.height <= room.height + 0.5, 'fits inside the window');
    assert.ok(Math.abs(fitted.width - room.width) < 1 || Math.abs(fitted.height - room.height) < 1, 'fills one side');
  }));

test('a pinned toolbar takes its own strip: the desktop shrinks by it and nothing overlaps', () =>
  shots('pin', async () => {
    const toolbar = viewer.locator('[data-testid="viewer-toolbar"]');
    await revealToolbar(viewer);
    await viewer.locator('[data-testid="pin-toolbar"]').click();
    const bar = (await toolbar.boundingBox())!;
    assert.equal(bar.y, 0);
    const barHeight = Math.round(bar.height);
    await waitForRemoteSize(WIDTH, HEIGHT - barHeight);
    const canvas = await waitUntil(async () => {
      const b = await canvasBox();
      return Math.round(b.height) === HEIGHT - barHeight ? b : undefined;
    }, 5_000, 'the desktop drawn below the toolbar');
    assert.ok(canvas.y >= bar.y + bar.height - 0.5, `the desktop starts at ${canvas.y}, below the toolbar's ${bar.y + bar.height}`);
    // The pixels under the toolbar's strip are the toolbar's, not the desktop's: the top row of
    // the drawn desktop is the desktop's own first row (what xrandr calls y = 0).
    assert.equal(Math.round(canvas.height), HEIGHT - barHeight);

    // Unpinned, it hides and the desktop has the whole window again.
    await viewer.locator('[data-testid="pin-toolbar"]').click();
    await viewer.mouse.move(WIDTH / 2, HEIGHT / 2);
    await waitForRemoteSize(WIDTH, HEIGHT);
    await viewer.waitForSelector('[data-testid="viewer-toolbar"][data-revealed="false"]');
  }));

test('the Keys pop-up closes on Escape and on a click outside it', () =>
  shots('keys', async () => {
    const list = viewer.locator('[data-testid="keys-list"]');
    await revealToolbar(viewer);
    await viewer.locator('[data-testid="keys-menu"]').click();
    await list.waitFor();
    await viewer.keyboard.press('Escape');
    await list.waitFor({ state: 'detached' });
    await revealToolbar(viewer);
    await viewer.locator('[data-testid="keys-menu"]').click();
    await list.waitFor();
    await viewer.mouse.click(WIDTH / 2, HEIGHT / 2);
    await list.waitFor({ state: 'detached' });
  }));

test('axe finds nothing serious in the menu and the toolbar; Tab walks the menu and stays in it', () =>
  shots('a11y', async () => {
    await revealToolbar(viewer);
    assert.deepEqual(await axeViolations(viewer, 'viewer toolbar'), []);
    await viewer.mouse.move(WIDTH / 2, HEIGHT / 2);
    await openMenu();
    assert.deepEqual(await axeViolations(viewer, 'viewer menu'), []);

    const seen: string[] = [];
    const first = await viewer.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
    for (let i = 0; i < 20; i++) {
      await viewer.keyboard.press('Tab');
      const focus = await viewer.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        const dialog = document.querySelector('[data-testid="viewer-menu"]');
        const labelled = (el as HTMLInputElement | null)?.labels?.[0]?.textContent ?? '';
        return {
          id: el?.getAttribute('data-testid') ?? el?.tagName ?? '',
          inside: Boolean(el && dialog?.contains(el)),
          name: (el?.getAttribute('aria-label') ?? '') + labelled + (el?.textContent ?? ''),
        };
      });
      assert.ok(focus.inside, `Tab ${i + 1} left the menu (${focus.id})`);
      assert.ok(focus.name.trim(), `Tab ${i + 1} reached ${focus.id}, which has no name`);
      seen.push(focus.id);
    }
    for (const id of ['menu-disconnect', 'menu-clipboard-text', 'input-keyboard', 'hold-ctrl', 'zoom-fit', 'zoom-percent']) {
      assert.ok(seen.includes(id), `Tab reaches ${id} (walked: ${seen.join(', ')})`);
    }
    assert.ok(seen.includes(first), `Tab comes round to where it started (${first})`);
    await viewer.keyboard.press('Escape');
    await menu().waitFor({ state: 'detached' });
  }));

test('Disconnect ends the connection and keeps the desktop; Reconnect brings it back', () =>
  shots('disconnect', async () => {
    assert.equal(core.display.viewerCount(instanceId), 1);
    await openMenu();
    await viewer.locator('[data-testid="menu-disconnect"]').click();
    await viewer.waitForSelector('[data-testid="viewer"][data-state="disconnected"]');
    await waitUntil(async () => core.display.viewerCount(instanceId) === 0, 10_000, 'the viewer connection to end');
    assert.match((await viewer.locator('[data-testid="viewer-message"]').textContent()) ?? '', /You disconnected/);
    assert.equal((await core.instances.get(instanceId))?.state, 'running', 'the desktop keeps running');
    await viewer.locator('[data-testid="reconnect"]').click();
    await viewer.waitForSelector('[data-testid="viewer"][data-state="connected"]', { timeout: 30_000 });
  }));
