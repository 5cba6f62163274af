// A scripted VNC server for hostile-input tests: the server side of RFB 3.8 as rfbproto
// describes it (ProtocolVersion, security type None, SecurityResult, ClientInit, ServerInit,
// then the client's messages parsed by their real lengths), with hooks where a script sends
// whatever it likes: absurd sizes, truncated or oversized rects, unknown encodings, endless
// cut text, one byte a second, or nothing at all.
import { createServer, Server, Socket } from 'node:net';
import { encodePixelFormat, RGBX_FORMAT } from '../../src-main/rfb/pixel-format';

export interface UpdateRequest {
  incremental: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface HostileScript {
  /** ServerInit framebuffer size (default 64x48). */
  width?: number;
  height?: number;
  /**
   * Replaces the whole handshake: the script speaks from the first byte (a trickled banner,
   * a stall). Client bytes are then only collected.
   */
  raw?(conn: HostileConnection): void;
  /** The client's first FramebufferUpdateRequest after the handshake (default: answers nothing). */
  onFirstRequest?(conn: HostileConnection, request: UpdateRequest): void;
  /** Every later FramebufferUpdateRequest. */
  onRequest?(conn: HostileConnection, request: UpdateRequest): void;
}

export class HostileConnection {
  readonly requests: UpdateRequest[] = [];
  /** Each SetEncodings the client sent: its encoding numbers, in order. */
  readonly encodings: number[][] = [];
  /** ClientCutText bodies; `extended` for the Extended Clipboard format (negative length). */
  readonly cutTexts: { extended: boolean; body: Buffer }[] = [];
  private ended = false;

  constructor(readonly socket: Socket) {
    socket.on('close', () => (this.ended = true));
  }

  get closed(): boolean {
    return this.ended || this.socket.destroyed;
  }

  send(bytes: Buffer): void {
    if (!this.closed) this.socket.write(bytes);
  }

  /** Sends `bytes` a few at a time with a pause between (slow-loris); stops when the client leaves. */
  async trickle(bytes: Buffer, bytesPerTick = 1, tickMs = 1_000): Promise<void> {
    for (let i = 0; i < bytes.length && !this.closed; i += bytesPerTick) {
      this.send(bytes.subarray(i, i + bytesPerTick));
      await new Promise((r) => setTimeout(r, tickMs));
    }
  }

  /** Keeps sending `chunk` as fast as the client reads it, until it leaves or `limit` bytes went out. */
  async flood(chunk: Buffer, limit = Infinity): Promise<number> {
    let sent = 0;
    while (!this.closed && sent < limit) {
      sent += chunk.length;
      if (!this.socket.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            this.socket.off('drain', done);
            this.socket.off('close', done);
            resolve();
          };
          this.socket.on('drain', done);
          this.socket.on('close', done);
        });
      }
    }
    return sent;
  }

  close(): void {
    this.socket.destroy();
  }
}

type Phase = 'version' | 'security' | 'client-init' | 'messages';

export class HostileRfbServer {
  readonly connections: HostileConnection[] = [];
  private readonly server: Server;
  port = 0;

  private constructor(private readonly script: HostileScript) {
    this.server = createServer((socket) => this.accept(socket));
  }

  static async start(script: HostileScript): Promise<HostileRfbServer> {
    const s = new HostileRfbServer(script);
    await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
    s.port = (s.server.address() as { port: number }).port;
    return s;
  }

  async stop(): Promise<void> {
    for (const c of this.connections) c.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    const conn = new HostileConnection(socket);
    this.connections.push(conn);
    socket.on('error', () => undefined);
    if (this.script.raw) {
      socket.on('data', () => undefined);
      this.script.raw(conn);
      return;
    }
    let phase: Phase = 'version';
    let buf = Buffer.alloc(0);
    socket.write('RFB 003.008\n');
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const used = this.step(conn, phase, buf, (next) => (phase = next));
        if (used === 0) break;
        buf = buf.subarray(used);
      }
    });
  }

  /** Consumes one client message (or handshake step); 0 when more bytes are needed. */
  private step(conn: HostileConnection, phase: Phase, b: Buffer, setPhase: (p: Phase) => void): number {
    switch (phase) {
      case 'version':
        if (b.length < 12) return 0;
        conn.send(Buffer.from([1, 1])); // one security type: None
        setPhase('security');
        return 12;
      case 'security':
        if (b.length < 1) return 0;
        conn.send(Buffer.alloc(4)); // SecurityResult: OK
        setPhase('client-init');
        return 1;
      case 'client-init': {
        if (b.length < 1) return 0;
        conn.send(serverInit(this.script.width ?? 64, this.script.height ?? 48, 'hostile'));
        setPhase('messages');
        return 1;
      }
      case 'messages':
        return this.clientMessage(conn, b);
    }
  }

  private clientMessage(conn: HostileConnection, b: Buffer): number {
    if (b.length < 1) return 0;
    const need = (n: number): number => (b.length >= n ? n : 0);
    switch (b[0]) {
      case 0: // SetPixelFormat
        return need(20);
      case 2: {
        // SetEncodings
        if (b.length < 4 || !need(4 + 4 * b.readUInt16BE(2))) return 0;
        const count = b.readUInt16BE(2);
        conn.encodings.push(Array.from({ length: count }, (_, i) => b.readInt32BE(4 + 4 * i)));
        return 4 + 4 * count;
      }
      case 3: {
        // FramebufferUpdateRequest
        if (b.length < 10) return 0;
        const request = { incremental: b[1] !== 0, x: b.readUInt16BE(2), y: b.readUInt16BE(4), width: b.readUInt16BE(6), height: b.readUInt16BE(8) };
        conn.requests.push(request);
        if (conn.requests.length === 1) this.script.onFirstRequest?.(conn, request);
        else this.script.onRequest?.(conn, request);
        return 10;
      }
      case 4: // KeyEvent
        return need(8);
      case 5: // PointerEvent
        return need(6);
      case 6: {
        // ClientCutText; a negative length is the Extended Clipboard format
        if (b.length < 8) return 0;
        const length = b.readInt32BE(4);
        const used = need(8 + Math.abs(length));
        if (used) conn.cutTexts.push({ extended: length < 0, body: Buffer.from(b.subarray(8, used)) });
        return used;
      }
      case 251: // SetDesktopSize
        return b.length < 8 ? 0 : need(8 + 16 * b[6]!);
      default:
        throw new Error(`the gateway sent an unknown RFB message type ${b[0]}`);
    }
  }
}

export function serverInit(width: number, height: number, name: string): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(width, 0);
  head.writeUInt16BE(height, 2);
  const nameBytes = Buffer.from(name, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(nameBytes.length);
  return Buffer.concat([head, encodePixelFormat(RGBX_FORMAT), len, nameBytes]);
}

/** FramebufferUpdate header: message type 0, padding, rect count. */
export function updateHeader(rects: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16BE(rects, 2);
  return b;
}

export function rectHeader(x: number, y: number, width: number, height: number, encoding: number): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(x, 0);
  b.writeUInt16BE(y, 2);
  b.writeUInt16BE(width, 4);
  b.writeUInt16BE(height, 6);
  b.writeInt32BE(encoding, 8);
  return b;
}

/** ServerCutText header; `length` is the raw U32 on the wire (a negative S32 is Extended Clipboard). */
export function cutTextHeader(length: number): Buffer {
  const b = Buffer.alloc(8);
  b[0] = 3;
  b.writeUInt32BE(length >>> 0, 4);
  return b;
}
