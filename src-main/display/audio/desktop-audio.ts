// Sound out of an instance's desktop and a microphone into it. The display layer asks for this
// through the interface below; a backend that can reach the desktop's sound server supplies it
// (the Docker provider: providers/docker/docker-audio.ts), as it does DesktopFiles.
import type { Readable } from 'node:stream';

/** The PCM format of both directions: signed 16-bit little-endian, interleaved. */
export interface PcmFormat {
  rate: number;
  channels: number;
}

/** What the gateway announces and records: Guacamole's `audio/L16` at CD rate, stereo. */
export const DESKTOP_PCM: PcmFormat = { rate: 44100, channels: 2 };

/** A running recording or playback in the desktop; `close` ends it (never rejects). */
export interface AudioPipe {
  close(): void;
}

export interface AudioCapture extends AudioPipe {
  /** Raw PCM of what the desktop plays, in DESKTOP_PCM; ends when the recording ends. */
  readonly pcm: Readable;
}

export interface AudioInput extends AudioPipe {
  /** Resolves once the bytes are taken (back-pressure). */
  write(pcm: Buffer): Promise<void>;
}

export interface DesktopAudio {
  /** Starts recording what the desktop plays (its default sink). */
  record(instanceId: string): Promise<AudioCapture>;
  /** Starts playing raw PCM in `format` into the desktop's microphone. */
  microphone(instanceId: string, format: PcmFormat): Promise<AudioInput>;
}

/** `audio/L16;rate=48000,channels=1` -> its format; undefined for anything but 16-bit PCM in sane bounds. */
export function parseL16(mimetype: string | undefined): PcmFormat | undefined {
  const m = /^audio\/L16(?:;(.*))?$/i.exec((mimetype ?? '').trim());
  if (!m) return undefined;
  const params = new Map<string, string>();
  for (const p of (m[1] ?? '').split(/[;,]/)) {
    const [key, value] = p.trim().split('=');
    if (key && value !== undefined) params.set(key.toLowerCase(), value);
  }
  const rate = Number(params.get('rate') ?? DESKTOP_PCM.rate);
  const channels = Number(params.get('channels') ?? 1);
  if (!Number.isInteger(rate) || rate < 8000 || rate > 192000) return undefined;
  if (!Number.isInteger(channels) || channels < 1 || channels > 2) return undefined;
  return { rate, channels };
}
