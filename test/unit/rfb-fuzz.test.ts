// Fuzzing the RFB side with a fixed seed and a time bound: random and truncated server bytes
// must end in a clean RfbProtocolError/RfbAuthError or simply "need more data" — never another
// exception, never a hang.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ByteQueue } from '../../src-main/rfb/byte-queue';
import { createDecoders } from '../../src-main/rfb/decoders';
import { Encoding } from '../../src-main/rfb/encodings';
import { RfbAuthError, RfbProtocolError } from '../../src-main/rfb/errors';
import { RfbHandshake } from '../../src-main/rfb/handshake';
import { RGBX_FORMAT } from '../../src-main/rfb/pixel-format';
import { ServerMessageReader } from '../../src-main/rfb/server-messages';
import { rng } from './rfb-decoders.test';

const BUDGET_MS = 2_500;
const clean = (err: unknown): boolean => err instanceof RfbProtocolError || err instanceof RfbAuthError;

/** Feeds bytes; resolves to 'ok', 'incomplete' or the error; a stuck decode fails the test. */
async function feed(bytes: Buffer, width: number, height: number): Promise<unknown> {
  const reader = new ServerMessageReader(createDecoders(), { pixelFormat: RGBX_FORMAT, width, height });
  const q = new ByteQueue();
  try {
    q.push(bytes);
    for (let rounds = 0; rounds < 100_000; rounds++) {
      reader.read(q);
      const pending = reader.pending();
      if (!pending) return q.length === 0 ? 'ok' : 'incomplete';
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([pending, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('async decode hung')), 2_000)))]);
      clearTimeout(timer);
    }
    throw new Error('reader made no progress');
  } catch (err) {
    return err;
  } finally {
    reader.dispose();
  }
}

function header(encoding: number, w: number, h: number, x = 0, y = 0): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt16BE(1, 2); // FramebufferUpdate with one rect
  b.writeUInt16BE(x, 4);
  b.writeUInt16BE(y, 6);
  b.writeUInt16BE(w, 8);
  b.writeUInt16BE(h, 10);
  b.writeInt32BE(encoding, 12);
  return b;
}

describe('RFB decoders under random input', () => {
  it('random bodies for every encoding end cleanly', async () => {
    const r = rng(0xdaa5);
    const encodings = [Encoding.Raw, Encoding.CopyRect, Encoding.Hextile, Encoding.ZRLE, Encoding.Cursor, Encoding.DesktopSize, Encoding.ExtendedDesktopSize, Encoding.LastRect, 12345];
    const deadline = Date.now() + BUDGET_MS;
    let runs = 0;
    while (Date.now() < deadline) {
      const enc = encodings[Math.floor(r() * encodings.length)]!;
      const w = Math.floor(r() * 80);
      const h = Math.floor(r() * 80);
      const body = Buffer.from(Array.from({ length: Math.floor(r() * 3000) }, () => Math.floor(r() * 256)));
      // ZRLE bodies get a plausible length prefix so the zlib path is reached.
      if (enc === Encoding.ZRLE && body.length > 4) body.writeUInt32BE(body.length - 4, 0);
      const result = await feed(Buffer.concat([header(enc, w, h, Math.floor(r() * 40), Math.floor(r() * 40)), body]), 100, 100);
      assert.ok(result === 'ok' || result === 'incomplete' || clean(result), `encoding ${enc}: ${String(result)}`);
      runs++;
    }
    assert.ok(runs > 50, `ran ${runs} cases`);
  });

  it('random message streams end cleanly', async () => {
    const r = rng(42);
    const deadline = Date.now() + BUDGET_MS;
    while (Date.now() < deadline) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(r() * 500) }, () => Math.floor(r() * (r() < 0.5 ? 4 : 256))));
      const result = await feed(bytes, 64, 64);
      assert.ok(result === 'ok' || result === 'incomplete' || clean(result), String(result));
    }
  });

  it('truncated valid rects yield no rect until complete, then exactly one', () => {
    const body = Buffer.alloc(8 * 8 * 4, 7);
    const full = Buffer.concat([header(Encoding.Raw, 8, 8), body]);
    for (let cut = 0; cut <= full.length; cut++) {
      const reader = new ServerMessageReader(createDecoders(), { pixelFormat: RGBX_FORMAT, width: 64, height: 64 });
      const q = new ByteQueue();
      q.push(full.subarray(0, cut));
      const rects = reader.read(q).filter((e) => e.type === 'rect').length;
      assert.equal(rects, cut === full.length ? 1 : 0, `cut at ${cut}`);
      reader.dispose();
    }
  });

  it('the handshake survives random server bytes', () => {
    const r = rng(7);
    const deadline = Date.now() + BUDGET_MS / 2;
    while (Date.now() < deadline) {
      const prefix = r() < 0.7 ? Buffer.from(`RFB 003.00${[3, 7, 8][Math.floor(r() * 3)]}\n`) : Buffer.alloc(0);
      const rest = Buffer.from(Array.from({ length: Math.floor(r() * 200) }, () => Math.floor(r() * (r() < 0.5 ? 3 : 256))));
      const q = new ByteQueue();
      q.push(Buffer.concat([prefix, rest]));
      try {
        new RfbHandshake({ password: 'pw' }).advance(q);
      } catch (err) {
        assert.ok(clean(err), String(err));
      }
    }
  });
});
