// Bytes received from a TCP stream, read in whole messages: TCP may split or merge
// messages anywhere, so parsers first check `length`, then read.

export class ByteQueue {
  private chunks: Buffer[] = [];
  private head = 0; // offset into chunks[0]
  private total = 0;

  get length(): number {
    return this.total;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /** Byte at `offset` from the read position, without consuming. */
  peekU8(offset = 0): number {
    if (offset >= this.total) throw new RangeError('peek past end of queue');
    let off = this.head + offset;
    for (const c of this.chunks) {
      if (off < c.length) return c[off]!;
      off -= c.length;
    }
    throw new RangeError('unreachable');
  }

  peekU16(offset = 0): number {
    return (this.peekU8(offset) << 8) | this.peekU8(offset + 1);
  }

  peekU32(offset = 0): number {
    return this.peekU16(offset) * 0x10000 + this.peekU16(offset + 2);
  }

  /** Consumes `n` bytes; zero-copy when they sit inside one chunk. */
  read(n: number): Buffer {
    if (n > this.total) throw new RangeError(`read ${n} of ${this.total} bytes`);
    if (n === 0) return Buffer.alloc(0);
    const first = this.chunks[0]!;
    if (first.length - this.head >= n) {
      const out = first.subarray(this.head, this.head + n);
      this.advance(n);
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[0]!;
      const take = Math.min(c.length - this.head, n - filled);
      c.copy(out, filled, this.head, this.head + take);
      filled += take;
      this.advance(take);
    }
    return out;
  }

  skip(n: number): void {
    if (n > this.total) throw new RangeError(`skip ${n} of ${this.total} bytes`);
    while (n > 0) {
      const take = Math.min(this.chunks[0]!.length - this.head, n);
      this.advance(take);
      n -= take;
    }
  }

  readU8(): number {
    const v = this.peekU8();
    this.advance(1);
    return v;
  }

  readU16(): number {
    const v = this.peekU16();
    this.skip(2);
    return v;
  }

  readU32(): number {
    const v = this.peekU32();
    this.skip(4);
    return v;
  }

  readS32(): number {
    return this.readU32() | 0;
  }

  private advance(n: number): void {
    this.head += n;
    this.total -= n;
    while (this.chunks.length > 0 && this.head >= this.chunks[0]!.length) {
      this.head -= this.chunks[0]!.length;
      this.chunks.shift();
    }
  }
}
