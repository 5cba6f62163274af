// The desktop's sound to one viewer as a Guacamole `audio` stream of raw 16-bit PCM, which
// guacamole-common-js's AudioPlayer plays. The recording and the `blob` instructions are shared
// by all viewers of the instance (audio-broadcast.ts). Pacing: sound never waits for the viewer:
// a blob that finds the socket's buffer full is dropped (a gap in the sound) rather than queued
// ahead of frames. Silence is not sent at all.
import { DESKTOP_PCM } from '../audio/desktop-audio';
import type { AudioGrant } from '../audio/audio-grants';
import { AUDIO_STREAM, listenToDesktop } from './audio-broadcast';

export { AUDIO_STREAM };
/** What the gateway announces: guacd's own PulseAudio format. */
export const AUDIO_MIMETYPE = `audio/L16;rate=${DESKTOP_PCM.rate},channels=${DESKTOP_PCM.channels}`;

/** Where the stream goes: the viewer's Guacamole socket. */
export interface AudioSink {
  readonly open: boolean;
  readonly needsDrain: boolean;
  send(opcode: string, ...args: (string | number)[]): boolean;
  /** Pre-encoded instructions. */
  write(text: string): boolean;
}

/** True if the client's handshake `audio` list takes 16-bit PCM. */
export function acceptsL16(mimetypes: readonly string[]): boolean {
  return mimetypes.some((m) => /^audio\/L16(;|$)/i.test(m.trim()));
}

export class AudioOut {
  private closed = false;
  private started = false;
  private readonly leave: () => void;
  /** Bytes sent and dropped, for the benchmark and logs. */
  sent = 0;
  dropped = 0;

  constructor(
    private readonly out: AudioSink,
    grant: AudioGrant,
    log?: (message: string) => void,
  ) {
    this.leave = listenToDesktop(grant.audio, grant.instanceId, (blob, bytes) => this.onBlob(blob, bytes), log);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.leave();
    if (this.started && this.out.open) this.out.send('end', AUDIO_STREAM);
  }

  private onBlob(blob: string, bytes: number): void {
    if (!this.out.open || this.out.needsDrain) {
      this.dropped += bytes;
      return;
    }
    if (!this.started) {
      this.started = true;
      this.out.send('audio', AUDIO_STREAM, AUDIO_MIMETYPE);
    }
    this.out.write(blob);
    this.sent += bytes;
  }
}
