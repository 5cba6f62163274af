import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeClipboard, encodeClipboard } from '../../src-main/display/vnc/clipboard';
import { DirtyRegion } from '../../src-main/display/gateway/dirty-region';
import { FramePacer } from '../../src-main/display/gateway/frame-pacer';
import { Encoding, encodingList, parseEncodings } from '../../src-main/rfb/encodings';

describe('dirty region', () => {
  it('merges overlapping and nearby rects, keeps distant ones apart, clips to the screen', () => {
    const d = new DirtyRegion();
    d.add({ x: 0, y: 0, width: 10, height: 10 });
    d.add({ x: 5, y: 5, width: 10, height: 10 }); // overlaps
    d.add({ x: 16, y: 0, width: 4, height: 4 }); // close: cheaper as one image
    d.add({ x: 500, y: 500, width: 8, height: 8 }); // far away
    d.add({ x: 790, y: 590, width: 50, height: 50 }); // crosses the edge
    assert.deepEqual(d.take(800, 600), [
      { x: 0, y: 0, width: 20, height: 15 },
      { x: 500, y: 500, width: 8, height: 8 },
      { x: 790, y: 590, width: 10, height: 10 },
    ]);
    assert.ok(d.empty);
  });

  it('collapses to one bounding box when there are too many rects', () => {
    const d = new DirtyRegion();
    for (let i = 0; i < 40; i++) d.add({ x: i * 100, y: (i % 2) * 1000, width: 2, height: 2 });
    const rects = d.take(10_000, 10_000);
    assert.ok(rects.length <= 32);
  });
});

describe('clipboard encodings', () => {
  it('Latin-1 carries what it can and replaces the rest', () => {
    assert.deepEqual([...encodeClipboard('aé€😀', 'ISO8859-1')], [0x61, 0xe9, 0x3f, 0x3f]);
    assert.equal(decodeClipboard(Buffer.from([0x61, 0xe9]), 'ISO8859-1'), 'aé');
  });
  it('CP1252 maps the 0x80..0x9F block; UTF-8 and UTF-16 are lossless', () => {
    assert.deepEqual([...encodeClipboard('€“', 'CP1252')], [0x80, 0x93]);
    assert.equal(decodeClipboard(Buffer.from([0x80, 0x93]), 'CP1252'), '€“');
    for (const enc of ['UTF-8', 'UTF-16'] as const) assert.equal(decodeClipboard(encodeClipboard('日本 😀', enc), enc), '日本 😀');
  });
});

describe('encodings setting', () => {
  it('reads guacd\'s space-separated names, skipping ones we do not decode', () => {
    assert.deepEqual(parseEncodings('zrle ultra copyrect hextile zlib corre rre raw'), [Encoding.ZRLE, Encoding.CopyRect, Encoding.Hextile, Encoding.Raw]);
    assert.deepEqual(parseEncodings('hextile'), [Encoding.Hextile]);
    assert.ok(parseEncodings('').length > 0);
    // Inherited property names are not encodings (they used to come back as functions).
    assert.ok(parseEncodings('constructor toString __proto__').every((n) => typeof n === 'number'));
    // Unset: Raw first for a server on this machine (free to encode and move), ZRLE across a network.
    assert.equal(parseEncodings('', true)[1], Encoding.Raw, 'a VNC server on this machine');
    assert.equal(parseEncodings(undefined, false)[1], Encoding.ZRLE, 'a VNC server elsewhere');
    const list = encodingList([Encoding.Hextile], { cursor: true });
    assert.equal(list[0], Encoding.Hextile, 'the forced encoding is preferred');
    for (const e of [Encoding.ExtendedDesktopSize, Encoding.DesktopSize, Encoding.LastRect, Encoding.Cursor]) assert.ok(list.includes(e));
    assert.ok(!encodingList([Encoding.Raw], { cursor: false }).includes(Encoding.Cursor));
  });
});

describe('frame pacing', () => {
  it('allows two unacknowledged frames, then waits for an answer or the timeout', async () => {
    let readyCalls = 0;
    let clock = 1_000;
    const pacer = new FramePacer(() => readyCalls++, 60, () => clock);
    const send = (): number => {
      const ts = pacer.nextTimestamp();
      pacer.frameQueued();
      pacer.frameWritten();
      return ts;
    };
    const a = send();
    assert.equal(pacer.ready, true, 'one frame in flight');
    const b = send();
    assert.ok(b > a, 'timestamps strictly increase');
    assert.equal(pacer.ready, false, 'two frames in flight');
    pacer.acknowledge(a - 1);
    assert.equal(pacer.ready, false, 'an older timestamp acknowledges nothing');
    pacer.acknowledge(a);
    assert.deepEqual([pacer.ready, readyCalls], [true, 1]);
    send();
    assert.equal(pacer.ready, false);
    pacer.acknowledge(Number.MAX_SAFE_INTEGER); // the latest answer covers every earlier frame
    assert.deepEqual([pacer.ready, readyCalls], [true, 2]);
    pacer.acknowledge(send());
    assert.deepEqual([pacer.ready, readyCalls], [true, 2], 'no ready call when it was ready already');
    send();
    send();
    clock += 10;
    await new Promise((r) => setTimeout(r, 120));
    assert.deepEqual([pacer.ready, readyCalls], [true, 3], 'released by the timeout');
    pacer.stop();
  });
});
