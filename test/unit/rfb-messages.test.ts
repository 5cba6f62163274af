import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AwaitableQueue } from '../../src-main/rfb/awaitable-queue';
import { ByteQueue } from '../../src-main/rfb/byte-queue';
import * as msg from '../../src-main/rfb/client-messages';
import { createDecoders } from '../../src-main/rfb/decoders';
import { RfbAuthError, RfbProtocolError } from '../../src-main/rfb/errors';
import { parseServerInit, RfbHandshake } from '../../src-main/rfb/handshake';
import { RGBX_FORMAT } from '../../src-main/rfb/pixel-format';
import { ServerEvent, ServerMessageReader } from '../../src-main/rfb/server-messages';
import { desEncryptEcb, vncAuthResponse } from '../../src-main/rfb/vnc-auth';
import { rectHeader, serverInit as serverInitBytes } from '../helpers/hostile-rfb-server';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');

/** Deterministic pseudo-random split points, so failures reproduce. */
function* fragments(data: Buffer, seed: number): Generator<Buffer> {
  let s = seed;
  for (let i = 0; i < data.length; ) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const n = 1 + (s % 7 === 0 ? s % 5000 : s % 13);
    yield data.subarray(i, i + n);
    i += n;
  }
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** Runs a handshake over the whole server byte stream, split into fragments. */
function runHandshake(server: Buffer, hs: RfbHandshake, seed: number) {
  const q = new ByteQueue();
  const sent: Buffer[] = [];
  let init;
  for (const f of fragments(server, seed)) {
    q.push(f);
    const p = hs.advance(q);
    sent.push(...p.send);
    if (p.serverInit) init = p.serverInit;
  }
  return { sent: Buffer.concat(sent), init, left: q.length };
}

describe('VNC authentication (DES)', () => {
  it('single DES via 3DES-EDE matches the textbook vector', () => {
    assert.equal(desEncryptEcb(hex('133457799bbcdff1'), hex('0123456789abcdef')).toString('hex'), '85e813540f0ab405');
  });

  // Expected values computed with `openssl enc -des-ecb -provider legacy -nopad` and the
  // bit-reversed key, independently of this code.
  it('answers challenges like the reference DES', () => {
    assert.equal(
      vncAuthResponse('password', hex('000102030405060708090a0b0c0d0e0f')).toString('hex'),
      'b866924125c8eebb9debc1db61c538e2',
    );
    assert.equal(
      vncAuthResponse('secret12345', hex('ffeeddccbbaa99887766554433221100')).toString('hex'),
      '08618f682ecb37b050209269cde176f2',
      'only the first 8 characters count',
    );
    assert.equal(
      vncAuthResponse('ab', hex('ffeeddccbbaa99887766554433221100')).toString('hex'),
      '857d0c0a27d67b209daa03952f48bf11',
      'short passwords are zero-padded',
    );
  });
});

describe('RFB handshake', () => {
  it('parses ServerInit fed in fragments', () => {
    const bytes = serverInitBytes(1280, 800, 'desk:1 — ünïcode');
    for (let cut = 0; cut <= bytes.length; cut++) {
      const q = new ByteQueue();
      q.push(bytes.subarray(0, cut));
      const early = parseServerInit(q);
      if (cut < bytes.length) assert.equal(early, null);
      q.push(bytes.subarray(cut));
      const init = early ?? parseServerInit(q);
      assert.deepEqual(init, { width: 1280, height: 800, pixelFormat: RGBX_FORMAT, name: 'desk:1 — ünïcode' });
      assert.equal(q.length, 0);
    }
  });

  it('refuses a ServerInit above the size limits (16384 a side, 8192x4096 pixels in all)', () => {
    for (const [w, h] of [[32767, 32767], [16385, 16], [8193, 4096]] as const) {
      const q = new ByteQueue();
      q.push(serverInitBytes(w, h, 'huge'));
      assert.throws(() => parseServerInit(q), new RegExp(`ServerInit announces a ${w}x${h} desktop`));
    }
    const q = new ByteQueue();
    q.push(serverInitBytes(7680, 4320, '8k'));
    assert.equal(parseServerInit(q)?.width, 7680, 'an 8K UHD desktop fits');
  });

  it('3.8: prefers None when offered', () => {
    const server = Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([2, 2, 1])]);
    const r = runHandshake(server, new RfbHandshake({ password: 'password' }), 1);
    assert.equal(r.sent.toString('latin1'), 'RFB 003.008\n\x01');
  });

  it('3.8 with VNC Authentication', () => {
    const challenge = hex('000102030405060708090a0b0c0d0e0f');
    const authOnly = Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([1, 2]), challenge, u32(0), serverInitBytes(320, 240, 'x')]);
    for (let seed = 1; seed < 40; seed++) {
      const r = runHandshake(authOnly, new RfbHandshake({ password: 'password' }), seed);
      assert.equal(
        r.sent.toString('hex'),
        Buffer.from('RFB 003.008\n').toString('hex') + '02' + 'b866924125c8eebb9debc1db61c538e2' + '01',
      );
      assert.equal(r.init?.width, 320);
      assert.equal(r.left, 0);
    }
  });

  it('without a password, waits at the challenge for one when asked to prompt (guacd\'s `required`), else refuses', () => {
    const challenge = hex('000102030405060708090a0b0c0d0e0f');
    const server = Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([1, 2]), challenge, u32(0), serverInitBytes(320, 240, 'x')]);
    assert.throws(() => runHandshake(server, new RfbHandshake(), 1), /requires a password/);
    const hs = new RfbHandshake({ promptForPassword: true });
    const q = new ByteQueue();
    q.push(server);
    const before = hs.advance(q);
    assert.ok(hs.awaitingPassword);
    assert.equal(before.serverInit, undefined);
    assert.equal(Buffer.concat(before.send).toString('latin1'), 'RFB 003.008\n\x02');
    hs.supplyPassword('password');
    const after = hs.advance(q);
    assert.equal(Buffer.concat(after.send).toString('hex'), 'b866924125c8eebb9debc1db61c538e2' + '01');
    assert.equal(after.serverInit?.width, 320);
  });

  it('answers a 3.3 server with 3.3 (server-chosen security type)', () => {
    const server = Buffer.concat([Buffer.from('RFB 003.003\n'), u32(1), serverInitBytes(8, 8, '')]);
    const r = runHandshake(server, new RfbHandshake(), 3);
    assert.equal(r.sent.toString('latin1'), 'RFB 003.003\n\x01');
    assert.equal(r.init?.height, 8);
  });

  it('answers a 3.7 server with 3.7 (no SecurityResult for None)', () => {
    const server = Buffer.concat([Buffer.from('RFB 003.007\n'), Buffer.from([1, 1]), serverInitBytes(8, 8, '')]);
    const r = runHandshake(server, new RfbHandshake(), 4);
    assert.equal(r.sent.toString('latin1'), 'RFB 003.007\n\x01\x01');
    assert.ok(r.init);
  });

  it('turns an authentication failure into RfbAuthError with the server reason', () => {
    const reason = 'Authentication failed';
    const server = Buffer.concat([
      Buffer.from('RFB 003.008\n'),
      Buffer.from([1, 2]),
      Buffer.alloc(16),
      u32(1),
      u32(reason.length),
      Buffer.from(reason),
    ]);
    assert.throws(
      () => runHandshake(server, new RfbHandshake({ password: 'wrong' }), 5),
      (err: unknown) => err instanceof RfbAuthError && err.reason === reason && !err.tooManyAttempts,
    );
  });

  it('reports a refused connection (zero security types) with its reason', () => {
    const reason = 'Too many security failures';
    const server = Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([0]), u32(reason.length), Buffer.from(reason)]);
    assert.throws(
      () => runHandshake(server, new RfbHandshake({ password: 'x' }), 6),
      (err: unknown) => err instanceof RfbAuthError && err.reason === reason && err.tooManyAttempts,
    );
  });

  it('rejects a non-VNC banner', () => {
    assert.throws(() => runHandshake(Buffer.from('SSH-2.0-Open\n'), new RfbHandshake(), 7), RfbProtocolError);
  });

  it('for a relay, ends once authenticated: no ClientInit, and what follows stays queued', () => {
    const challenge = hex('000102030405060708090a0b0c0d0e0f');
    const after = serverInitBytes(320, 240, 'x');
    const server = Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([1, 2]), challenge, u32(0), after]);
    for (let seed = 1; seed < 20; seed++) {
      const hs = new RfbHandshake({ password: 'password', untilAuthenticated: true });
      const r = runHandshake(server, hs, seed);
      assert.equal(r.sent.toString('hex'), Buffer.from('RFB 003.008\n').toString('hex') + '02' + 'b866924125c8eebb9debc1db61c538e2');
      assert.ok(hs.done);
      assert.equal(r.init, undefined);
      assert.equal(r.left, after.length, 'the ServerInit is the relayed client\'s to read');
    }
    const none37 = new RfbHandshake({ untilAuthenticated: true });
    const r = runHandshake(Buffer.concat([Buffer.from('RFB 003.007\n'), Buffer.from([1, 1])]), none37, 2);
    assert.equal(r.sent.toString('latin1'), 'RFB 003.007\n\x01');
    assert.ok(none37.done);
  });
});

describe('AwaitableQueue (handshakes read step by step: the Proxmox console bridge)', () => {
  it('reads exact lengths across chunks and fails pending reads', async () => {
    const r = new AwaitableQueue();
    const first = r.read(5);
    r.push(Buffer.from('RF'));
    r.push(Buffer.from('B 00'));
    assert.equal((await first).toString(), 'RFB 0');
    assert.equal(r.drain().toString(), '0');
    const pending = r.read(3);
    r.fail(new Error('closed'));
    await assert.rejects(pending, /closed/);
    await assert.rejects(r.read(1), /closed/);
  });

  it('runs a push parser until it completes, and rejects with what it throws', async () => {
    const r = new AwaitableQueue();
    const hs = new RfbHandshake({ untilAuthenticated: true });
    const sent: Buffer[] = [];
    const done = r.until((q) => {
      sent.push(...hs.advance(q).send);
      return hs.done || null;
    });
    for (const b of fragments(Buffer.from('RFB 003.008\n\x01\x01\x00\x00\x00\x00'), 3)) r.push(b);
    assert.equal(await done, true);
    assert.equal(Buffer.concat(sent).toString('latin1'), 'RFB 003.008\n\x01');
    const bad = new AwaitableQueue();
    bad.push(Buffer.from('SSH-2.0-OpenSSH\n'));
    await assert.rejects(bad.until((q) => (new RfbHandshake().advance(q), null)), RfbProtocolError);
  });

  it('fails a peer that floods past its cap, and drops what it held', async () => {
    const r = new AwaitableQueue(16);
    const pending = r.read(32);
    r.push(Buffer.alloc(10));
    r.push(Buffer.alloc(10));
    await assert.rejects(pending, /more than 16 bytes/);
    assert.ok(r.failed);
    assert.equal(r.queue.length, 0);
  });
});

describe('server messages', () => {
  const W = 16;
  const H = 8;
  const raw = Buffer.alloc(3 * 2 * 4);
  for (let i = 0; i < raw.length; i++) raw[i] = i;
  const cutText = 'héllo';
  const stream = Buffer.concat([
    Buffer.from([0, 0, 0, 3]), // FramebufferUpdate, 3 rects
    rectHeader(1, 2, 3, 2, 0),
    raw,
    rectHeader(4, 4, 5, 3, 1),
    Buffer.from([0, 0, 0, 1]), // CopyRect from (0, 1)
    rectHeader(0, 0, 20, 10, -223), // DesktopSize 20x10
    Buffer.from([2]), // Bell
    Buffer.from([3, 0, 0, 0]),
    u32(Buffer.byteLength(cutText, 'latin1')),
    Buffer.from(cutText, 'latin1'),
    Buffer.from([0, 0, 0, 1]), // an update only valid at the new size
    rectHeader(18, 9, 2, 1, 0),
    Buffer.alloc(8, 0xab),
  ]);

  const expected: ServerEvent[] = [
    { type: 'update-start', rects: 3 },
    { type: 'rect', rect: { kind: 'pixels', x: 1, y: 2, width: 3, height: 2, data: raw } },
    { type: 'rect', rect: { kind: 'copy', x: 4, y: 4, width: 5, height: 3, srcX: 0, srcY: 1 } },
    { type: 'rect', rect: { kind: 'resize', width: 20, height: 10 } },
    { type: 'update-end' },
    { type: 'bell' },
    { type: 'cut-text', bytes: Buffer.from(cutText, 'latin1') },
    { type: 'update-start', rects: 1 },
    { type: 'rect', rect: { kind: 'pixels', x: 18, y: 9, width: 2, height: 1, data: Buffer.alloc(8, 0xab) } },
    { type: 'update-end' },
  ];

  const newReader = () => new ServerMessageReader(createDecoders(), { pixelFormat: RGBX_FORMAT, width: W, height: H });

  it('decodes Raw, CopyRect and DesktopSize split at every position', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const reader = newReader();
      const q = new ByteQueue();
      q.push(stream.subarray(0, cut));
      const events = reader.read(q);
      q.push(stream.subarray(cut));
      events.push(...reader.read(q));
      assert.deepEqual(events, expected, `split at ${cut}`);
    }
  });

  it('decodes the stream fed in random fragments and byte by byte', () => {
    for (let seed = 1; seed < 30; seed++) {
      const reader = newReader();
      const q = new ByteQueue();
      const events: ServerEvent[] = [];
      for (const f of fragments(stream, seed)) {
        q.push(f);
        events.push(...reader.read(q));
      }
      assert.deepEqual(events, expected);
    }
    const reader = newReader();
    const q = new ByteQueue();
    const events: ServerEvent[] = [];
    for (const byte of stream) {
      q.push(Buffer.from([byte]));
      events.push(...reader.read(q));
    }
    assert.deepEqual(events, expected);
  });

  it('skips a cut text over 256 KiB as it streams in, and hands over an Extended Clipboard message by its length', () => {
    const reader = newReader();
    const q = new ByteQueue();
    const events: ServerEvent[] = [];
    let held = 0;
    const big = 300 * 1024;
    q.push(Buffer.concat([Buffer.from([3, 0, 0, 0]), u32(big)]));
    for (let sent = 0; sent < big; sent += 16 * 1024) {
      q.push(Buffer.alloc(Math.min(16 * 1024, big - sent), 0x61));
      events.push(...reader.read(q));
      held = Math.max(held, q.length);
    }
    // Extended Clipboard (a negative S32 length): 12 bytes handed over whole, then the bell.
    q.push(Buffer.concat([Buffer.from([3, 0, 0, 0]), u32(0x100000000 - 12), Buffer.alloc(12, 0xff), Buffer.from([2])]));
    events.push(...reader.read(q));
    assert.deepEqual(events, [{ type: 'extended-cut-text', payload: Buffer.alloc(12, 0xff) }, { type: 'bell' }]);
    assert.equal(held, 0, 'nothing of the big cut text stays buffered');
  });

  it('rejects rects outside the framebuffer and unknown messages', () => {
    const q = new ByteQueue();
    q.push(Buffer.concat([Buffer.from([0, 0, 0, 1]), rectHeader(10, 0, 10, 1, 0)]));
    assert.throws(() => newReader().read(q), RfbProtocolError);
    const q2 = new ByteQueue();
    q2.push(Buffer.from([0, 0, 0, 1, ...rectHeader(0, 0, 1, 1, 7)]));
    assert.throws(() => newReader().read(q2), /encoding 7/);
    const q3 = new ByteQueue();
    q3.push(Buffer.from([99]));
    assert.throws(() => newReader().read(q3), /unknown server message/);
  });
});

describe('client messages', () => {
  it('encodes input events', () => {
    assert.equal(msg.pointerEvent(5, 300, 70000).toString('hex'), '0505012cffff');
    assert.equal(msg.keyEvent(true, 0xff0d).toString('hex'), '040100000000ff0d');
    assert.equal(msg.framebufferUpdateRequest(true, 0, 0, 320, 240).toString('hex'), '03010000000001400' + '0f0');
    assert.equal(msg.setEncodings([1, 0, -223]).toString('hex'), '0200000300000001' + '00000000' + 'ffffff21');
    assert.equal(msg.setPixelFormat(RGBX_FORMAT).toString('hex'), '00000000' + '2018000100ff00ff00ff000810000000');
  });
});
