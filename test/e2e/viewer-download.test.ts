// End to end, files from a real container desktop to this computer through the viewer in real
// Chromium: the Files panel lists ~/Desktop (name, size, modified), goes into a sub-folder and
// back, downloads a file byte for byte and a folder as a .tar with its files; a file the remote
// user puts into ~/Outbox offers itself and is saved on Save…; with downloads and uploads
// turned off the viewer shows neither control.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import type { Core } from '../../src-main/core';
import type { HeadlessHost } from '../../src-main/host/headless-host';
import { closeAppInChromium, openCatalogue, openViewer, startAppInChromium, startFromCard } from '../helpers/app-in-chromium';
import { callCore } from '../helpers/core';
import { dockerExec } from '../helpers/docker';
import { menuShortcut, revealToolbar } from '../helpers/viewer-menu';

let core: Core;
let host: HeadlessHost;
let browser: Browser;
let viewer: Page;
let containerId: string;
let dir: string;

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function inDesktop(script: string): Promise<string> {
  const { exitCode, output } = await dockerExec(containerId, ['sh', '-c', script], 'desktop');
  assert.equal(exitCode, 0, output);
  return output;
}

/** The SHA-256 of a file in the desktop user's home, as the desktop computes it. */
async function remoteSha256(path: string): Promise<string> {
  // The output keeps Docker's stream framing bytes: take the digest that ends before "  <path>".
  return /([0-9a-f]{64}) {2}/.exec(await inDesktop(`sha256sum "$HOME/${path}"`))![1]!;
}

/** Clicks `button` and returns the bytes and name of the download it starts. */
async function download(click: () => Promise<void>): Promise<{ name: string; data: Buffer }> {
  const [started] = await Promise.all([viewer.waitForEvent('download', { timeout: 60_000 }), click()]);
  const path = join(dir, `${Date.now()}-${started.suggestedFilename()}`);
  await started.saveAs(path);
  return { name: started.suggestedFilename(), data: await readFile(path) };
}

const entry = (name: string) => viewer.locator(`[data-testid="files-entry"][data-name="${name}"]`);

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'daas-viewer-download-'));
  ({ core, host, browser } = await startAppInChromium());
  const page = await openCatalogue(await browser.newContext({ acceptDownloads: true }), host);
  const started = await startFromCard(page);
  containerId = started.containerId;
  await inDesktop(
    'mkdir -p ~/Desktop/project/src && head -c 2500000 /dev/urandom > ~/Desktop/report.bin && printf "to do\\n" > ~/Desktop/project/notes.txt && printf "int main;\\n" > ~/Desktop/project/src/main.c',
  );
  viewer = await openViewer(page, started.row);
});

after(async () => {
  await closeAppInChromium({ core, host, browser }, { removeContainers: true });
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the Files panel lists ~/Desktop, goes into a sub-folder and back, and downloads a file byte for byte', async () => {
  await revealToolbar(viewer);
  await viewer.locator('[data-testid="files"]').click();
  await entry('report.bin').waitFor({ timeout: 20_000 });
  assert.equal(await entry('project').getAttribute('data-kind'), 'folder');
  assert.match((await entry('report.bin').textContent()) ?? '', /2[.,]4 MB|2[.,]5 MB|2[.,]4 MiB/, 'the size is shown');

  await entry('project').locator('[data-testid="files-open"]').click();
  await viewer.locator('[data-testid="files-table"][data-path="/project"]').waitFor({ timeout: 20_000 });
  await entry('notes.txt').waitFor();
  assert.equal(await entry('src').getAttribute('data-kind'), 'folder');
  await viewer.locator('[data-testid="files-crumb"]').first().click();
  await viewer.locator('[data-testid="files-table"][data-path="/"]').waitFor({ timeout: 20_000 });

  const file = await download(() => entry('report.bin').locator('[data-testid="files-download"]').click());
  assert.equal(file.name, 'report.bin');
  assert.equal(sha256(file.data), await remoteSha256('Desktop/report.bin'), 'the same bytes as in the desktop');
  await viewer.locator('[data-testid="download"][data-name="report.bin"][data-state="done"]').waitFor();
});

test('a folder downloads as a .tar holding its files', async () => {
  await entry('project').waitFor({ timeout: 20_000 });
  const archive = await download(() => entry('project').locator('[data-testid="files-download"]').click());
  assert.equal(archive.name, 'project.tar');
  const out = join(dir, 'unpacked');
  await writeFile(join(dir, 'project.tar'), archive.data);
  await promisify(execFile)('mkdir', ['-p', out]);
  await promisify(execFile)('tar', ['-xf', join(dir, 'project.tar'), '-C', out]);
  assert.equal(await readFile(join(out, 'project', 'notes.txt'), 'utf8'), 'to do\n');
  assert.equal(await readFile(join(out, 'project', 'src', 'main.c'), 'utf8'), 'int main;\n');
});

test('a file put into ~/Outbox offers itself in the viewer and is saved on "Save…"', async () => {
  await inDesktop('mkdir -p ~/Outbox && head -c 400000 /dev/urandom > ~/Outbox/.part && mv ~/Outbox/.part ~/Outbox/result.bin');
  const offer = viewer.locator('[data-testid="download"][data-name="result.bin"][data-state="offered"]');
  await offer.waitFor({ timeout: 30_000 });
  const saved = await download(() => offer.locator('[data-testid="download-accept"]').click());
  assert.equal(saved.name, 'result.bin');
  assert.equal(sha256(saved.data), await remoteSha256('Outbox/result.bin'));
});

test('the Ctrl+Alt+Shift menu opens the Files panel too', async () => {
  if (await viewer.locator('[data-testid="files-close"]').count()) await viewer.locator('[data-testid="files-close"]').click();
  await viewer.locator('[data-testid="files-table"]').waitFor({ state: 'detached' });
  await viewer.locator('[data-testid="display"]').click();
  await menuShortcut(viewer);
  await viewer.locator('[data-testid="menu-open-files"]').click();
  await viewer.locator('[data-testid="files-table"][data-path="/"]').waitFor({ timeout: 20_000 });
});

test('with downloads and uploads turned off, the viewer shows neither Files nor Upload…', async () => {
  await callCore(core, 'settings.update', { fileDownload: false, fileUpload: false });
  try {
    await viewer.reload();
    await viewer.waitForSelector('[data-testid="viewer"][data-state="connected"]', { timeout: 30_000 });
    await viewer.locator('[data-testid="viewer-toolbar"]').waitFor();
    assert.equal(await viewer.locator('[data-testid="files"]').count(), 0, 'no Files button');
    assert.equal(await viewer.locator('[data-testid="upload"]').count(), 0, 'no Upload… button');
  } finally {
    await callCore(core, 'settings.update', { fileDownload: true, fileUpload: true });
  }
});
