// A viewer's microphone stream that is not what AudioRecorder sends: another format, a second
// microphone at once, or a flood faster than the desktop plays. The gateway answers each with
// an error ack for that stream alone, holds at most its limit, and closes what it opened.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AudioGrant } from '../../src-main/display/audio/audio-grants';
import type { AudioInput, PcmFormat } from '../../src-main/display/audio/desktop-audio';
import { openMicrophoneStream } from '../../src-main/display/gateway/microphone-in';
import { InboundStreams } from '../../src-main/display/gateway/streams';

/** A desktop whose microphone input never takes its bytes (a stalled container). */
function stalledDesktop() {
  const opened: PcmFormat[] = [];
  let closed = 0;
  const grant: AudioGrant = {
    instanceId: 'i',
    playback: true,
    microphone: true,
    audio: {
      record: () => Promise.reject(new Error('not used')),
      microphone: (_id, format): Promise<AudioInput> => {
        opened.push(format);
        return Promise.resolve({ write: () => new Promise<void>(() => undefined), close: () => void closed++ });
      },
    },
  };
  return { grant, opened, closed: () => closed };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('hostile microphone streams', () => {
  it('a format other than 16-bit PCM is refused with 0x030F; nothing is opened', async () => {
    const acks: [string, string, number][] = [];
    const desk = stalledDesktop();
    const streams = new InboundStreams((...a) => acks.push(a));
    for (const mimetype of ['audio/ogg', 'audio/L8;rate=8000', 'audio/L16;rate=1', 'audio/L16;rate=44100,channels=9', undefined]) {
      openMicrophoneStream(streams, desk.grant, '3', mimetype);
    }
    await tick();
    assert.deepEqual(acks.map((a) => a[2]), [0x030f, 0x030f, 0x030f, 0x030f, 0x030f]);
    assert.equal(desk.opened.length, 0);
  });

  it('a second microphone at once is refused (0x031D); a flood past 256 KiB stops the first (0x030D) and closes it', async () => {
    const acks: [string, string, number][] = [];
    const desk = stalledDesktop();
    const streams = new InboundStreams((...a) => acks.push(a));
    openMicrophoneStream(streams, desk.grant, '1', 'audio/L16;rate=48000,channels=1');
    openMicrophoneStream(streams, desk.grant, '2', 'audio/L16;rate=44100,channels=2');
    await tick();
    assert.deepEqual(desk.opened, [{ rate: 48000, channels: 1 }]);
    assert.deepEqual(acks.map((a) => [a[0], a[2]]), [['2', 0x031d], ['1', 0]]);
    const blob = Buffer.alloc(8192).toString('base64');
    for (let i = 0; i < 40; i++) streams.blob('1', blob);
    await tick();
    await tick();
    assert.deepEqual(acks.slice(2).map((a) => [a[0], a[2]]), [['1', 0x030d]], 'one refusal, no per-blob acks');
    assert.equal(desk.closed(), 1, 'the desktop side was closed');
  });
});
