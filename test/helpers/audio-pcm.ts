// Test tones and their analysis for the audio tests and the display benchmark: 16-bit PCM sine
// waves, the strongest frequency of a recording (Goertzel over 1 Hz steps), and PulseAudio's
// tools run in a container desktop with raw PCM on stdin or stdout.
import { PassThrough, type Duplex } from 'node:stream';
import { docker } from './docker';

export const RATE = 44100;

/** `seconds` of a `hz` sine, s16le, `channels` interleaved, at half of full scale. */
export function sineWave(hz: number, seconds: number, channels = 2, rate = RATE): Buffer {
  const frames = Math.round(seconds * rate);
  const pcm = Buffer.alloc(frames * channels * 2);
  for (let i = 0; i < frames; i++) {
    const v = Math.round(16383 * Math.sin((2 * Math.PI * hz * i) / rate));
    for (let c = 0; c < channels; c++) pcm.writeInt16LE(v, (i * channels + c) * 2);
  }
  return pcm;
}

/** The first channel of interleaved s16le PCM, as numbers. */
export function firstChannel(pcm: Buffer, channels = 2): Float64Array {
  const frames = Math.floor(pcm.length / (2 * channels));
  const out = new Float64Array(frames);
  for (let i = 0; i < frames; i++) out[i] = pcm.readInt16LE(i * channels * 2);
  return out;
}

/** The frequency (whole Hz in [from, to]) with the most power in up to one second of `samples`. */
export function strongestFrequency(samples: Float64Array, from = 50, to = 4000, rate = RATE): number {
  const n = Math.min(samples.length, rate);
  let best = 0;
  let bestPower = -1;
  for (let hz = from; hz <= to; hz++) {
    const coeff = 2 * Math.cos((2 * Math.PI * hz) / rate);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const s = samples[i]! + coeff * s1 - s2;
      s2 = s1;
      s1 = s;
    }
    const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    if (power > bestPower) {
      bestPower = power;
      best = hz;
    }
  }
  return best;
}

/** The samples from the first one louder than `threshold` on: a recording's silent lead-in cut off. */
export function fromSound(samples: Float64Array, threshold = 2000): Float64Array {
  const first = samples.findIndex((s) => Math.abs(s) > threshold);
  return first < 0 ? samples.subarray(samples.length) : samples.subarray(first);
}

/** Largest absolute sample value. */
export function peak(samples: Float64Array): number {
  let max = 0;
  for (const s of samples) max = Math.max(max, Math.abs(s));
  return max;
}

/**
 * The desktop image starts its sound server half a second after its display answers
 * (start-desktop.sh): a tool run just after the start waits for its socket, as the app's own
 * recorder does (providers/docker/docker-audio.ts). Up to 30 s here, not the app's 5 s (whose
 * recorder tries again): these tests are about the sound, not how fast a loaded machine starts
 * the server (CI's run once played its tone into no server at all and waited for sound in vain).
 */
export const AFTER_SOUND_SERVER = ['sh', '-c', 'i=0; until [ -S /tmp/pulse/native ] || [ $i -ge 300 ]; do sleep 0.1; i=$((i+1)); done; exec "$@"', 'sh'];

/** Plays raw PCM (s16le, stereo, 44.1 kHz) in the container with `paplay`; resolves when it has played, throws if it could not. */
export async function playInDesktop(containerId: string, pcm: Buffer): Promise<void> {
  const { stream, done, exitCode } = await execRaw(containerId, [...AFTER_SOUND_SERVER, 'paplay', '--raw', '--format=s16le', `--rate=${RATE}`, '--channels=2'], true);
  stream.end(pcm);
  await done;
  const code = await exitCode();
  if (code !== 0) throw new Error(`paplay in the desktop exited ${code}: the tone was not played`);
}

/** Records `seconds` of the desktop's microphone (its default source) with `parec`. */
export async function recordMicrophone(containerId: string, seconds: number): Promise<Buffer> {
  const { stdout, done } = await execRaw(containerId, [...AFTER_SOUND_SERVER, 'timeout', String(seconds), 'parec', '--raw', '--format=s16le', `--rate=${RATE}`, '--channels=2'], false);
  const out: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  await done;
  return Buffer.concat(out);
}

/** Runs `cmd` as the container's user; stdout and stderr (flowing) demultiplexed. `done` resolves when it exits; `exitCode` then says how. */
export async function execRaw(
  containerId: string,
  cmd: string[],
  stdin: boolean,
): Promise<{ stream: Duplex; stdout: PassThrough; stderr: PassThrough; done: Promise<void>; exitCode: () => Promise<number | null> }> {
  const container = docker.getContainer(containerId);
  const exec = await container.exec({ Cmd: cmd, AttachStdin: stdin, AttachStdout: true, AttachStderr: true });
  const stream = (await exec.start({ hijack: true, stdin })) as Duplex;
  const stdout = new PassThrough();
  const stderr = new PassThrough().resume();
  docker.modem.demuxStream(stream, stdout, stderr);
  // Docker leaves the exec's socket half-open once the command exits: closed here, or the test
  // process would wait for it (minutes) before it ends.
  const done = new Promise<void>((resolve) => stream.once('end', resolve).once('close', resolve)).then(() => void stream.destroy());
  return { stream, stdout, stderr, done, exitCode: async () => (await exec.inspect()).ExitCode };
}
