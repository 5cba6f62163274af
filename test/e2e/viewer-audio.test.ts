// End to end, the viewer's sound control in real Chromium against a real container desktop: the
// toolbar shows mute and volume, muting silences what the player puts out while a tone plays in
// the desktop (measured on the page's audio output by an analyser tapped in before the app
// loads), and with policy audio off the control is not there.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright';
import type { Core } from '../../src-main/core';
import type { HeadlessHost } from '../../src-main/host/headless-host';
import { closeAppInChromium, openCatalogue, startAppInChromium, startDesktopInViewer } from '../helpers/app-in-chromium';
import { AFTER_SOUND_SERVER, execRaw, RATE, sineWave } from '../helpers/audio-pcm';
import { callCore } from '../helpers/core';
import { dockerExec } from '../helpers/docker';
import { revealToolbar } from '../helpers/viewer-menu';
import { waitUntil } from '../helpers/x-apps';

let core: Core;
let host: HeadlessHost;
let browser: Browser;
let viewer: Page;
let containerId: string;

/**
 * Runs in every page before its scripts: whatever connects to an AudioContext's destination
 * (the viewer's gain node) is also fed to an analyser, so the test hears what the page plays.
 */
function tapAudioOutput(): void {
  const taps: AnalyserNode[] = [];
  (window as unknown as { audioTaps: AnalyserNode[] }).audioTaps = taps;
  const connect = AudioNode.prototype.connect as (this: AudioNode, ...args: unknown[]) => unknown;
  AudioNode.prototype.connect = function (this: AudioNode, ...args: unknown[]) {
    if (args[0] instanceof AudioDestinationNode) {
      const analyser = this.context.createAnalyser();
      connect.call(this, analyser);
      taps.push(analyser);
    }
    return connect.apply(this, args);
  } as typeof AudioNode.prototype.connect;
}

/** The loudest RMS level the page's audio output has now (0 = silence, 1 = full scale). */
function outputLevel(page: Page): Promise<number> {
  return page.evaluate(() => {
    const taps = (window as unknown as { audioTaps?: AnalyserNode[] }).audioTaps ?? [];
    let loudest = 0;
    for (const tap of taps) {
      const samples = new Float32Array(tap.fftSize);
      tap.getFloatTimeDomainData(samples);
      loudest = Math.max(loudest, Math.sqrt(samples.reduce((sum, s) => sum + s * s, 0) / samples.length));
    }
    return loudest;
  });
}

before(async () => {
  ({ core, host, browser } = await startAppInChromium());
  const context = await browser.newContext();
  await context.addInitScript(tapAudioOutput);
  const page = await openCatalogue(context, host);
  ({ containerId, viewer } = await startDesktopInViewer(page));
});

after(() => closeAppInChromium({ core, host, browser }, { removeContainers: true }));

test("the toolbar's mute silences what the player plays, and unmuting brings it back", async () => {
  await revealToolbar(viewer);
  const mute = viewer.locator('[data-testid="audio-mute"]');
  assert.ok(await mute.isVisible(), 'a mute button');
  assert.ok(await viewer.locator('[data-testid="audio-volume"]').isVisible(), 'a volume slider');
  assert.equal(await viewer.locator('[data-testid="audio-microphone"]').count(), 0, 'no microphone: policy microphone is off');
  // A click is the user gesture that lets the page's AudioContext run.
  await viewer.locator('[data-testid="audio-volume"]').click();

  // Long enough for the whole test; cut short at its end (the rest of the write then fails: ignored).
  const paplay = await execRaw(containerId, [...AFTER_SOUND_SERVER, 'paplay', '--raw', '--format=s16le', `--rate=${RATE}`, '--channels=2'], true);
  paplay.stream.on('error', () => undefined);
  paplay.stream.end(sineWave(440, 15));
  try {
    await waitUntil(async () => (await outputLevel(viewer)) > 0.05, 20_000, 'the tone to play in the page');
    await mute.click();
    assert.equal(await mute.getAttribute('aria-pressed'), 'true');
    await waitUntil(async () => (await outputLevel(viewer)) < 0.001, 5_000, 'silence while muted');
    await mute.click();
    assert.equal(await mute.getAttribute('aria-pressed'), 'false');
    await waitUntil(async () => (await outputLevel(viewer)) > 0.05, 5_000, 'the tone again once unmuted');
  } finally {
    await dockerExec(containerId, ['pkill', 'paplay'], 'desktop');
    await paplay.done;
  }
});

test('with policy audio off the viewer has no sound control', async () => {
  await callCore(core, 'settings.update', { audio: false });
  try {
    await viewer.reload();
    await viewer.waitForSelector('[data-testid="viewer"][data-state="connected"]', { timeout: 30_000 });
    await revealToolbar(viewer);
    assert.equal(await viewer.locator('[data-testid="audio-control"]').count(), 0);
    assert.equal(await viewer.locator('[data-testid="audio-mute"]').count(), 0);
  } finally {
    await callCore(core, 'settings.update', { audio: true });
  }
});
