// The benchmark's moving photo: a minimal X11 client (core protocol over the display's Unix
// socket, no library, no X tool that could move a window here) that draws a photographic
// picture on the root window with PutImage and moves it a step every `everyMs`, blacking out
// what it leaves. Every step redraws the whole picture, as a video or a slideshow does: the
// VNC server sees new pixels (not a window move it could send as CopyRect).
import { connect, Socket } from 'node:net';

export interface PhotoMotion {
  /** Steps drawn so far. */
  readonly steps: number;
  stop(): Promise<void>;
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Rows per PutImage: the core protocol's request limit is 65535 words (262140 bytes). */
const MAX_REQUEST_BYTES = 65_535 * 4 - 24;

export async function startPhotoMotion(
  display: number,
  photo: { width: number; height: number; rgb: (x: number, y: number) => [number, number, number] },
  options: { everyMs: number; stepX: number; stepY: number; screen: { width: number; height: number } },
): Promise<PhotoMotion> {
  const socket = connect(`/tmp/.X11-unix/X${display}`);
  socket.setNoDelay?.(true);
  const setup = await connectionSetup(socket);
  const gc = setup.idBase | 1;
  const root = setup.root;
  // CreateGC: foreground black, no GraphicsExposure events.
  socket.write(request(55, 0, [u32(gc), u32(root), u32(0x4 | 0x10000), u32(setup.black), u32(0)]));
  socket.on('data', () => undefined); // errors and events are not needed; drain them
  socket.on('error', () => undefined);

  // The picture as 32-bit ZPixmap rows in the server's byte order.
  const { width, height } = photo;
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = photo.rgb(x, y);
      const v = ((r << 16) | (g << 8) | b) >>> 0;
      if (setup.lsbFirst) pixels.writeUInt32LE(v, (y * width + x) * 4);
      else pixels.writeUInt32BE(v, (y * width + x) * 4);
    }
  }
  const rowsPerRequest = Math.max(1, Math.floor(MAX_REQUEST_BYTES / (width * 4)));
  const putImage = (at: Rect): void => {
    const parts: Buffer[] = [];
    for (let y = 0; y < height; y += rowsPerRequest) {
      const rows = Math.min(rowsPerRequest, height - y);
      const data = pixels.subarray(y * width * 4, (y + rows) * width * 4);
      // PutImage: format ZPixmap (2), drawable, gc, width, height, dst-x, dst-y, left-pad 0, depth.
      const head = Buffer.alloc(24);
      head.writeUInt8(72, 0);
      head.writeUInt8(2, 1);
      head.writeUInt16LE(6 + data.length / 4, 2);
      head.writeUInt32LE(root, 4);
      head.writeUInt32LE(gc, 8);
      head.writeUInt16LE(width, 12);
      head.writeUInt16LE(rows, 14);
      head.writeInt16LE(at.x, 16);
      head.writeInt16LE(at.y + y, 18);
      head.writeUInt8(0, 20);
      head.writeUInt8(setup.rootDepth, 21);
      parts.push(head, data);
    }
    socket.write(Buffer.concat(parts));
  };
  const fill = (rects: Rect[]): void => {
    if (rects.length === 0) return;
    // PolyFillRectangle with the black GC.
    const body = rects.map((r) => {
      const b = Buffer.alloc(8);
      b.writeInt16LE(r.x, 0);
      b.writeInt16LE(r.y, 2);
      b.writeUInt16LE(r.width, 4);
      b.writeUInt16LE(r.height, 6);
      return b;
    });
    socket.write(request(70, 0, [u32(root), u32(gc), ...body]));
  };

  fill([{ x: 0, y: 0, ...options.screen }]);
  let at: Rect = { x: 0, y: 0, width, height };
  let dx = options.stepX;
  let dy = options.stepY;
  let steps = 0;
  putImage(at);
  const timer = setInterval(() => {
    // Bounce off the screen's edges.
    if (at.x + dx < 0 || at.x + dx + width > options.screen.width) dx = -dx;
    if (at.y + dy < 0 || at.y + dy + height > options.screen.height) dy = -dy;
    const next = { x: at.x + dx, y: at.y + dy, width, height };
    // Skip a step while the server has not taken the previous one (a loaded machine).
    if (socket.writableLength > 0) return;
    fill(subtract(at, next));
    putImage(next);
    at = next;
    steps++;
  }, options.everyMs);
  return {
    get steps() {
      return steps;
    },
    async stop() {
      clearInterval(timer);
      await new Promise<void>((resolve) => socket.end(resolve));
      socket.destroy();
    },
  };
}

/** `a` minus `b`: up to four rects. */
function subtract(a: Rect, b: Rect): Rect[] {
  const ix = Math.max(a.x, b.x);
  const iy = Math.max(a.y, b.y);
  const ix2 = Math.min(a.x + a.width, b.x + b.width);
  const iy2 = Math.min(a.y + a.height, b.y + b.height);
  if (ix >= ix2 || iy >= iy2) return [a];
  const out: Rect[] = [];
  if (a.y < iy) out.push({ x: a.x, y: a.y, width: a.width, height: iy - a.y });
  if (iy2 < a.y + a.height) out.push({ x: a.x, y: iy2, width: a.width, height: a.y + a.height - iy2 });
  if (a.x < ix) out.push({ x: a.x, y: iy, width: ix - a.x, height: iy2 - iy });
  if (ix2 < a.x + a.width) out.push({ x: ix2, y: iy, width: a.x + a.width - ix2, height: iy2 - iy });
  return out;
}

function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0, 0);
  return b;
}

/** A core request: opcode, the byte after it, length in 4-byte words, then the body. */
function request(opcode: number, data: number, body: Buffer[]): Buffer {
  const payload = Buffer.concat(body);
  const head = Buffer.alloc(4);
  head.writeUInt8(opcode, 0);
  head.writeUInt8(data, 1);
  head.writeUInt16LE(1 + payload.length / 4, 2);
  return Buffer.concat([head, payload]);
}

interface Setup {
  idBase: number;
  root: number;
  black: number;
  rootDepth: number;
  lsbFirst: boolean;
}

/** The connection setup (no authorization: Xtigervnc lets local clients in), little-endian. */
function connectionSetup(socket: Socket): Promise<Setup> {
  return new Promise((resolve, reject) => {
    let got = Buffer.alloc(0);
    const onData = (d: Buffer): void => {
      got = Buffer.concat([got, d]);
      if (got.length < 8) return;
      if (got[0] !== 1) {
        cleanup();
        reject(new Error(`X server refused the connection: ${got.toString('latin1', 8, 8 + got[1]!)}`));
        return;
      }
      const total = 8 + got.readUInt16LE(6) * 4;
      if (got.length < total) return;
      cleanup();
      const vendorLength = got.readUInt16LE(24);
      const formats = got[29]!;
      const screen = 40 + Math.ceil(vendorLength / 4) * 4 + formats * 8;
      resolve({
        idBase: got.readUInt32LE(12),
        lsbFirst: got[30] === 0,
        root: got.readUInt32LE(screen),
        black: got.readUInt32LE(screen + 12),
        rootDepth: got[screen + 38]!,
      });
    };
    const cleanup = (): void => {
      socket.off('data', onData);
      socket.off('error', reject);
    };
    socket.on('data', onData);
    socket.once('error', reject);
    // Byte order 'l', protocol 11.0, no authorization.
    const hello = Buffer.alloc(12);
    hello.writeUInt8(0x6c, 0);
    hello.writeUInt16LE(11, 2);
    socket.write(hello);
  });
}
