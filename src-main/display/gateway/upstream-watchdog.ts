// Notices a VNC server that stopped answering: a frozen or SIGSTOPped Xvnc keeps its TCP
// connection (the kernel still takes our bytes) and simply sends nothing. An idle desktop is
// silent too (an incremental update request is answered only once something changes), so
// silence alone proves nothing: after a quiet spell, and whenever a viewer joins, the server
// gets a probe it must answer at once (a non-incremental request for one pixel; rfbproto: the
// server sends that area "as soon as possible"). A probe left unanswered means a hung server.

/** Quiet time after which the server is probed: an idle desktop costs one 1x1 update per this. */
export const IDLE_PROBE_MS = 5_000;

/**
 * How long a probe may go unanswered. A live Xvnc answers within milliseconds even when busy;
 * it goes quiet only while its whole process is blocked (a machine swapping hard, an X client
 * holding a server grab, a long synchronous request). 15 s rides those out (guacd allows a
 * silent peer the same 15 s) and still tells the user within ~20 s that the desktop hangs.
 */
export const UNRESPONSIVE_MS = 15_000;

/**
 * Bytes that count as an answer before a whole message is in (a big rect on a slow link). Any
 * real link delivers this in well under a second; a server trickling less is treated as hung.
 */
const PROGRESS_BYTES = 4 * 1024;

export interface WatchdogTiming {
  idleProbeMs: number;
  unresponsiveMs: number;
}

export class UpstreamWatchdog {
  private lastHeard = Date.now();
  private probeSentAt: number | null = null;
  private bytes = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    /** Sends the probe (it must make the server answer promptly). */
    private readonly probe: () => void,
    /** The server did not answer a probe in time; called once. */
    private readonly onHung: (silentMs: number) => void,
    private readonly timing: WatchdogTiming = { idleProbeMs: IDLE_PROBE_MS, unresponsiveMs: UNRESPONSIVE_MS },
  ) {
    this.timer = setInterval(() => this.tick(), Math.min(1_000, timing.idleProbeMs, timing.unresponsiveMs / 4));
    this.timer.unref();
  }

  /** A whole message arrived from the server. */
  heard(): void {
    this.lastHeard = Date.now();
    this.probeSentAt = null;
    this.bytes = 0;
  }

  /** Bytes arrived from the server. */
  received(n: number): void {
    this.bytes += n;
    if (this.bytes >= PROGRESS_BYTES) this.heard();
  }

  /** Probes now unless a probe is already out (a viewer joins: is the server still there?). */
  probeNow(): void {
    if (this.probeSentAt === null) this.sendProbe();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sendProbe(): void {
    this.probeSentAt = Date.now();
    this.bytes = 0;
    this.probe();
  }

  private tick(): void {
    const now = Date.now();
    if (this.probeSentAt === null) {
      if (now - this.lastHeard >= this.timing.idleProbeMs) this.sendProbe();
    } else if (now - this.probeSentAt >= this.timing.unresponsiveMs) {
      this.stop();
      this.onHung(now - this.lastHeard);
    }
  }
}
