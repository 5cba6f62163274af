// Window geometry: remembered in the user-data folder, made safe for today's screens.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fitToDisplays, toSavedWindow, WINDOW_STATE_FILE, WindowStateStore } from '../../src-main/electron/window-state';

const FALLBACK = { width: 1100, height: 760 };
const LAPTOP = { x: 0, y: 0, width: 1920, height: 1050 };
const RIGHT_MONITOR = { x: 1920, y: 0, width: 2560, height: 1400 };

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'daas-window-state-'));
  dirs.push(dir);
  return dir;
}

test('nothing saved: the default size, centred (no position)', () => {
  assert.deepEqual(fitToDisplays(undefined, [LAPTOP], FALLBACK), { width: 1100, height: 760 });
});

test('a saved window on a screen keeps its place, size and maximized state', () => {
  const saved = { x: 2000, y: 100, width: 1400, height: 900, maximized: true };
  assert.deepEqual(fitToDisplays(saved, [LAPTOP, RIGHT_MONITOR], FALLBACK), saved);
});

test('a window saved on a monitor that is gone loses its position and shrinks to fit', () => {
  const saved = { x: 2000, y: 100, width: 2400, height: 1300 };
  assert.deepEqual(fitToDisplays(saved, [LAPTOP], FALLBACK), { width: 1920, height: 1050 });
});

test('a window whose title bar is off screen is re-centred; one partly visible by its top strip is kept', () => {
  assert.deepEqual(fitToDisplays({ x: 100, y: -500, width: 800, height: 600 }, [LAPTOP], FALLBACK), { width: 800, height: 600 });
  assert.deepEqual(fitToDisplays({ x: 1900, y: 1040, width: 800, height: 600 }, [LAPTOP], FALLBACK), { width: 800, height: 600 });
  assert.deepEqual(fitToDisplays({ x: 1500, y: 10, width: 800, height: 600 }, [LAPTOP], FALLBACK), { x: 1500, y: 10, width: 800, height: 600 });
});

test('tiny sizes grow to a usable minimum; no displays at all still gives a size', () => {
  assert.deepEqual(fitToDisplays({ width: 10, height: 10 }, [LAPTOP], FALLBACK), { width: 320, height: 200 });
  assert.deepEqual(fitToDisplays({ x: 0, y: 0, width: 800, height: 600 }, [], FALLBACK), { width: 320, height: 200 });
});

test('bounds are rounded into what is saved', () => {
  assert.deepEqual(toSavedWindow({ x: 10.4, y: 20.6, width: 800.2, height: 0 }, { maximized: false, fullScreen: true }), { x: 10, y: 21, width: 800, height: 1, fullScreen: true });
});

test('the store persists the catalogue and per-app viewer geometry across restarts', async () => {
  const dir = await tempDir();
  const store = new WindowStateStore(dir, { debounceMs: 5 });
  await store.load();
  assert.equal(store.catalogue(), undefined);
  store.saveCatalogue({ x: 1, y: 2, width: 900, height: 700 });
  store.saveViewer('linux-desktop', { x: 5, y: 6, width: 1280, height: 800, maximized: true });
  await store.flush();
  const again = new WindowStateStore(dir);
  await again.load();
  assert.deepEqual(again.catalogue(), { x: 1, y: 2, width: 900, height: 700 });
  assert.deepEqual(again.viewer('linux-desktop'), { x: 5, y: 6, width: 1280, height: 800, maximized: true });
  assert.equal(again.viewer('other'), undefined);
  assert.equal(again.viewer('__proto__'), undefined);
  assert.equal(again.viewer('constructor'), undefined);
});

test('many changes in a burst are one write; flush writes what is pending', async () => {
  const dir = await tempDir();
  const store = new WindowStateStore(dir, { debounceMs: 10_000 });
  for (let i = 0; i < 50; i++) store.saveCatalogue({ x: i, y: i, width: 800, height: 600 });
  await assert.rejects(fs.readFile(path.join(dir, WINDOW_STATE_FILE)));
  await store.flush();
  const saved = JSON.parse(await fs.readFile(path.join(dir, WINDOW_STATE_FILE), 'utf8'));
  assert.deepEqual(saved.catalogue, { x: 49, y: 49, width: 800, height: 600 });
  assert.deepEqual(await fs.readdir(dir), [WINDOW_STATE_FILE], 'no temporary file left behind');
});

test('a damaged or foreign file means defaults, not a crash', async () => {
  for (const text of ['{ broken', '[]', 'null', '{"version":2,"viewers":{}}', '{"version":1,"catalogue":{"width":"big","height":1}}', '{"version":1,"viewers":{"a":{"width":-5,"height":1}}}']) {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, WINDOW_STATE_FILE), text);
    const store = new WindowStateStore(dir);
    await store.load();
    assert.equal(store.catalogue(), undefined, text);
    assert.equal(store.viewer('a'), undefined, text);
  }
});

test('only the most recently used 200 apps are remembered', async () => {
  const dir = await tempDir();
  const store = new WindowStateStore(dir, { debounceMs: 5 });
  for (let i = 0; i < 205; i++) store.saveViewer(`app-${i}`, { width: 800, height: 600 });
  store.saveViewer('app-0', { width: 900, height: 600 });
  await store.flush();
  const again = new WindowStateStore(dir);
  await again.load();
  assert.equal(again.viewer('app-1'), undefined);
  assert.equal(again.viewer('app-5'), undefined);
  assert.deepEqual(again.viewer('app-6'), { width: 800, height: 600 });
  assert.deepEqual(again.viewer('app-0'), { width: 900, height: 600 });
});
