// Per-viewer frame pacing: a viewer may have at most `maxInFlight` frames (each ending in
// `sync`) that it has not acknowledged yet; beyond that it gets nothing new until it answers,
// and what changes meanwhile is merged and sent as one frame. A viewer that never answers is
// treated as ready again after `ackTimeoutMs`.
//
// Why two frames and not one: with one, any round trip longer than the VNC server's update
// interval (~17 ms for Xtigervnc, easily reached on a busy machine) sent every other update
// through the merge path, which re-encodes changed areas from the framebuffer — a scrolled
// terminal then costs a large PNG instead of a `copy` plus one line (measured: 1.0-1.2 MiB/s
// instead of ~0.2 MiB/s, and fewer frames). Two in flight absorb that jitter while a viewer
// that is really slow still gets combined updates, not a flood.

export class FramePacer {
  private lastSent = 0;
  /** Timestamps of frames queued and not acknowledged, oldest first. */
  private readonly inFlight: number[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    /** The viewer can take the next frame. */
    private readonly onReady: () => void,
    private readonly ackTimeoutMs = 1_000,
    private readonly now: () => number = Date.now,
    private readonly maxInFlight = 2,
  ) {}

  /** Fewer than `maxInFlight` frames await their acknowledgement. */
  get ready(): boolean {
    return this.inFlight.length < this.maxInFlight;
  }

  /**
   * The timestamp for the next `sync`. It strictly increases: guacamole-common-js only
   * answers a sync whose timestamp differs from the previous one.
   */
  nextTimestamp(): number {
    this.lastSent = Math.max(this.now(), this.lastSent + 1);
    return this.lastSent;
  }

  /** A frame (ending in `sync` with the last `nextTimestamp()`) was queued for the viewer. */
  frameQueued(): void {
    this.inFlight.push(this.lastSent);
  }

  /** That frame is written; from now on an acknowledgement is awaited for at most the timeout. */
  frameWritten(): void {
    if (this.inFlight.length === 0 || this.timer) return;
    this.timer = setTimeout(() => this.release(), this.ackTimeoutMs);
  }

  /** The client answered `sync,timestamp`: that frame and every earlier one are drawn. */
  acknowledge(timestamp: number): void {
    let acked = 0;
    while (acked < this.inFlight.length && this.inFlight[acked]! <= timestamp) acked++;
    if (acked === 0) return;
    const wasReady = this.ready;
    this.inFlight.splice(0, acked);
    this.clearTimer();
    if (this.inFlight.length > 0) this.timer = setTimeout(() => this.release(), this.ackTimeoutMs);
    if (!wasReady && this.ready) this.onReady();
  }

  stop(): void {
    this.inFlight.length = 0;
    this.clearTimer();
  }

  private release(): void {
    const wasReady = this.ready;
    this.inFlight.length = 0;
    this.clearTimer();
    if (!wasReady) this.onReady();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
