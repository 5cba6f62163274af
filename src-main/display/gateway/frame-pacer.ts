// Simple frame pacing: the next update is requested from the VNC server only after the
// client has acknowledged the previous frame's `sync` (it has drawn it), so a slow client
// is never buried in frames. A client that never answers still gets a frame per `ackTimeoutMs`.

export class FramePacer {
  private lastSent = 0;
  private waiting = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    /** Asks the VNC server for the next update. */
    private readonly requestNext: () => void,
    private readonly ackTimeoutMs = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The timestamp for the next `sync`. It strictly increases: guacamole-common-js only
   * answers a sync whose timestamp differs from the previous one.
   */
  nextTimestamp(): number {
    this.lastSent = Math.max(this.now(), this.lastSent + 1);
    return this.lastSent;
  }

  /** The frame carrying `sync,timestamp` has been written; wait for its acknowledgement. */
  frameSent(): void {
    this.waiting = true;
    this.clearTimer();
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
    this.requestNext();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
