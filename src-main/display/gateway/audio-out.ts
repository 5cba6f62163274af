// The desktop's sound to one viewer as a Guacamole `audio` stream of raw 16-bit PCM, which
// guacamole-common-js's AudioPlayer plays. Pacing: sound never waits for the viewer: a chunk
// that finds the socket's buffer full is dropped (a gap in the sound) rather than queued
// ahead of frames. Silence (a null sink's monitor records zeros) is not sent at all.
import { DESKTOP_PCM, type AudioCapture } from '../audio/desktop-audio';
import type { AudioGrant } from '../audio/audio-grants';

/** What the gateway announces: guacd's own PulseAudio format. */
export const AUDIO_MIMETYPE = `audio/L16;rate=${DESKTOP_PCM.rate},channels=${DESKTOP_PCM.channels}`;
/** Outside the display writer's image streams (0-127). */
export const AUDIO_STREAM = 128;
/** Bytes per sample frame (16 bit x channels): chunks are cut on frame boundaries. */
const FRAME = 2 * DESKTOP_PCM.channels;
/** Raw bytes per `blob`, as the display writer's (6 KB of base64). */
const BLOB_BYTES = 4608;
const ZEROS = Buffer.alloc(64 * 1024);

/** Where the stream goes: the viewer's Guacamole socket. */
export interface AudioSink {
  readonly open: boolean;
  readonly needsDrain: boolean;
  send(opcode: string, ...args: (string | number)[]): boolean;
}

/** True if the client's handshake `audio` list takes 16-bit PCM. */
export function acceptsL16(mimetypes: readonly string[]): boolean {
  return mimetypes.some((m) => /^audio\/L16(;|$)/i.test(m.trim()));
}

export class AudioOut {
  private capture: AudioCapture | null = null;
  private closed = false;
  private started = false;
  /** Bytes of a sample frame split across chunks. */
  private rest = Buffer.alloc(0);
  /** Bytes sent and dropped, for the benchmark and logs. */
  sent = 0;
  dropped = 0;

  constructor(
    private readonly out: AudioSink,
    grant: AudioGrant,
    log?: (message: string) => void,
  ) {
    grant.audio.record(grant.instanceId).then(
      (capture) => {
        if (this.closed) return capture.close();
        this.capture = capture;
        capture.pcm.on('data', (chunk: Buffer) => this.onPcm(chunk));
      },
      (err: unknown) => log?.(`audio: cannot record the desktop's sound: ${(err as Error).message}`),
    );
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.capture?.close();
    if (this.started && this.out.open) this.out.send('end', AUDIO_STREAM);
  }

  private onPcm(chunk: Buffer): void {
    let pcm = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    const whole = pcm.length - (pcm.length % FRAME);
    this.rest = Buffer.from(pcm.subarray(whole));
    pcm = pcm.subarray(0, whole);
    if (pcm.length === 0 || this.closed || isSilent(pcm)) return;
    if (!this.out.open || this.out.needsDrain) {
      this.dropped += pcm.length;
      return;
    }
    if (!this.started) {
      this.started = true;
      this.out.send('audio', AUDIO_STREAM, AUDIO_MIMETYPE);
    }
    for (let off = 0; off < pcm.length; off += BLOB_BYTES) {
      this.out.send('blob', AUDIO_STREAM, pcm.toString('base64', off, Math.min(pcm.length, off + BLOB_BYTES)));
    }
    this.sent += pcm.length;
  }
}

function isSilent(pcm: Buffer): boolean {
  for (let off = 0; off < pcm.length; off += ZEROS.length) {
    const part = pcm.subarray(off, off + ZEROS.length);
    if (!part.equals(ZEROS.subarray(0, part.length))) return false;
  }
  return true;
}
