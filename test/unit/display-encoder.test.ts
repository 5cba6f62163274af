// The encoder's small forms (issue 14, idle cost): an area of one colour goes out as `rect` +
// `cfill`, an area of at most 256 colours as a palette PNG of 1, 2, 4 or 8 bits a pixel, and
// both draw exactly the pixels they were made from.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { DisplayWriter } from '../../src-main/display/gateway/display-writer';
import { GuacSocket } from '../../src-main/display/gateway/guac-socket';
import { SharedEncodes } from '../../src-main/display/gateway/shared-encodes';
import { GuacamoleParser } from '../../src-main/display/guacamole/protocol';
import { encodeIndexed, encodePng, encodePngNow, pngBody } from '../../src-main/display/image/png-encoder';
import { solidColour } from '../../src-main/display/image/solid-colour';
import { GuacCanvas } from '../helpers/guac-canvas';
import { decodePng } from '../helpers/png';

/** A GuacSocket stand-in that keeps what is written. */
function recordingSocket(): { socket: GuacSocket; text: () => string } {
  let text = '';
  const socket = {
    open: true,
    needsDrain: false,
    write(t: string): boolean {
      text += t;
      return true;
    },
    flush: () => undefined,
    drained: () => Promise.resolve(),
  } as unknown as GuacSocket;
  return { socket, text: () => text };
}

/** R,G,B,X pixels whose colour at (x, y) is `colour(x, y)` (0xRRGGBB). */
function pixels(width: number, height: number, colour: (x: number, y: number) => number): { data: Buffer; width: number; height: number } {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = colour(x, y);
      data.set([c >> 16, (c >> 8) & 0xff, c & 0xff, 0x5a], (y * width + x) * 4); // the X byte is ignored
    }
  }
  return { data, width, height };
}

function assertSamePixels(rgba: Buffer, src: { data: Buffer; width: number; height: number }): void {
  for (let p = 0; p < src.width * src.height; p++) {
    const want = [...src.data.subarray(p * 4, p * 4 + 3), 255];
    assert.deepEqual([...rgba.subarray(p * 4, p * 4 + 4)], want, `pixel ${p % src.width},${Math.floor(p / src.width)}`);
  }
}

/** Draws a framebuffer region with the writer's encoder choice (one viewer, nothing shared). */
function draw(w: DisplayWriter, x: number, y: number, src: { data: Buffer; width: number; height: number }) {
  return w.sharedImage(new SharedEncodes(), x, y, src.width, src.height, () => src);
}

describe('display encoder', () => {
  it('fills an area of one colour with rect + cfill, which draws it exactly', () => {
    const { socket, text } = recordingSocket();
    const w = new DisplayWriter(socket, (err) => assert.fail(err));
    const blue = pixels(300, 200, () => 0x3366cc);
    assert.equal(solidColour(blue), 0x3366cc);
    assert.equal(draw(w, 10, 20, blue), 'fill');
    const instructions = new GuacamoleParser().push(text());
    assert.deepEqual(instructions, [
      ['rect', '0', '10', '20', '300', '200'],
      ['cfill', '14', '0', '51', '102', '204', '255'],
    ]);
    const canvas = new GuacCanvas();
    canvas.apply(['size', '0', '320', '240']);
    for (const ins of instructions) canvas.apply(ins);
    for (let y = 0; y < 240; y++) {
      for (let x = 0; x < 320; x++) {
        const inside = x >= 10 && x < 310 && y >= 20 && y < 220;
        const i = (y * 320 + x) * 4;
        assert.deepEqual([...canvas.rgba.subarray(i, i + 3)], inside ? [0x33, 0x66, 0xcc] : [0, 0, 0], `pixel ${x},${y}`);
      }
    }
  });

  it('one pixel of another colour makes it an image, not a fill', () => {
    const almost = pixels(50, 40, (x, y) => (x === 49 && y === 39 ? 0x3366cd : 0x3366cc));
    assert.equal(solidColour(almost), null);
    const { socket, text } = recordingSocket();
    assert.equal(draw(new DisplayWriter(socket, (err) => assert.fail(err)), 0, 0, almost), 'png');
    assert.equal(new GuacamoleParser().push(text())[0]![0], 'img');
  });

  for (const [colours, depth] of [
    [2, 1],
    [4, 2],
    [16, 4],
    [200, 8],
    [256, 8],
  ] as const) {
    it(`${colours} colours: a palette PNG of ${depth} bit(s) a pixel that decodes to the same pixels`, () => {
      // An odd width, so the last byte of each row is only partly used at depths below 8.
      const src = pixels(37, 23, (x, y) => ((x * 7 + y * 3) % colours) * 0x010305);
      const png = encodePngNow(src)!;
      assert.ok(png, 'small: encoded at once');
      assert.equal(png.readUInt8(24), depth, 'bit depth');
      assert.equal(png.readUInt8(25), 3, 'colour type 3 (palette)');
      assert.equal(png.toString('latin1', 37, 41), 'PLTE');
      assert.equal(png.readUInt32BE(33), colours * 3, 'one palette entry per colour');
      assertSamePixels(decodePng(png).rgba, src);
    });
  }

  for (const offset of [4 * 3, 1]) {
    it(`a region of a wider buffer (${offset % 4 === 0 ? 'aligned: read a word a pixel' : 'unaligned: read byte by byte'}) is a palette PNG of exactly its pixels`, () => {
      // A 50-pixel-wide area at byte `offset` of rows 64 pixels apart, 5 colours (4 bits a pixel).
      const whole = pixels(64, 20, (x, y) => ((x + y) % 5) * 0x203040 + (x > 60 ? 0x010101 : 0));
      const data = Buffer.alloc(whole.data.length + offset);
      whole.data.copy(data, offset);
      const png = encodeIndexed({ data, width: 50, height: 20, stride: 64 * 4, offset })!;
      assert.equal(png.readUInt8(24), 4, 'bit depth 4 for 5 colours');
      const want = pixels(50, 20, (x, y) => ((x + y) % 5) * 0x203040);
      assertSamePixels(decodePng(png).rgba, want);
    });
  }

  it('more than 256 colours: an RGB PNG, exact too', async () => {
    const src = pixels(40, 30, (x, y) => (x * 40 + y) * 0x000101);
    assert.equal(encodeIndexed(src), null);
    const png = await pngBody(src);
    assert.equal(png.readUInt8(25), 2, 'colour type 2 (RGB)');
    assertSamePixels(decodePng(png).rgba, src);
  });

  it('a few-colour area is smaller as a palette PNG than as RGB', async () => {
    // Text-like content: a background, a foreground and two anti-aliasing shades.
    const shades = [0xffffff, 0x000000, 0x808080, 0xc0c0c0];
    const src = pixels(96, 64, (x, y) => shades[(x * x + y * 5) % 11 % 4]!);
    const palette = encodeIndexed(src)!;
    const rgb = await encodePng(src); // the RGB form, as photographic images get it
    assert.equal(rgb.readUInt8(25), 2);
    assert.ok(palette.length < rgb.length / 2, `palette ${palette.length} B vs RGB ${rgb.length} B`);
  });

  it('a large area of few colours (a screen of text) is a palette PNG too, exact, encoded off the event loop', async () => {
    // 1024x600: far above what is compressed synchronously; the full-motion xterm's merged frames.
    const src = pixels(1024, 600, (x, y) => ((x >> 2) + (y >> 3)) % 7 === 0 ? 0x000000 : 0xffffff);
    assert.equal(encodePngNow(src), null, 'too large for the synchronous form');
    const body = pngBody(src);
    assert.ok(body instanceof Promise, 'encoded asynchronously');
    const png = await body;
    assert.equal(png.readUInt8(24), 1, 'bit depth 1 for two colours');
    assert.equal(png.readUInt8(25), 3, 'colour type 3 (palette)');
    assertSamePixels(decodePng(png).rgba, src);
    assert.ok(png.length < (await encodePng(src)).length / 2, 'smaller than RGB');
  });

  it('a large area of more than 256 colours stays RGB, exact', async () => {
    // The palette scan gives up at the 257th colour, late in the image: the RGB form follows.
    const src = pixels(800, 400, (x, y) => (y < 390 ? 0x102030 : (x * 400 + y) * 0x000101));
    const png = await pngBody(src);
    assert.equal(png.readUInt8(25), 2, 'colour type 2 (RGB)');
    assertSamePixels(decodePng(png).rgba, src);
  });
});
