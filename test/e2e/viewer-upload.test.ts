// End to end, files from this computer into a real container desktop through the viewer in
// real Chromium: dropped files and files picked with "Upload…" arrive in the desktop user's
// ~/Desktop byte for byte (SHA-256 inside the container), each with its own progress row, a
// picked folder arrives as its tree (a second time as "name (1)"),
// a name clash is reported with the name the file got, Cancel leaves nothing under the name,
// and a refusal shows the gateway's reason.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import type { Core } from '../../src-main/core';
import type { HeadlessHost } from '../../src-main/host/headless-host';
import { closeAppInChromium, openCatalogue, startAppInChromium, startDesktopInViewer } from '../helpers/app-in-chromium';
import { dockerExec } from '../helpers/docker';

let core: Core;
let host: HeadlessHost;
let browser: Browser;
let viewer: Page;
let containerId: string;

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** The SHA-256 of ~/Desktop/<name> as the desktop user sees it, or the shell's error. */
async function remoteSha256(name: string): Promise<string> {
  const { exitCode, output } = await dockerExec(containerId, ['sh', '-c', 'sha256sum "$HOME/Desktop/$0"', name], 'desktop');
  assert.equal(exitCode, 0, output);
  // The output keeps Docker's stream framing bytes: take the digest that ends before "  <path>".
  const digest = /([0-9a-f]{64}) {2}/.exec(output);
  assert.ok(digest, output);
  return digest[1];
}

/** The upload row for a file once it finished (done, failed or cancelled), and its status text. */
async function finished(name: string): Promise<{ state: string; status: string }> {
  const row = viewer.locator(`[data-testid="upload"][data-name="${name}"]`).last();
  await row.and(viewer.locator('[data-state="done"], [data-state="failed"], [data-state="cancelled"]')).waitFor({ timeout: 60_000 });
  return {
    state: (await row.getAttribute('data-state')) ?? '',
    status: (await row.locator('[data-testid="upload-status"]').textContent()) ?? '',
  };
}

before(async () => {
  ({ core, host, browser } = await startAppInChromium());
  const page = await openCatalogue(browser, host);
  ({ containerId, viewer } = await startDesktopInViewer(page));
});

after(() => closeAppInChromium({ core, host, browser }, { removeContainers: true }));

test('files dropped on the viewer arrive in ~/Desktop byte for byte', async () => {
  const big = { name: `drop-${randomBytes(4).toString('hex')}.bin`, data: randomBytes(2 * 1024 * 1024) };
  const small = { name: `note-${randomBytes(4).toString('hex')}.txt`, data: Buffer.from('hello from the host\n') };
  await viewer.evaluate(
    (files) => {
      const transfer = new DataTransfer();
      for (const f of files) {
        const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
        transfer.items.add(new File([bytes], f.name));
      }
      const display = document.querySelector('[data-testid="display"]')!;
      display.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    [big, small].map((f) => ({ name: f.name, base64: f.data.toString('base64') })),
  );

  for (const f of [big, small]) {
    const { state, status } = await finished(f.name);
    assert.equal(state, 'done', status);
    assert.match(status, new RegExp(f.name.replace('.', '\\.')));
    assert.equal(await remoteSha256(f.name), sha256(f.data), `${f.name} arrived intact`);
  }
});

test('"Upload…" sends a picked file; a second file of the same name gets "name (1)"', async () => {
  const name = `picked-${randomBytes(4).toString('hex')}.bin`;
  const first = randomBytes(300 * 1024);
  const second = randomBytes(200 * 1024);
  const input = viewer.locator('[data-testid="upload-input"]');

  await input.setInputFiles({ name, mimeType: 'application/octet-stream', buffer: first });
  assert.equal((await finished(name)).state, 'done');
  await viewer.locator(`[data-testid="upload"][data-name="${name}"] [data-testid="upload-dismiss"]`).click();

  await input.setInputFiles({ name, mimeType: 'application/octet-stream', buffer: second });
  const clash = await finished(name);
  const renamed = name.replace('.bin', ' (1).bin');
  assert.equal(clash.state, 'done', clash.status);
  assert.ok(clash.status.includes(renamed), `the row names the file it became: ${clash.status}`);
  assert.equal(await remoteSha256(name), sha256(first), 'the first file was not overwritten');
  assert.equal(await remoteSha256(renamed), sha256(second));
});

test('"Upload folder…" sends a folder’s tree; the same folder again becomes "name (1)"', async (t) => {
  const top = `project-${randomBytes(4).toString('hex')}`;
  const dir = await mkdtemp(join(tmpdir(), 'daas-upload-folder-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const files = { 'notes.txt': Buffer.from('notes\n'), 'src/data.bin': randomBytes(200 * 1024), 'src/lib/deep.txt': Buffer.from('deep\n'), 'src/lib/more.txt': Buffer.from('more\n') };
  for (const [path, data] of Object.entries(files)) {
    await mkdir(join(dir, top, dirname(path)), { recursive: true });
    await writeFile(join(dir, top, path), data);
  }
  const input = viewer.locator('[data-testid="upload-folder-input"]');
  for (const folder of [top, `${top} (1)`]) {
    // Playwright gives a webkitdirectory input a folder as Chromium's picker would: each file with its path.
    await input.setInputFiles(join(dir, top));
    for (const [path, data] of Object.entries(files)) {
      const { state, status } = await finished(`${top}/${path}`);
      assert.equal(state, 'done', status);
      assert.ok(status.includes(`${folder}/${path}`), `the row names where it went: ${status}`);
      assert.equal(await remoteSha256(`${folder}/${path}`), sha256(data));
    }
    for (const path of Object.keys(files)) await viewer.locator(`[data-testid="upload"][data-name="${top}/${path}"] [data-testid="upload-dismiss"]`).click();
  }
});

test('Cancel stops an upload half-way: no file under its name', async (t) => {
  const name = `cancel-${randomBytes(4).toString('hex')}.bin`;
  // Big enough to be cancelled on its way; given as a path, Chromium reads it from disk.
  const dir = await mkdtemp(join(tmpdir(), 'daas-upload-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, name);
  await writeFile(path, randomBytes(48 * 1024 * 1024));
  await viewer.locator('[data-testid="upload-input"]').setInputFiles(path);
  const row = viewer.locator(`[data-testid="upload"][data-name="${name}"]`);
  await row.and(viewer.locator('[data-state="sending"]')).waitFor({ timeout: 30_000 });
  await row.locator('[data-testid="upload-cancel"]').click();
  assert.equal((await finished(name)).state, 'cancelled');
  const { exitCode } = await dockerExec(containerId, ['sh', '-c', 'test -e "$HOME/Desktop/$0"', name], 'desktop');
  assert.notEqual(exitCode, 0, 'nothing was left under the final name');
});

test('a refused upload shows the desktop\'s reason in its row', async () => {
  const name = `refused-${randomBytes(4).toString('hex')}.txt`;
  assert.equal((await dockerExec(containerId, ['sh', '-c', 'mkdir -p "$HOME/Desktop" && chmod 555 "$HOME/Desktop"'], 'desktop')).exitCode, 0);
  try {
    await viewer.locator('[data-testid="upload-input"]').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from('x') });
    const { state, status } = await finished(name);
    assert.equal(state, 'failed');
    assert.match(status, /cannot be written/, 'the gateway\'s reason, not a generic failure');
    assert.ok(status.includes(name), `the reason names the file: ${status}`);
  } finally {
    await dockerExec(containerId, ['sh', '-c', 'chmod 755 "$HOME/Desktop"'], 'desktop');
  }
});
