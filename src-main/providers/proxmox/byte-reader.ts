// Awaitable exact-length reads over chunks pushed from a socket or WebSocket, for the few
// handshake messages the VNC bridge parses before it only relays bytes.

export class ByteReader {
  /** @param maxBuffered bytes held unread before the reader fails (a peer flooding a handshake). */
  constructor(private readonly maxBuffered = Infinity) {}

  private chunks: Buffer[] = [];
  private total = 0;
  private waiter: { n: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | null = null;
  private error: Error | null = null;

  push(chunk: Buffer): void {
    if (chunk.length === 0 || this.error) return;
    if (this.total + chunk.length > this.maxBuffered) {
      this.chunks = [];
      this.total = 0;
      this.fail(new Error(`more than ${this.maxBuffered} bytes during the handshake`));
      return;
    }
    this.chunks.push(chunk);
    this.total += chunk.length;
    this.serve();
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

  read(n: number): Promise<Buffer> {
    if (this.waiter) return Promise.reject(new Error('concurrent reads'));
    if (this.total >= n) return Promise.resolve(this.take(n));
    if (this.error) return Promise.reject(this.error);
    return new Promise((resolve, reject) => {
      this.waiter = { n, resolve, reject };
    });
  }

  async readU8(): Promise<number> {
    return (await this.read(1))[0]!;
  }

  async readU32(): Promise<number> {
    return (await this.read(4)).readUInt32BE(0);
  }

  /** Everything received and not yet read; the reader is empty afterwards. */
  drain(): Buffer {
    const out = Buffer.concat(this.chunks);
    this.chunks = [];
    this.total = 0;
    return out;
  }

  private serve(): void {
    const w = this.waiter;
    if (w && this.total >= w.n) {
      this.waiter = null;
      w.resolve(this.take(w.n));
    }
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.total = rest.length;
    return out;
  }
}
