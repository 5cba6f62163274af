// Sound out of a container desktop and a microphone into it (issue 13), through the real core,
// tunnel and embedded gateway, the real desktop image's PulseAudio and real dockerd: a 440 Hz
// tone played in the desktop reaches the viewer as an `audio/L16` stream; a silent desktop
// sends nothing; a tone sent as the viewer's `audio` stream is recorded in the desktop; and
// with the settings off the gateway itself sends no sound and refuses the microphone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Core } from '../../src-main/core';
import type { DisplayTicket } from '../../src-shared/contract';
import type { App, Instance } from '../../src-shared/model';
import { firstChannel, fromSound, peak, playInDesktop, recordMicrophone, sineWave, strongestFrequency } from '../helpers/audio-pcm';
import { callCore, openCore, tempDataDir, waitForState } from '../helpers/core';
import { containersOf, removeOwnedBy } from '../helpers/docker';
import { GuacTestClient } from '../helpers/guac-client';
import type { Instruction } from '../../src-main/display/guacamole/protocol';

/** The viewer's audio streams' blobs, decoded. */
function audioOf(instructions: readonly Instruction[]): { mimetypes: string[]; pcm: Buffer } {
  const streams = new Set<string>();
  const mimetypes: string[] = [];
  const parts: Buffer[] = [];
  for (const [opcode, stream, data] of instructions) {
    if (opcode === 'audio') {
      streams.add(stream!);
      mimetypes.push(data!);
    } else if (opcode === 'blob' && streams.has(stream!)) parts.push(Buffer.from(data!, 'base64'));
  }
  return { mimetypes, pcm: Buffer.concat(parts) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('audio: desktop sound to the viewer, the viewer microphone into the desktop', () => {
  let core: Core;
  let instance: Instance;
  let containerId: string;
  const viewers: GuacTestClient[] = [];
  const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);

  const view = async (): Promise<GuacTestClient> => {
    const ticket = await call<DisplayTicket>('display.connect', { instanceId: instance.id });
    const viewer = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}&width=640&height=480&dpi=96`);
    viewers.push(viewer);
    await viewer.waitForOpcode('sync', 20_000);
    return viewer;
  };

  before(async () => {
    core = await openCore(await tempDataDir());
    const app = await call<App>('apps.create', {
      app: { name: 'Sound', provider: 'docker', display: { gateway: 'embedded', microphone: true }, docker: { image: 'daas/desktop:latest' } },
    });
    instance = await call<Instance>('instances.start', { appId: app.id });
    await waitForState(core, instance.id, 'running', 60_000);
    const [container] = await containersOf(instance.id);
    containerId = container!.Id;
  });

  after(async () => {
    await Promise.all(viewers.map((v) => v.close().catch(() => undefined)));
    await core?.close();
    if (core) await removeOwnedBy(core.installationId);
  });

  it('a 440 Hz tone played in the desktop arrives as audio/L16 whose strongest frequency is 440 Hz', async () => {
    const viewer = await view();
    // The recorder starts with the viewer, but on a desktop just started it records only once the
    // sound server is up and its monitor stream runs: a tone played meanwhile is not heard (a
    // CI run's first tone ended before the recorder's first bytes). So the tone plays again, up
    // to five times, until a second of it has arrived.
    let got = audioOf(viewer.instructions);
    for (let tone = 0; tone < 5 && got.pcm.length < 44100 * 4; tone++) {
      await playInDesktop(containerId, sineWave(440, 1.5));
      // What played is streamed as it plays: wait for the last of it.
      for (let i = 0; i < 20 && got.pcm.length < 44100 * 4; i++) {
        await sleep(100);
        got = audioOf(viewer.instructions);
      }
    }
    await viewer.waitFor((i) => i[0] === 'audio', 1, 'an audio stream');
    assert.deepEqual(got.mimetypes, ['audio/L16;rate=44100,channels=2']);
    assert.ok(got.pcm.length >= 44100 * 4, `at least a second of sound (got ${got.pcm.length} bytes)`);
    const samples = fromSound(firstChannel(got.pcm));
    const hz = strongestFrequency(samples);
    assert.ok(Math.abs(hz - 440) <= 5, `strongest frequency ${hz} Hz`);
    assert.ok(peak(samples) > 8000, `the tone is not attenuated away (peak ${peak(samples)})`);
  });

  it('a silent desktop sends no audio bytes (under 1 KiB/s)', async () => {
    const viewer = await view();
    const start = viewer.instructions.length;
    await sleep(3_000);
    const bytes = audioOf(viewer.instructions.slice(start)).pcm.length;
    assert.ok(bytes < 3 * 1024, `${bytes} bytes of sound in 3 s`);
  });

  it("a tone sent as the viewer's microphone is recorded in the desktop at the same frequency", async () => {
    await call('settings.update', { microphone: true });
    const viewer = await view();
    viewer.send('audio', 7, 'audio/L16;rate=44100,channels=2');
    const opened = await viewer.waitFor((i) => i[0] === 'ack' && i[1] === '7', 10_000, 'the microphone ack');
    assert.equal(opened[3], '0', `accepted: ${opened[2]}`);
    const tone = sineWave(440, 3);
    const recording = recordMicrophone(containerId, 2.5);
    // As AudioRecorder does: 50 ms chunks in real time, not waiting for acks (kept 200 ms
    // ahead of the clock, as a recorder's buffer is, so a busy test machine leaves no gaps).
    const chunk = 44100 * 4 * 0.05;
    const started = Date.now();
    for (let off = 0; off < tone.length; off += chunk) {
      viewer.send('blob', 7, tone.subarray(off, off + chunk).toString('base64'));
      const ahead = (off / (44100 * 4)) * 1000 - (Date.now() - started);
      if (ahead > 200) await sleep(ahead - 200);
    }
    // One ack opens the stream and no more follow (as from guacd): AudioRecorder stops at a second.
    assert.equal(viewer.instructions.filter((i) => i[0] === 'ack' && i[1] === '7').length, 1, 'blobs are not acknowledged');
    viewer.send('end', 7);
    const samples = fromSound(firstChannel(await recording));
    assert.ok(samples.length > 44100 / 2, `recorded ${samples.length} frames of sound`);
    const hz = strongestFrequency(samples);
    assert.ok(Math.abs(hz - 440) <= 5, `strongest frequency ${hz} Hz`);
    assert.ok(peak(samples) > 8000, `the tone arrives at about its level (peak ${peak(samples)})`);
  });

  it('audio off: the gateway sends no audio stream even though the client announces audio/L16; microphone off: refused', async () => {
    await call('settings.update', { audio: false, microphone: false });
    try {
      const viewer = await view();
      await playInDesktop(containerId, sineWave(440, 1));
      await sleep(500);
      assert.equal(viewer.instructions.filter((i) => i[0] === 'audio').length, 0, 'no audio stream');
      viewer.send('audio', 8, 'audio/L16;rate=44100,channels=2');
      const refused = await viewer.waitFor((i) => i[0] === 'ack' && i[1] === '8', 10_000, 'the microphone refusal');
      assert.deepEqual(refused.slice(2), ['The microphone is turned off for this desktop.', String(0x0303)]);
      // The viewer is still served.
      viewer.send('size', 700, 500);
      await viewer.waitForNext((i) => i[0] === 'sync', 10_000, 'a frame after the refusal');
    } finally {
      await call('settings.update', { audio: true });
    }
  });
});
