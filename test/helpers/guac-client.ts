// A minimal Guacamole client over WebSocket for tests: it speaks to the display tunnel the way
// guacamole-common-js does (subprotocol "guacamole", token in the query string), records every
// instruction, reassembles image streams, and can answer `sync` like a real viewer. An area the
// gateway paints in one colour (`rect` + `cfill`, as guacd does) is kept among the images as a
// draw of mimetype FILL with its colour and size.
import { WebSocket } from 'ws';
import { decodePng } from './png';
import { encodeInstruction, GuacamoleParser, Instruction } from '../../src-main/display/guacamole/protocol';

/** The mimetype of a draw that is a one-colour fill (`rect` + `cfill`), not an image stream. */
export const FILL = 'fill';

export interface ImageDraw {
  stream: string;
  mask: number;
  layer: number;
  mimetype: string;
  x: number;
  y: number;
  /** The image (empty for a fill). */
  data: Buffer;
  /** A fill's colour and size. */
  fill?: { rgb: [number, number, number]; width: number; height: number };
}

export interface GuacClientOptions {
  /** Answer every `sync` as a viewer does after drawing the frame (default true). */
  answerSync?: boolean;
  /** Send `nop` this often so idle tunnels stay open (default 2000 ms; 0 = never). */
  keepAliveMs?: number;
}

type Waiter = { match: (ins: Instruction) => boolean; resolve: (ins: Instruction) => void };

export class GuacTestClient {
  readonly instructions: Instruction[] = [];
  readonly images: ImageDraw[] = [];
  /** Resolves with the WebSocket close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly parser = new GuacamoleParser();
  private readonly open = new Map<string, { head: Omit<ImageDraw, 'data'>; parts: string[] }>();
  /** `rect`s since the last `cfill` (layer, x, y, width, height). */
  private path: number[][] = [];
  private waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    readonly ws: WebSocket,
    private readonly options: GuacClientOptions,
  ) {
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        if (this.timer) clearInterval(this.timer);
        resolve({ code, reason: reason.toString() });
      }),
    );
    ws.on('message', (data) => this.onMessage(data.toString()));
    const every = options.keepAliveMs ?? 2_000;
    if (every > 0) this.timer = setInterval(() => this.send('nop'), every);
  }

  /** Opens `tunnelUrl?query` and resolves once the WebSocket is open. */
  static connect(tunnelUrl: string, query: string, options: GuacClientOptions = {}): Promise<GuacTestClient> {
    const ws = new WebSocket(`${tunnelUrl}?${query}`, 'guacamole');
    const client = new GuacTestClient(ws, options);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  send(opcode: string, ...args: (string | number)[]): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(encodeInstruction(opcode, ...args));
  }

  /** The first instruction (already received or future) that matches. */
  waitFor(match: (ins: Instruction) => boolean, timeoutMs = 5_000, label = 'instruction'): Promise<Instruction> {
    const seen = this.instructions.find(match);
    if (seen) return Promise.resolve(seen);
    return this.waitForNext(match, timeoutMs, label);
  }

  /** The next instruction received from now on that matches. */
  waitForNext(match: (ins: Instruction) => boolean, timeoutMs = 5_000, label = 'instruction'): Promise<Instruction> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out waiting for ${label}; last: ${JSON.stringify(this.instructions.slice(-5).map((i) => i.map((e) => e.slice(0, 40))))}`));
      }, timeoutMs);
      const waiter: Waiter = {
        match,
        resolve: (ins) => {
          clearTimeout(timer);
          resolve(ins);
        },
      };
      this.waiters.push(waiter);
    });
  }

  waitForOpcode(opcode: string, timeoutMs?: number): Promise<Instruction> {
    return this.waitFor((i) => i[0] === opcode, timeoutMs, `"${opcode}"`);
  }

  /** Closes the WebSocket (optionally after sending `disconnect`, as Guacamole.Client does). */
  async close(sendDisconnect = true): Promise<{ code: number; reason: string }> {
    if (sendDisconnect) this.send('disconnect');
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000);
    const t = setTimeout(() => this.ws.terminate(), 2_000);
    const result = await this.closed;
    clearTimeout(t);
    return result;
  }

  private onMessage(text: string): void {
    for (const ins of this.parser.push(text)) {
      this.instructions.push(ins);
      this.track(ins);
      for (const w of this.waiters.filter((w) => w.match(ins))) {
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve(ins);
      }
    }
  }

  private track([opcode, ...args]: Instruction): void {
    if (opcode === 'img') {
      const [stream, mask, layer, mimetype, x, y] = args as [string, string, string, string, string, string];
      this.open.set(stream, { head: { stream, mask: +mask, layer: +layer, mimetype, x: +x, y: +y }, parts: [] });
    } else if (opcode === 'blob') {
      this.open.get(args[0]!)?.parts.push(args[1]!);
    } else if (opcode === 'end') {
      const s = this.open.get(args[0]!);
      if (s) {
        this.open.delete(args[0]!);
        this.images.push({ ...s.head, data: Buffer.concat(s.parts.map((p) => Buffer.from(p, 'base64'))) });
      }
    } else if (opcode === 'rect') {
      this.path.push(args.map(Number));
    } else if (opcode === 'cfill') {
      const [mask, layer, r, g, b] = args.map(Number) as number[];
      for (const [pathLayer, x, y, width, height] of this.path.splice(0)) {
        if (pathLayer !== layer) continue;
        this.images.push({ stream: '', mask: mask!, layer: layer!, mimetype: FILL, x: x!, y: y!, data: Buffer.alloc(0), fill: { rgb: [r!, g!, b!], width: width!, height: height! } });
      }
    } else if (opcode === 'sync' && this.options.answerSync !== false) {
      this.send('sync', args[0]!);
    }
  }
}

/**
 * Opens a viewer with `ticket` and counts the lit pixels (brighter than near-black) of the
 * images it receives within about 5 s: how tests see that a real desktop (SeaBIOS, a VNC
 * server) came through. Stops at the first batch with any.
 */
export async function litPixels(ticket: { tunnelUrl: string; token: string }): Promise<number> {
  const viewer = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}`);
  let lit = 0;
  try {
    for (let i = 0; i < 100 && lit === 0; i++) {
      for (const image of viewer.images.splice(0)) {
        if (image.fill) {
          const [r, g, b] = image.fill.rgb;
          if (r + g + b > 60) lit += image.fill.width * image.fill.height;
          continue;
        }
        if (image.mimetype !== 'image/png') continue;
        const png = decodePng(image.data);
        for (let p = 0; p < png.rgba.length; p += 4) if (png.rgba[p]! + png.rgba[p + 1]! + png.rgba[p + 2]! > 60) lit++;
      }
      if (lit === 0) await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await viewer.close();
  }
  return lit;
}
