// Reuses the large pixel buffers of the display path (framebuffers, PNG scanlines). Why:
// every viewer that connects makes a new VNC connection, a new framebuffer and a full-screen
// PNG; freed, these are ArrayBuffers outside the JS heap, collected only when V8 next
// notices external memory (100 MiB and more under viewer churn), and malloc keeps the
// pages afterwards. Reused, churn allocates nothing new. What the pool keeps is bounded and
// dropped once the display path has been idle for a while.

export interface BufferPoolOptions {
  /** Bytes kept at most (default 32 MiB). */
  maxBytes?: number;
  /** Buffers below this size are not worth pooling (default 64 KiB). */
  minBytes?: number;
  /** Everything kept is dropped after this long without a `take` (default 20 s). */
  idleMs?: number;
}

export class BufferPool {
  private readonly free = new Map<number, Buffer[]>();
  /** Memory this pool handed out: only that comes back (never a socket chunk or a caller's own buffer). */
  private readonly issued = new WeakSet<ArrayBufferLike>();
  private keptBytes = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly maxBytes: number;
  private readonly minBytes: number;
  private readonly idleMs: number;

  constructor(options: BufferPoolOptions = {}) {
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
    this.minBytes = options.minBytes ?? 64 * 1024;
    this.idleMs = options.idleMs ?? 20_000;
  }

  /** Bytes newly allocated for `take` since the process started (statistics). */
  allocatedBytes = 0;

  /** Bytes held for reuse now. */
  get bytes(): number {
    return this.keptBytes;
  }

  /** A buffer of exactly `size` bytes with undefined contents (reused if one is free). */
  take(size: number): Buffer {
    return this.reuse(size) ?? this.create(size, false);
  }

  /**
   * A zero-filled buffer of exactly `size` bytes. A new one is zeroed by the allocator, not by
   * writing: its pages stay untouched (not resident) until drawn on, so a huge desktop that
   * never draws costs no memory.
   */
  takeZeroed(size: number): Buffer {
    return this.reuse(size)?.fill(0) ?? this.create(size, true);
  }

  private reuse(size: number): Buffer | undefined {
    this.touch();
    const list = this.free.get(size);
    const reused = list?.pop();
    if (!reused) return undefined;
    this.keptBytes -= size;
    if (list!.length === 0) this.free.delete(size);
    return reused;
  }

  private create(size: number, zeroed: boolean): Buffer {
    // Small ones come from Node's shared slab (never pooled); large ones own their memory.
    if (size < this.minBytes) return zeroed ? Buffer.alloc(size) : Buffer.allocUnsafe(size);
    const created = zeroed ? Buffer.alloc(size) : Buffer.allocUnsafeSlow(size);
    this.issued.add(created.buffer);
    this.allocatedBytes += size;
    return created;
  }

  /** Hands a buffer back; nobody may use it afterwards. Kept only while under the limit. */
  give(buffer: Buffer): void {
    const size = buffer.length;
    if (!this.issued.has(buffer.buffer) || buffer.byteOffset !== 0 || buffer.buffer.byteLength !== size) return;
    if (this.keptBytes + size > this.maxBytes || this.free.get(size)?.includes(buffer)) return;
    const list = this.free.get(size) ?? [];
    list.push(buffer);
    this.free.set(size, list);
    this.keptBytes += size;
    this.touch();
  }

  /** Drops everything kept. */
  clear(): void {
    this.free.clear();
    this.keptBytes = 0;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private touch(): void {
    if (this.idleTimer) this.idleTimer.refresh();
    else if (this.keptBytes > 0 || this.free.size > 0) {
      this.idleTimer = setTimeout(() => this.clear(), this.idleMs);
      this.idleTimer.unref();
    }
  }
}

/** The display path's one pool: framebuffers and PNG scanlines of every connection. */
export const pixelBuffers = new BufferPool();
