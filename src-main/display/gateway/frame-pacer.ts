// Per-viewer frame pacing: after a frame's `sync` the viewer gets nothing new until it
// acknowledges that sync (it has drawn the frame); what changes meanwhile is merged and sent
// as one frame. A viewer that never answers is treated as ready again after `ackTimeoutMs`.

export class FramePacer {
  private lastSent = 0;
  private waiting = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    /** The viewer can take the next frame. */
    private readonly onReady: () => void,
    private readonly ackTimeoutMs = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** No frame is waiting for its acknowledgement. */
  get ready(): boolean {
    return !this.waiting;
  }

  /**
   * The timestamp for the next `sync`. It strictly increases: guacamole-common-js only
   * answers a sync whose timestamp differs from the previous one.
   */
  nextTimestamp(): number {
    this.lastSent = Math.max(this.now(), this.lastSent + 1);
    return this.lastSent;
  }

  /** A frame (ending in `sync`) was queued for the viewer. */
  frameQueued(): void {
    this.waiting = true;
    this.clearTimer();
  }

  /** That frame is written; from now on its acknowledgement is awaited for at most the timeout. */
  frameWritten(): void {
    if (!this.waiting || this.timer) return;
    this.timer = setTimeout(() => this.release(), this.ackTimeoutMs);
  }

  /** The client answered `sync,timestamp`. */
  acknowledge(timestamp: number): void {
    if (this.waiting && timestamp >= this.lastSent) this.release();
  }

  stop(): void {
    this.waiting = false;
    this.clearTimer();
  }

  private release(): void {
    if (!this.waiting) return;
    this.waiting = false;
    this.clearTimer();
    this.onReady();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
