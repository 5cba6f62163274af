// Turns screen changes into Guacamole drawing instructions for the default layer, strictly
// in the order they happened: images encode in parallel, but a `copy` queued after an
// image is only sent once that image is out (the client copies what it already has).
import { encodeInstruction } from '../guacamole/protocol';
import { encodePng, PixelSource } from '../image/png-encoder';
import { GuacSocket } from './guac-socket';

/** Layer 0 is the visible default layer. */
const DEFAULT_LAYER = 0;
/** guacd draws opaque images with GUAC_COMP_OVER (0xE). */
const COMPOSITE_OVER = 0xe;
/** Raw bytes per `blob`: 4608 bytes is 6144 base64 characters (6 KB). */
const BLOB_BYTES = 4608;

export class DisplayWriter {
  private tail: Promise<void> = Promise.resolve();
  private nextStream = 0;
  private failed: Error | null = null;

  constructor(
    private readonly out: GuacSocket,
    private readonly onError: (err: Error) => void,
  ) {}

  /** Queues an image of opaque pixels at (x, y). The pixel buffer must not change afterwards. */
  image(x: number, y: number, pixels: PixelSource): void {
    if (pixels.width === 0 || pixels.height === 0) return;
    const png = encodePng(pixels);
    png.catch(() => undefined); // reported through the queue, not as an unhandled rejection
    this.enqueue(async () => this.sendImage(x, y, await png));
  }

  copy(srcX: number, srcY: number, width: number, height: number, x: number, y: number): void {
    this.enqueueText(encodeInstruction('copy', DEFAULT_LAYER, srcX, srcY, width, height, COMPOSITE_OVER, DEFAULT_LAYER, x, y));
  }

  size(width: number, height: number): void {
    this.enqueueText(encodeInstruction('size', DEFAULT_LAYER, width, height));
  }

  /** Queues `sync`; resolves once it (and everything before it) has been written. */
  sync(timestamp: number): Promise<void> {
    this.enqueueText(encodeInstruction('sync', timestamp));
    return this.tail;
  }

  private enqueueText(text: string): void {
    this.enqueue(async () => {
      if (!this.out.write(text)) await this.out.drained();
    });
  }

  private enqueue(task: () => Promise<void>): void {
    this.tail = this.tail.then(async () => {
      if (this.failed || !this.out.open) return;
      try {
        await task();
      } catch (err) {
        this.failed = err as Error;
        this.onError(this.failed);
      }
    });
  }

  private async sendImage(x: number, y: number, png: Buffer): Promise<void> {
    // One image at a time goes out, so a small rotating index never collides.
    const stream = this.nextStream;
    this.nextStream = (this.nextStream + 1) % 64;
    let text = encodeInstruction('img', stream, COMPOSITE_OVER, DEFAULT_LAYER, 'image/png', x, y);
    for (let off = 0; off < png.length; off += BLOB_BYTES) {
      text += encodeInstruction('blob', stream, png.toString('base64', off, Math.min(png.length, off + BLOB_BYTES)));
      // Hand large images to the socket piecewise so memory stays bounded under backpressure.
      if (text.length >= 64 * 1024) {
        if (!this.out.write(text)) await this.out.drained();
        text = '';
      }
    }
    text += encodeInstruction('end', stream);
    if (!this.out.write(text)) await this.out.drained();
  }
}
