// Awaitable reads on a ByteQueue, for code that handshakes step by step over a socket or
// WebSocket (the Proxmox console bridge) instead of as a push state machine. The bytes live
// in the ByteQueue the RFB client and decoders use; this adds waiting, a cap and failure.
import { ByteQueue } from './byte-queue';

export class AwaitableQueue {
  readonly queue = new ByteQueue();
  private waiter: { parse: () => boolean; reject: (e: Error) => void } | null = null;
  private error: Error | null = null;

  /** @param maxBuffered bytes held unread before the queue fails (a peer flooding a handshake). */
  constructor(private readonly maxBuffered = Infinity) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0 || this.error) return;
    if (this.queue.length + chunk.length > this.maxBuffered) {
      this.queue.skip(this.queue.length);
      this.fail(new Error(`more than ${this.maxBuffered} bytes during the handshake`));
      return;
    }
    this.queue.push(chunk);
    if (this.waiter?.parse()) this.waiter = null;
  }

  /** True once failed (closed, timed out, or flooded past maxBuffered). */
  get failed(): boolean {
    return this.error !== null;
  }

  /** Rejects the pending read and every later one. */
  fail(err: Error): void {
    if (this.error) return;
    this.error = err;
    const w = this.waiter;
    this.waiter = null;
    w?.reject(err);
  }

  /**
   * Resolves with what `parse` returns once it returns non-null; it runs now and after every
   * chunk, consuming from `queue` only what it completes (as RfbHandshake.advance does).
   * A throw from `parse` rejects.
   */
  until<T>(parse: (q: ByteQueue) => T | null): Promise<T> {
    if (this.waiter) return Promise.reject(new Error('concurrent reads'));
    return new Promise<T>((resolve, reject) => {
      const attempt = (): boolean => {
        try {
          const value = parse(this.queue);
          if (value === null) return false;
          resolve(value);
        } catch (err) {
          reject(err as Error);
        }
        return true;
      };
      if (attempt()) return;
      if (this.error) return reject(this.error);
      this.waiter = { parse: attempt, reject };
    });
  }

  read(n: number): Promise<Buffer> {
    return this.until((q) => (q.length >= n ? q.read(n) : null));
  }

  async readU8(): Promise<number> {
    return (await this.read(1))[0]!;
  }

  async readU32(): Promise<number> {
    return (await this.read(4)).readUInt32BE(0);
  }

  /** Everything received and not yet read; the queue is empty afterwards. */
  drain(): Buffer {
    return this.queue.read(this.queue.length);
  }
}
