// One Guacamole-protocol TCP connection as guacd sees it: whole instructions in, whole
// instructions out, keep-alive `nop`s while idle, and a timeout for a silent client.
import { Socket } from 'node:net';
import { encodeInstruction, GuacamoleParser, Instruction, VIEWER_INPUT_LIMITS } from '../guacamole/protocol';

export interface GuacSocketOptions {
  /** guacamole-lite drops a guacd that is silent for 10 s; guacd itself sends nop every 5 s. */
  keepAliveMs?: number;
  /** guacd gives up on a client silent for 15 s ("User is not responding."). */
  receiveTimeoutMs?: number;
  /** How long a graceful close may wait for the peer before the socket is destroyed. */
  closeGraceMs?: number;
}

export interface GuacSocketHandlers {
  onInstruction(instruction: Instruction): void;
  /** Malformed input or a silent client; the socket is still open so an error can be sent. */
  onProtocolError(error: Error, kind: 'malformed' | 'timeout'): void;
  /** Called once, when the TCP connection is gone. */
  onClose(): void;
}

export class GuacSocket {
  private readonly parser = new GuacamoleParser(VIEWER_INPUT_LIMITS);
  private lastWrite = Date.now();
  private lastRead = Date.now();
  private readonly timer: NodeJS.Timeout;
  private ending = false;
  private closed = false;
  private corked = false;
  /** Bumped by every cork, so a stale next-tick uncork leaves a newer cork alone. */
  private corkGeneration = 0;
  private readonly opts: Required<GuacSocketOptions>;

  constructor(
    private readonly socket: Socket,
    private readonly handlers: GuacSocketHandlers,
    options: GuacSocketOptions = {},
  ) {
    this.opts = { keepAliveMs: 5_000, receiveTimeoutMs: 15_000, closeGraceMs: 2_000, ...options };
    socket.setNoDelay(true);
    // StringDecoder semantics: a UTF-8 sequence split across TCP chunks is reassembled.
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => this.onData(text));
    socket.on('error', () => socket.destroy()); // 'close' follows and does the cleanup
    socket.on('close', () => this.onClosed());
    this.timer = setInterval(() => this.tick(), Math.min(1_000, this.opts.keepAliveMs));
    this.timer.unref();
  }

  get open(): boolean {
    return !this.closed && !this.ending;
  }

  send(opcode: string, ...args: (string | number)[]): boolean {
    return this.write(encodeInstruction(opcode, ...args));
  }

  /**
   * Writes pre-encoded instructions; false means the kernel buffer is full (see `drained`).
   * Writes made in one run of the event loop's callbacks and microtasks (a frame's images,
   * copies and its sync, usually) leave as one writev, not one segment each (TCP_NODELAY):
   * the socket is corked at the first and uncorked on the next tick, before any I/O waits.
   */
  write(text: string): boolean {
    if (!this.open) return false;
    this.lastWrite = Date.now();
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      const generation = ++this.corkGeneration;
      process.nextTick(() => {
        if (!this.corked || generation !== this.corkGeneration) return;
        this.corked = false;
        this.socket.uncork();
      });
    }
    return this.socket.write(text);
  }

  /**
   * Sends what is corked now instead of on the next tick: the end of a frame written in one go
   * goes out before the gateway does anything else (such as asking the VNC server for more).
   */
  flush(): void {
    if (!this.corked) return;
    this.corked = false;
    this.socket.uncork();
  }

  /** The kernel buffer is full: further writes should wait for `drained`. */
  get needsDrain(): boolean {
    return this.socket.writableNeedDrain;
  }

  /** Resolves once buffered output has been handed to the kernel (or the socket is gone). */
  drained(): Promise<void> {
    if (!this.socket.writableNeedDrain || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  /** Flushes what is queued, sends FIN, and destroys the socket if the peer lingers. */
  close(): void {
    if (this.closed || this.ending) return;
    this.ending = true;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), this.opts.closeGraceMs).unref();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(text: string): void {
    if (this.closed) return;
    this.lastRead = Date.now();
    let instructions: Instruction[];
    try {
      instructions = this.parser.push(text);
    } catch (err) {
      this.handlers.onProtocolError(err as Error, 'malformed');
      return;
    }
    for (const ins of instructions) {
      if (this.closed || this.ending) return;
      this.handlers.onInstruction(ins);
    }
  }

  private tick(): void {
    if (!this.open) return;
    const now = Date.now();
    if (now - this.lastRead > this.opts.receiveTimeoutMs) {
      this.lastRead = now;
      this.handlers.onProtocolError(new Error('User is not responding.'), 'timeout');
      return;
    }
    if (now - this.lastWrite >= this.opts.keepAliveMs) this.send('nop');
  }

  private onClosed(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.handlers.onClose();
  }
}
