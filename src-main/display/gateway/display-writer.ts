// Turns screen changes into Guacamole instructions for one viewer, strictly in the order
// they happened: images encode in parallel, but anything queued after an image is only
// sent once that image is out (a `copy` copies what the client already has).
// While nothing is queued (no image still encoding, no backpressure), instructions and
// already-encoded images are written at once, in the caller's turn of the event loop, and a
// `sync` written that way flushes the socket: a small frame (a typed character) leaves the
// moment its update has been decoded, without promise hops or waiting for the next tick.
import { encodeInstruction } from '../guacamole/protocol';
import { jpegAvailable } from '../image/jpeg-encoder';
import { pngBody, type PixelSource } from '../image/png-encoder';
import { encodeRegion, type RegionEncode } from '../image/region-encoder';
import { GuacSocket } from './guac-socket';
import type { SharedEncodes } from './shared-encodes';

/** Layer 0 is the visible default layer; negative layers are off-screen buffers. */
const DEFAULT_LAYER = 0;
const CURSOR_BUFFER = -1;
/** guacd draws opaque images with GUAC_COMP_OVER (0xE) and cursor images with GUAC_COMP_SRC (0xC). */
const COMPOSITE_OVER = 0xe;
const COMPOSITE_SRC = 0xc;
/** Raw bytes per `blob`: 4608 bytes is 6144 base64 characters (6 KB). */
const BLOB_BYTES = 4608;
/** Output streams rotate through this many indexes; one stream is open at a time. */
const STREAMS = 128;
/** Encoded images up to this size are written in one piece (and at once when nothing is queued). */
const IMMEDIATE_BYTES = 32 * 1024;

/**
 * An encoded image's `blob` payloads (base64), made once however many viewers it goes to: the
 * live path and catch-up frames share one body between viewers, and only the stream number
 * differs in what each of them is sent.
 */
const base64Blobs = new WeakMap<Buffer, string[]>();

function blobsOf(body: Buffer): string[] {
  let blobs = base64Blobs.get(body);
  if (!blobs) {
    blobs = [];
    for (let off = 0; off < body.length; off += BLOB_BYTES) blobs.push(body.toString('base64', off, Math.min(body.length, off + BLOB_BYTES)));
    base64Blobs.set(body, blobs);
  }
  return blobs;
}

/** A whole small stream as text: the opening instruction, base64 blobs, `end`. */
function streamText(stream: number, open: string, body: Buffer): string {
  let text = open;
  for (const blob of blobsOf(body)) text += encodeInstruction('blob', stream, blob);
  return text + encodeInstruction('end', stream);
}

export class DisplayWriter {
  private tail: Promise<void> = Promise.resolve();
  /** Tasks queued on `tail` and not finished; 0 means writes may go out at once. */
  private queued = 0;
  private nextStream = 0;
  private failed: Error | null = null;
  /** Bytes handed to the socket (statistics). */
  bytesOut = 0;
  /** Images queued per mimetype (statistics). */
  readonly imagesOut = { 'image/png': 0, 'image/jpeg': 0 };

  /**
   * The viewer announced image/jpeg in its handshake (`image` instruction): photographic
   * regions may go out as JPEG. Off by default: PNG is what every client draws.
   */
  acceptsJpeg = false;

  constructor(
    private readonly out: GuacSocket,
    private readonly onError: (err: Error) => void,
  ) {}

  /** True when photographic regions go to this viewer as JPEG (it accepts it and the encoder is loaded). */
  get lossy(): boolean {
    return this.acceptsJpeg && jpegAvailable();
  }

  /**
   * Queues a framebuffer region at (x, y): `rect` + `cfill` if it is one colour, else JPEG if
   * the viewer takes it and the region looks photographic, PNG otherwise; `lossless`: never
   * JPEG (a refresh of lossy pixels). Other viewers may need the same region unchanged
   * (catch-up frames): `shared` hands out what was encoded for one of them; `pixels` is called
   * only on first use and returns a snapshot of the region, which goes back to the buffer pool
   * once encoded. Returns the format chosen, so the caller can track what is lossy on the client.
   */
  sharedImage(
    shared: SharedEncodes,
    x: number,
    y: number,
    width: number,
    height: number,
    pixels: () => PixelSource,
    lossless = false,
  ): RegionEncode['format'] | null {
    if (width === 0 || height === 0) return null;
    const lossy = !lossless && this.lossy;
    const e = shared.take(lossy, x, y, width, height, () => encodeRegion(pixels(), lossy));
    this.draw(x, y, width, height, e);
    return e.format;
  }

  /** Queues a region as it was encoded (see RegionEncoder): a fill, JPEG or PNG. */
  draw(x: number, y: number, width: number, height: number, e: RegionEncode): void {
    if (e.format === 'fill') this.fill(x, y, width, height, e.colour);
    else this.img(e.format === 'jpeg' ? 'image/jpeg' : 'image/png', x, y, e.body, DEFAULT_LAYER, COMPOSITE_OVER);
  }

  /** Queues an encoded (or being encoded) PNG, e.g. one shared by several viewers. */
  png(x: number, y: number, png: Buffer | Promise<Buffer>, layer = DEFAULT_LAYER, mask = COMPOSITE_OVER): void {
    this.img('image/png', x, y, png, layer, mask);
  }

  private img(mimetype: 'image/png' | 'image/jpeg', x: number, y: number, body: Buffer | Promise<Buffer>, layer: number, mask: number): void {
    if (layer === DEFAULT_LAYER) this.imagesOut[mimetype]++;
    const stream = this.stream();
    const open = encodeInstruction('img', stream, mask, layer, mimetype, x, y);
    if (Buffer.isBuffer(body) && body.length <= IMMEDIATE_BYTES && this.immediate) {
      this.writeNow(streamText(stream, open, body));
      return;
    }
    if (!Buffer.isBuffer(body)) body.catch(() => undefined); // reported through the queue, not as an unhandled rejection
    this.enqueue(async () => this.sendStream(stream, open, await body));
  }

  /** An opaque area of one colour (0xRRGGBB), as guacd draws one: the path `rect`, then `cfill`. */
  fill(x: number, y: number, width: number, height: number, colour: number): void {
    this.text(
      encodeInstruction('rect', DEFAULT_LAYER, x, y, width, height) +
        encodeInstruction('cfill', COMPOSITE_OVER, DEFAULT_LAYER, colour >> 16, (colour >> 8) & 0xff, colour & 0xff, 255),
    );
  }

  copy(srcX: number, srcY: number, width: number, height: number, x: number, y: number): void {
    this.text(encodeInstruction('copy', DEFAULT_LAYER, srcX, srcY, width, height, COMPOSITE_OVER, DEFAULT_LAYER, x, y));
  }

  size(width: number, height: number): void {
    this.text(encodeInstruction('size', DEFAULT_LAYER, width, height));
  }

  /** The pointer image (RGBA) with its hotspot, drawn by the client. */
  cursor(hotX: number, hotY: number, width: number, height: number, rgba: Buffer): void {
    if (width === 0 || height === 0) {
      // A hidden pointer: one transparent pixel.
      width = 1;
      height = 1;
      rgba = Buffer.alloc(4);
      hotX = 0;
      hotY = 0;
    }
    this.text(encodeInstruction('size', CURSOR_BUFFER, width, height));
    this.png(0, 0, pngBody({ data: rgba, width, height, alpha: true }), CURSOR_BUFFER, COMPOSITE_SRC);
    this.text(encodeInstruction('cursor', hotX, hotY, CURSOR_BUFFER, 0, 0, width, height));
  }

  /** Remote clipboard text to the client as a `clipboard` stream. */
  clipboard(text: string): void {
    const stream = this.stream();
    this.enqueue(() => this.sendStream(stream, encodeInstruction('clipboard', stream, 'text/plain'), Buffer.from(text, 'utf8')));
  }

  /** Any pre-encoded instruction(s), in order with the drawing. */
  text(instruction: string): void {
    if (this.immediate) this.writeNow(instruction);
    else this.enqueue(() => this.write(instruction));
  }

  /**
   * Queues `sync`; resolves once it (and everything before it) has been written. A frame
   * written at once is flushed to the socket here rather than on the next tick.
   */
  sync(timestamp: number, logicalFrames: number): Promise<void> {
    // guacd 1.5+: `sync,<timestamp>,<frames>`, the server frames this one combines; clients
    // (guacamole-common-js' display statistics) count the server's frame rate from it.
    const instruction = encodeInstruction('sync', timestamp, logicalFrames);
    if (this.immediate) {
      this.writeNow(instruction);
      this.out.flush();
      return Promise.resolve();
    }
    this.enqueue(() => this.write(instruction));
    return this.tail;
  }

  /** Nothing is queued and the socket takes more: a write now keeps the order. */
  private get immediate(): boolean {
    return this.queued === 0 && this.failed === null && this.out.open && !this.out.needsDrain;
  }

  private writeNow(text: string): void {
    this.bytesOut += text.length;
    this.out.write(text);
  }

  private stream(): number {
    const s = this.nextStream;
    this.nextStream = (this.nextStream + 1) % STREAMS;
    return s;
  }

  private async write(text: string): Promise<void> {
    this.bytesOut += text.length;
    if (!this.out.write(text)) await this.out.drained();
  }

  private enqueue(task: () => Promise<void>): void {
    this.queued++;
    this.tail = this.tail.then(async () => {
      try {
        if (this.failed || !this.out.open) return;
        await task();
      } catch (err) {
        this.failed = err as Error;
        this.onError(this.failed);
      } finally {
        this.queued--;
      }
    });
  }

  /** The opening instruction, the body as base64 blobs, then `end`. */
  private async sendStream(stream: number, open: string, body: Buffer): Promise<void> {
    if (body.length <= IMMEDIATE_BYTES) {
      await this.write(streamText(stream, open, body));
      return;
    }
    let text = open;
    for (const blob of blobsOf(body)) {
      text += encodeInstruction('blob', stream, blob);
      // Hand large bodies to the socket piecewise so memory stays bounded under backpressure.
      if (text.length >= 64 * 1024) {
        await this.write(text);
        text = '';
      }
    }
    await this.write(text + encodeInstruction('end', stream));
  }
}
