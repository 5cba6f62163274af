// The desktop's sound to several viewers (gateway/audio-broadcast.ts, gateway/audio-out.ts): one
// recording per instance, each blob encoded once for all, ~40 ms blobs with a sound's start sent
// at once, silence never sent, and a viewer whose socket is full drops sound while the others
// hear it. The recorder is a stand-in (a PassThrough of PCM) for DockerDesktopAudio's parec.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import type { AudioGrant } from '../../src-main/display/audio/audio-grants';
import type { DesktopAudio } from '../../src-main/display/audio/desktop-audio';
import { AudioOut, type AudioSink } from '../../src-main/display/gateway/audio-out';
import { GuacamoleParser } from '../../src-main/display/guacamole/protocol';

/** 20 ms of stereo 16-bit PCM at 44.1 kHz: what parec delivers per chunk. */
const CHUNK = 3528;
const tone = (bytes: number): Buffer => Buffer.alloc(bytes, 0x11);

/** A stand-in recorder: `push` is what the desktop plays; counts recordings started and closed. */
function standInDesktop() {
  const pcm = new PassThrough();
  const counts = { recordings: 0, closed: 0 };
  const audio: DesktopAudio = {
    record: () => {
      counts.recordings++;
      return Promise.resolve({ pcm, close: () => void counts.closed++ });
    },
    microphone: () => Promise.reject(new Error('not used')),
  };
  const grant: AudioGrant = { instanceId: 'instance-1', audio, playback: true, microphone: false };
  return { grant, counts, push: (b: Buffer) => pcm.write(b) };
}

/** A viewer's socket: what was written, and whether its buffer is full. */
function viewerSocket() {
  const text: string[] = [];
  const sink: AudioSink & { needsDrain: boolean } = {
    open: true,
    needsDrain: false,
    send: () => true,
    write: (t) => text.push(t) > 0,
  };
  sink.send = (opcode, ...args) => sink.write(`${opcode}:${args.join(',')};`);
  return { sink, text };
}

const blobSizes = (text: string[]): number[] =>
  text.filter((t) => t.startsWith('4.blob')).map((t) => Buffer.from(new GuacamoleParser().push(t)[0]![2]!, 'base64').length);
const tick = () => new Promise((r) => setImmediate(r));

describe('audio broadcast', () => {
  it('two viewers share one recording and get the very same blobs; the last to leave stops it', async () => {
    const desk = standInDesktop();
    const a = viewerSocket();
    const b = viewerSocket();
    const outA = new AudioOut(a.sink, desk.grant);
    const outB = new AudioOut(b.sink, desk.grant);
    await tick();
    desk.push(tone(CHUNK));
    await tick();
    assert.equal(desk.counts.recordings, 1);
    assert.deepEqual(a.text, b.text);
    assert.equal(a.text[0], 'audio:128,audio/L16;rate=44100,channels=2;');
    outA.close();
    assert.equal(desk.counts.closed, 0, 'still recording for the other viewer');
    outB.close();
    assert.equal(desk.counts.closed, 1);
  });

  it('a sound starts at once, then 20 ms chunks leave as ~40 ms blobs; silence is not sent', async () => {
    const desk = standInDesktop();
    const v = viewerSocket();
    const out = new AudioOut(v.sink, desk.grant);
    await tick();
    desk.push(Buffer.alloc(CHUNK)); // silence
    desk.push(tone(CHUNK));
    desk.push(tone(CHUNK));
    desk.push(tone(CHUNK));
    desk.push(Buffer.alloc(CHUNK));
    await tick();
    assert.deepEqual(blobSizes(v.text), [CHUNK, 2 * CHUNK]);
    out.close();
  });

  it('a viewer whose socket is full drops sound; the other still hears all of it', async () => {
    const desk = standInDesktop();
    const slow = viewerSocket();
    const fast = viewerSocket();
    const slowOut = new AudioOut(slow.sink, desk.grant);
    const fastOut = new AudioOut(fast.sink, desk.grant);
    await tick();
    slow.sink.needsDrain = true;
    desk.push(tone(CHUNK));
    await tick();
    assert.deepEqual(blobSizes(slow.text), []);
    assert.equal(slowOut.dropped, CHUNK);
    assert.equal(fastOut.sent, CHUNK);
    slowOut.close();
    fastOut.close();
  });

  it('a recorder that ends while a viewer listens (no sound server yet) is started again', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const recorders: PassThrough[] = [];
    const audio: DesktopAudio = {
      record: () => {
        const pcm = new PassThrough();
        recorders.push(pcm);
        return Promise.resolve({ pcm, close: () => pcm.destroy() });
      },
      microphone: () => Promise.reject(new Error('not used')),
    };
    const v = viewerSocket();
    const out = new AudioOut(v.sink, { instanceId: 'instance-2', audio, playback: true, microphone: false });
    await tick();
    recorders[0]!.end(); // parec found no sound server and exited
    await tick();
    assert.equal(recorders.length, 1, 'not at once: the next try waits');
    t.mock.timers.tick(1_000);
    await tick();
    assert.equal(recorders.length, 2, 'a second recorder after 1 s');
    recorders[1]!.write(tone(CHUNK));
    await tick();
    assert.deepEqual(blobSizes(v.text), [CHUNK], 'its sound reaches the viewer');
    out.close();
    assert.ok(recorders[1]!.destroyed, 'the last viewer leaving closes it');
  });

  it('a desktop whose recorder never delivers sound is tried 6 times in all, then left alone', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    let recordings = 0;
    const audio: DesktopAudio = {
      record: () => {
        recordings++;
        const pcm = new PassThrough();
        setImmediate(() => pcm.end()); // no sound server in this image: parec exits at once
        return Promise.resolve({ pcm, close: () => pcm.destroy() });
      },
      microphone: () => Promise.reject(new Error('not used')),
    };
    const out = new AudioOut(viewerSocket().sink, { instanceId: 'instance-3', audio, playback: true, microphone: false });
    for (let i = 0; i < 10; i++) {
      await tick();
      await tick();
      t.mock.timers.tick(60_000);
    }
    assert.equal(recordings, 6);
    out.close();
  });
});
