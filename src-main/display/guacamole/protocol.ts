// Guacamole wire format: LENGTH.VALUE,LENGTH.VALUE,...;
// LENGTH counts Unicode code points (what guacd counts), not UTF-16 units or bytes.

export type Instruction = string[];

export class GuacamoleProtocolError extends Error {
  override readonly name = 'GuacamoleProtocolError';
}

/** Number of code points in `s`; a lone surrogate counts as one, like String iteration. */
const SURROGATE = /[\uD800-\uDFFF]/;

export function codePointLength(s: string): number {
  // Fast path: most payloads (base64, numbers) have no surrogates at all.
  if (!SURROGATE.test(s)) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

function element(value: string | number): string {
  const s = String(value);
  return `${codePointLength(s)}.${s}`;
}

export function encodeInstruction(opcode: string, ...args: (string | number)[]): string {
  let out = element(opcode);
  for (const a of args) out += ',' + element(a);
  return out + ';';
}

export interface ParserLimits {
  /** Largest element accepted, in code points (guacd blobs are ~8 KB of base64). */
  maxElementLength: number;
  /** Most elements (opcode included) in one instruction (guacd allows 128). */
  maxElements: number;
  /** Largest instruction, summing its element lengths. */
  maxInstructionLength: number;
}

export const DEFAULT_PARSER_LIMITS: ParserLimits = {
  maxElementLength: 1 << 20,
  maxElements: 128,
  maxInstructionLength: 2 << 20,
};

/**
 * What a viewer may send: its instructions are input, clipboard blobs (a few KB each) and the
 * handshake. Bounds what one connection can make the gateway or tunnel hold to ~256 K code points.
 */
export const VIEWER_INPUT_LIMITS: ParserLimits = {
  maxElementLength: 64 * 1024,
  maxElements: 128,
  maxInstructionLength: 256 * 1024,
};

const enum State {
  Length,
  Value,
  Terminator,
}

/**
 * Streaming parser: chunks may split anywhere, even inside an element or a surrogate pair.
 * After an error the parser stays broken: the stream is out of sync and cannot recover.
 */
export class GuacamoleParser {
  private buf = '';
  private pos = 0;
  private state = State.Length;
  private lengthDigits = 0;
  private expected = 0; // code points of the current element
  private counted = 0; // code points of the current element seen so far
  private valueStart = 0;
  private instructionLength = 0;
  private elements: string[] = [];
  private failed: GuacamoleProtocolError | null = null;
  private readonly limits: ParserLimits;

  constructor(limits: Partial<ParserLimits> = {}) {
    this.limits = { ...DEFAULT_PARSER_LIMITS, ...limits };
  }

  /** Feeds a chunk; returns every instruction it completes. Throws GuacamoleProtocolError. */
  push(chunk: string): Instruction[] {
    if (this.failed) throw this.failed;
    this.buf += chunk;
    const done: Instruction[] = [];
    try {
      this.run(done);
    } catch (err) {
      this.failed = err instanceof GuacamoleProtocolError ? err : new GuacamoleProtocolError(String(err));
      this.buf = '';
      throw this.failed;
    }
    this.compact();
    return done;
  }

  /** True when no partial instruction is buffered. */
  get idle(): boolean {
    return this.elements.length === 0 && this.state === State.Length && this.lengthDigits === 0;
  }

  private run(done: Instruction[]): void {
    const buf = this.buf;
    while (this.pos < buf.length) {
      if (this.state === State.Length) {
        const c = buf.charCodeAt(this.pos);
        if (c >= 0x30 && c <= 0x39) {
          this.expected = this.expected * 10 + (c - 0x30);
          this.lengthDigits++;
          if (this.expected > this.limits.maxElementLength || this.lengthDigits > 10) {
            throw new GuacamoleProtocolError(`element longer than ${this.limits.maxElementLength}`);
          }
          this.pos++;
        } else if (c === 0x2e /* . */ && this.lengthDigits > 0) {
          this.instructionLength += this.expected;
          if (this.instructionLength > this.limits.maxInstructionLength) {
            throw new GuacamoleProtocolError(`instruction longer than ${this.limits.maxInstructionLength}`);
          }
          this.pos++;
          this.state = State.Value;
          this.valueStart = this.pos;
          this.counted = 0;
        } else {
          throw new GuacamoleProtocolError(`unexpected character in element length at ${this.pos}`);
        }
      } else if (this.state === State.Value) {
        if (!this.scanValue(buf)) return; // need more input
        this.elements.push(buf.slice(this.valueStart, this.pos));
        if (this.elements.length > this.limits.maxElements) {
          throw new GuacamoleProtocolError(`more than ${this.limits.maxElements} elements`);
        }
        this.state = State.Terminator;
      } else {
        const c = buf[this.pos++];
        if (c === ';') {
          done.push(this.elements);
          this.elements = [];
          this.instructionLength = 0;
        } else if (c !== ',') {
          throw new GuacamoleProtocolError(`expected ',' or ';' at ${this.pos - 1}`);
        }
        this.state = State.Length;
        this.expected = 0;
        this.lengthDigits = 0;
      }
    }
  }

  /** Advances over the element value; false if the buffer ends first (progress is kept). */
  private scanValue(buf: string): boolean {
    // Fast path: when the rest of the value is here and has no surrogates (base64 blobs, numbers,
    // most text), code points are UTF-16 units; one native scan instead of a loop per character.
    // A value cut off by the chunk's end takes the same path for the part that is here.
    const rest = this.expected - this.counted;
    const here = Math.min(rest, buf.length - this.pos);
    if (here > 0 && !SURROGATE.test(buf.slice(this.pos, this.pos + here))) {
      this.pos += here;
      this.counted += here;
      if (this.counted < this.expected) return false;
    }
    while (this.counted < this.expected) {
      if (this.pos >= buf.length) return false;
      const c = buf.charCodeAt(this.pos);
      if (c >= 0xd800 && c <= 0xdbff) {
        // A high surrogate at the end of the chunk may pair with the next chunk's first unit.
        if (this.pos + 1 >= buf.length) return false;
        const d = buf.charCodeAt(this.pos + 1);
        this.pos += d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
      } else {
        this.pos++;
      }
      this.counted++;
    }
    return true;
  }

  /** Drops consumed text so a long-lived stream doesn't keep everything it ever read. */
  private compact(): void {
    const keepFrom = this.state === State.Value ? this.valueStart : this.pos;
    if (keepFrom === 0) return;
    this.buf = this.buf.slice(keepFrom);
    this.pos -= keepFrom;
    if (this.state === State.Value) this.valueStart = 0;
  }
}
