// Talks the guacd wire protocol over plain TCP, as guacamole-lite does, to test a gateway
// without the WebSocket tunnel in front of it.
import { connect, Socket } from 'node:net';
import { encodeInstruction, GuacamoleParser, Instruction } from '../../src-main/display/guacamole/protocol';

export class GuacdWireClient {
  readonly instructions: Instruction[] = [];
  /** Characters received (instructions are ASCII apart from clipboard text). */
  received = 0;
  readonly closed: Promise<void>;
  private readonly parser = new GuacamoleParser();
  private listeners: Array<() => void> = [];
  private observers: Array<(ins: Instruction) => void> = [];

  private constructor(readonly socket: Socket) {
    // One write per instruction: without this, Nagle + delayed ACK stalls the handshake ~40 ms.
    socket.setNoDelay(true);
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      this.received += text.length;
      const got = this.parser.push(text);
      this.instructions.push(...got);
      for (const ins of got) this.observers.forEach((o) => o(ins));
      this.listeners.forEach((l) => l());
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
  }

  static async open(host: string, port: number): Promise<GuacdWireClient> {
    const socket = connect({ host, port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new GuacdWireClient(socket);
  }

  /** Calls `observer` for every instruction received from now on. */
  observe(observer: (ins: Instruction) => void): void {
    this.observers.push(observer);
  }

  /** Answers every `sync` as a viewer does once it has drawn the frame. */
  answerSyncs(): void {
    this.observe((ins) => {
      if (ins[0] === 'sync') this.send('sync', ins[1]!);
    });
  }

  send(opcode: string, ...args: (string | number)[]): void {
    this.socket.write(encodeInstruction(opcode, ...args));
  }

  waitFor(match: (ins: Instruction) => boolean, timeoutMs = 5_000): Promise<Instruction> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const hit = this.instructions.find(match);
        if (!hit) return false;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
        resolve(hit);
        return true;
      };
      const listener = (): void => void check();
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== listener);
        reject(new Error(`timed out; got ${JSON.stringify(this.instructions.map((i) => i[0]))}`));
      }, timeoutMs);
      if (!check()) this.listeners.push(listener);
    });
  }

  /** select → args → size/audio/video/image/timezone → connect with values by name. */
  async handshake(
    values: Record<string, string>,
    size: [number, number, number] = [1024, 768, 96],
    imageTypes: string[] = ['image/png'],
    /** `name`: the handshake's `name` instruction; `version`: the protocol version to answer with (default: the gateway's). */
    who: { name?: string; version?: string } = {},
  ): Promise<Instruction> {
    this.send('select', 'vnc');
    const args = await this.waitFor((i) => i[0] === 'args');
    this.send('size', ...size);
    this.send('audio');
    this.send('video');
    this.send('image', ...imageTypes);
    this.send('timezone', 'UTC');
    if (who.name !== undefined) this.send('name', who.name);
    const names = args.slice(1);
    this.send('connect', ...names.map((n) => (n.startsWith('VERSION_') ? (who.version ?? n) : (values[n] ?? ''))));
    return args;
  }

  close(): void {
    this.socket.destroy();
  }
}
