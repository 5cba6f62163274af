// The user's side of the audio benchmark (bench/display-audio.ts), in its own process so its CPU
// is not counted as the app's: one viewer through the tunnel, and `paplay` of a tone started in
// the desktop through Docker exec. A second recorder, the same `parec` through Docker exec as the
// app's (providers/docker/docker-audio.ts), tells when the sound is out of the desktop: paplay
// start -> sound at a recorder is the desktop's and Docker's share, the rest to the first blob
// the app's (gateway and tunnel). Started with fork(); talks over IPC:
//   argv: containerId tunnelUrl query
//   -> { ready: true } once the viewer has its first frame
//   <- { play: seconds }  -> { played: PlayReport } when the tone has played
import { performance } from 'node:perf_hooks';
import { execRaw, RATE, sineWave } from '../test/helpers/audio-pcm';
import { GuacTestClient } from '../test/helpers/guac-client';

export interface PlayReport {
  /** Epoch ms (performance.timeOrigin + now(), comparable across processes and with the kernel clock). */
  execRequested: number;
  /** When paplay's process started in the container (bash's $EPOCHREALTIME just before exec). */
  paplayStarted: number;
  /** When the bench's own recorder got the first sound. */
  recorded: number;
  firstBlob: number;
  /** Audio bytes (decoded) received while the tone played. */
  bytes: number;
  blobs: number;
  /** This process's CPU ms over the play window (viewer + paplay's exec stream). */
  cpuMs: number;
}

let soundAt = 0;
const epochMs = (): number => performance.timeOrigin + performance.now();
const [containerId, tunnelUrl, query] = process.argv.slice(2) as [string, string, string];

async function main(): Promise<void> {
  const viewer = await GuacTestClient.connect(tunnelUrl, query);
  await viewer.waitForOpcode('sync', 20_000);
  const recorder = await execRaw(containerId, ['parec', '--raw', '--format=s16le', `--rate=${RATE}`, '--channels=2', '--latency-msec=20', '--device=@DEFAULT_MONITOR@'], false);
  recorder.stdout.on('data', (pcm: Buffer) => {
    if (!soundAt && pcm.some((b) => b !== 0)) soundAt = epochMs();
  });
  process.send!({ ready: true });
  process.on('message', (msg: { play?: number; close?: boolean }) => {
    if (msg.close) void viewer.close().catch(() => undefined).then(() => process.exit(0));
    if (msg.play) play(viewer, msg.play).then((report) => process.send!({ played: report }), (err: unknown) => process.send!({ error: (err as Error).message }));
  });
}

async function play(viewer: GuacTestClient, seconds: number): Promise<PlayReport> {
  const before = viewer.instructions.length;
  soundAt = 0;
  const cpu = process.cpuUsage();
  const execRequested = epochMs();
  const { stream, stderr, done } = await execRaw(containerId, ['bash', '-c', `echo "$EPOCHREALTIME" >&2; exec paplay --raw --format=s16le --rate=${RATE} --channels=2`], true);
  let paplayStarted = 0;
  stderr.once('data', (text: Buffer) => (paplayStarted = Number(text.toString().trim().split('\n')[0]) * 1000));
  stream.end(sineWave(440, seconds));
  await viewer.waitForNext((i) => i[0] === 'blob' && i[1] === '128', 10_000, 'the first audio blob');
  const firstBlob = epochMs();
  await done;
  const used = process.cpuUsage(cpu);
  let bytes = 0;
  let blobs = 0;
  for (const [op, index, data] of viewer.instructions.slice(before)) {
    if (op !== 'blob' || index !== '128') continue;
    bytes += Buffer.byteLength(data ?? '', 'base64');
    blobs++;
  }
  return { execRequested, paplayStarted, recorded: soundAt, firstBlob, bytes, blobs, cpuMs: (used.user + used.system) / 1000 };
}

main().catch((err: unknown) => {
  process.send!({ error: (err as Error).message });
  process.exit(1);
});
