// One recording of an instance's sound for all its viewers. The first viewer that may hear it
// starts the recorder (Docker: one `parec` exec), the last one to leave stops it; each chunk is
// cut, base64-encoded and made into a `blob` instruction once, and every viewer gets the same
// text (its AudioOut decides whether to send or drop it). Blobs are ~40 ms of sound: the
// recorder delivers ~20 ms chunks, and each blob costs a write, a tunnel relay and a WebSocket
// message per viewer; the first chunk after a quiet spell goes out at once, so a sound's start
// is not held back.
import { encodeInstruction } from '../guacamole/protocol';
import { DESKTOP_PCM, type AudioCapture, type DesktopAudio } from '../audio/desktop-audio';

/** Outside the display writer's image streams (0-127); the same index for every viewer. */
export const AUDIO_STREAM = 128;
/** Bytes per sample frame (16 bit x channels): blobs are cut on frame boundaries. */
const FRAME = 2 * DESKTOP_PCM.channels;
const BYTES_PER_MS = (DESKTOP_PCM.rate * FRAME) / 1000;
/** A blob leaves once this much sound waits... */
const FLUSH_BYTES = 40 * BYTES_PER_MS;
/** ...or once the oldest waiting byte is this old. */
const FLUSH_MS = 30;
/** No sound sent for this long: the next chunk is a sound's start and goes out at once. */
const QUIET_MS = 100;
/** Largest blob (8 KiB of PCM, ~11 KB of base64), for a backlog after a stall. */
const MAX_BLOB_BYTES = 8192;
const ZEROS = Buffer.alloc(64 * 1024);
/**
 * A recorder that ends while viewers remain is started again after 1 s, then 2, 4, 8, 16 s; then
 * the broadcast gives up (an image without a sound server would otherwise be probed for ever).
 */
const FIRST_RETRY_MS = 1_000;
const RETRIES = 5;

/** Gets each `blob` instruction (pre-encoded) and the PCM bytes it carries. */
export type AudioListener = (blob: string, bytes: number) => void;

const byDesktopAudio = new WeakMap<DesktopAudio, Map<string, AudioBroadcast>>();

/**
 * Adds `listener` to the instance's broadcast, starting the recorder if it is the first.
 * Returns the function that removes it (the last one stops the recorder).
 */
export function listenToDesktop(audio: DesktopAudio, instanceId: string, listener: AudioListener, log?: (message: string) => void): () => void {
  let broadcasts = byDesktopAudio.get(audio);
  if (!broadcasts) byDesktopAudio.set(audio, (broadcasts = new Map()));
  let broadcast = broadcasts.get(instanceId);
  if (!broadcast) {
    const map = broadcasts;
    broadcast = new AudioBroadcast(audio, instanceId, log, (done) => {
      if (map.get(instanceId) === done) map.delete(instanceId);
    });
    broadcasts.set(instanceId, broadcast);
  }
  return broadcast.add(listener);
}

class AudioBroadcast {
  private readonly listeners = new Set<AudioListener>();
  private capture: AudioCapture | null = null;
  private stopped = false;
  /** Bytes of a sample frame split across chunks. */
  private rest = Buffer.alloc(0);
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastSent = 0;

  /** Recorders started again since sound last flowed (see RETRIES). */
  private retries = 0;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly audio: DesktopAudio,
    private readonly instanceId: string,
    private readonly log: ((message: string) => void) | undefined,
    private readonly onStop: (self: AudioBroadcast) => void,
  ) {
    this.record();
  }

  private record(): void {
    this.retryTimer = null;
    this.audio.record(this.instanceId).then(
      (capture) => {
        if (this.stopped) return capture.close();
        this.capture = capture;
        capture.pcm.on('data', (chunk: Buffer) => {
          this.retries = 0;
          this.onPcm(chunk);
        });
        capture.pcm.once('end', () => this.onRecorderEnd(capture));
      },
      (err: unknown) => {
        // The desktop is gone (no exec possible): the next viewer starts a new broadcast.
        this.log?.(`audio: cannot record the desktop's sound: ${(err as Error).message}`);
        this.stop();
      },
    );
  }

  /**
   * A recorder that ends while viewers remain is started again: the sound server may not have
   * been up yet (a viewer that connects at once to a slow-starting desktop), or it restarted.
   */
  private onRecorderEnd(capture: AudioCapture): void {
    if (this.capture === capture) this.capture = null;
    if (this.stopped) return;
    if (this.retries === RETRIES) {
      this.log?.(`audio: the desktop's sound recorder ended ${RETRIES + 1} times without sound; no sound for this session`);
      return this.stop();
    }
    const wait = FIRST_RETRY_MS * 2 ** this.retries++;
    this.retryTimer = setTimeout(() => this.record(), wait);
  }

  add(listener: AudioListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.capture?.close();
    this.onStop(this);
  }

  private onPcm(chunk: Buffer): void {
    if (this.stopped) return;
    let pcm = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    const whole = pcm.length - (pcm.length % FRAME);
    this.rest = Buffer.from(pcm.subarray(whole));
    pcm = pcm.subarray(0, whole);
    if (pcm.length === 0) return;
    // Silence (a null sink's monitor records zeros) is not sent; it ends what was waiting.
    if (isSilent(pcm)) return this.flush();
    this.pending.push(pcm);
    this.pendingBytes += pcm.length;
    const soundStarts = performance.now() - this.lastSent > QUIET_MS;
    if (soundStarts || this.pendingBytes >= FLUSH_BYTES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pendingBytes === 0) return;
    const pcm = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.lastSent = performance.now();
    for (let off = 0; off < pcm.length; off += MAX_BLOB_BYTES) {
      const end = Math.min(pcm.length, off + MAX_BLOB_BYTES);
      const blob = encodeInstruction('blob', AUDIO_STREAM, pcm.toString('base64', off, end));
      for (const listener of this.listeners) listener(blob, end - off);
    }
  }
}

function isSilent(pcm: Buffer): boolean {
  for (let off = 0; off < pcm.length; off += ZEROS.length) {
    const part = pcm.subarray(off, off + ZEROS.length);
    if (!part.equals(ZEROS.subarray(0, part.length))) return false;
  }
  return true;
}
