// The standalone gateway (its own process, default limits and watchdog) against a scripted
// hostile VNC server: absurd sizes, truncated and oversized rects, unknown encodings and
// messages, compression bombs, endless cut text, slow-loris and stalls. After each case:
// the hostile viewer was told why with a clear Guacamole status, the gateway process is
// alive, its resident memory grew by less than 100 MiB, and it still serves a real viewer
// against a real Xtigervnc. Also a viewer opening 100 clipboard streams at once.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createDeflate, deflateSync, constants } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { GuacStatus } from '../../src-main/display/gateway/status';
import { Encoding } from '../../src-main/rfb/encodings';
import { ClipAction, ClipFormat, toWireText } from '../../src-main/rfb/extended-clipboard';
import { GatewayCli, startGatewayCli } from '../helpers/gateway-cli';
import { GuacdWireClient } from '../helpers/guacd-wire-client';
import { cutTextHeader, HostileConnection, HostileRfbServer, HostileScript, rectHeader, serverInit, updateHeader } from '../helpers/hostile-rfb-server';
import { startXvnc, XvncServer } from '../helpers/xvnc';

const MEMORY_BOUND = 100 * 1024 * 1024;

interface Case {
  name: string;
  script: HostileScript;
  status: number;
  message: RegExp;
}

/** One update whose single rect is `rect` (header and body). */
const oneRect = (...parts: Buffer[]): Buffer => Buffer.concat([updateHeader(1), ...parts]);
const answer = (bytes: Buffer): HostileScript['onFirstRequest'] => (conn) => conn.send(bytes);

/** A zlib stream as ZRLE carries it: U32 length, then the data ending on a sync flush. */
function zrlePayload(data: Buffer): Buffer {
  const z = deflateSync(data, { finishFlush: constants.Z_SYNC_FLUSH });
  const len = Buffer.alloc(4);
  len.writeUInt32BE(z.length);
  return Buffer.concat([len, z]);
}

/** Deterministic bytes (mulberry32). */
function noise(n: number, seed: number): Buffer {
  let a = seed >>> 0;
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (t ^ (t >>> 14)) & 255;
  }
  return out;
}

const UPSTREAM_ERROR = GuacStatus.UPSTREAM_ERROR;
const UPSTREAM_TIMEOUT = GuacStatus.UPSTREAM_TIMEOUT;

const FAST_CASES: Case[] = [
  { name: 'ServerInit of 32767x32767', script: { width: 32767, height: 32767 }, status: UPSTREAM_ERROR, message: /ServerInit announces a 32767x32767 desktop/ },
  {
    name: 'DesktopSize of 32767x32767',
    script: { onFirstRequest: answer(oneRect(rectHeader(0, 0, 32767, 32767, Encoding.DesktopSize))) },
    status: UPSTREAM_ERROR,
    message: /DesktopSize announces a 32767x32767 desktop/,
  },
  {
    name: 'ExtendedDesktopSize of 16384x16384 (per side allowed, 268 Mpx not)',
    script: { onFirstRequest: answer(oneRect(rectHeader(0, 0, 16384, 16384, Encoding.ExtendedDesktopSize), Buffer.from([1, 0, 0, 0]), Buffer.alloc(16))) },
    status: UPSTREAM_ERROR,
    message: /ExtendedDesktopSize announces a 16384x16384 desktop/,
  },
  {
    name: 'Hextile rect of 10000x10000 in a 64x48 framebuffer',
    script: { onFirstRequest: answer(oneRect(rectHeader(0, 0, 10000, 10000, Encoding.Hextile), Buffer.from([1]))) },
    status: UPSTREAM_ERROR,
    message: /rect 10000x10000\+0\+0 outside 64x48 framebuffer/,
  },
  {
    name: 'Raw rect reaching past the right edge',
    script: { onFirstRequest: answer(oneRect(rectHeader(60, 0, 10, 1, Encoding.Raw), Buffer.alloc(40))) },
    status: UPSTREAM_ERROR,
    message: /outside 64x48 framebuffer/,
  },
  {
    name: 'Raw rect cut short, then the server hangs up',
    script: {
      onFirstRequest: (conn) => {
        conn.send(oneRect(rectHeader(0, 0, 64, 48, Encoding.Raw), Buffer.alloc(1000)));
        setTimeout(() => conn.close(), 100);
      },
    },
    status: UPSTREAM_ERROR,
    message: /closed the connection/,
  },
  {
    name: 'an encoding we never asked for (Tight, 7)',
    script: { onFirstRequest: answer(oneRect(rectHeader(0, 0, 8, 8, 7), Buffer.alloc(64))) },
    status: UPSTREAM_ERROR,
    message: /encoding 7, which we did not ask for/,
  },
  {
    name: 'an unknown server message type (77)',
    script: { onFirstRequest: answer(Buffer.from([77, 1, 2, 3])) },
    status: UPSTREAM_ERROR,
    message: /unknown server message type 77/,
  },
  {
    name: 'ZRLE rect of 8x8 claiming 60 MB of data',
    script: { onFirstRequest: answer(oneRect(rectHeader(0, 0, 8, 8, Encoding.ZRLE), Buffer.from([0x03, 0x93, 0x87, 0x00]))) },
    status: UPSTREAM_ERROR,
    message: /ZRLE data of 60000000 bytes is too large for a 8x8 rect/,
  },
  {
    name: 'ZRLE bomb: 8 MiB of zeros deflated for a 64x48 rect',
    script: { onFirstRequest: answer(oneRect(rectHeader(0, 0, 64, 48, Encoding.ZRLE), zrlePayload(Buffer.alloc(8 << 20)))) },
    status: UPSTREAM_ERROR,
    message: /inflates beyond its rect/,
  },
  {
    name: 'ZRLE rect whose data cannot fill it',
    script: { onFirstRequest: answer(oneRect(rectHeader(0, 0, 64, 48, Encoding.ZRLE), zrlePayload(Buffer.from([1])))) },
    status: UPSTREAM_ERROR,
    message: /ZRLE data ends before its rect is complete/,
  },
  {
    name: 'cursor of 10000x10000',
    script: { onFirstRequest: answer(oneRect(rectHeader(0, 0, 10000, 10000, Encoding.Cursor))) },
    status: UPSTREAM_ERROR,
    message: /cursor of 10000x10000 is too large/,
  },
  {
    name: 'a refusal with a 4 GiB reason string',
    script: {
      raw: (conn) => {
        conn.send(Buffer.from('RFB 003.008\n'));
        conn.send(Buffer.from([0, 0xff, 0xff, 0xff, 0xff]));
      },
    },
    status: UPSTREAM_ERROR,
    message: /string of 4294967295 bytes is too long/,
  },
  {
    name: 'random bytes after the handshake',
    script: { onFirstRequest: answer(Buffer.concat([Buffer.from([0, 0, 0, 3]), noise(64 * 1024, 0xbad)])) },
    status: UPSTREAM_ERROR,
    message: /VNC protocol error/,
  },
  {
    name: 'endless cut text: 2 GiB announced, 256 MiB streamed, then the server hangs up',
    script: {
      onFirstRequest: (conn) => {
        conn.send(cutTextHeader(0x7fffffff));
        void conn.flood(Buffer.alloc(1 << 20, 0x41), 256 << 20).then(() => conn.close());
      },
    },
    status: UPSTREAM_ERROR,
    message: /closed the connection/,
  },
  {
    name: 'Extended Clipboard message of 2 GiB, 128 MiB streamed',
    script: {
      onFirstRequest: (conn) => {
        conn.send(cutTextHeader(-0x7fffffff));
        void conn.flood(Buffer.alloc(1 << 20, 0x42), 128 << 20).then(() => conn.close());
      },
    },
    status: UPSTREAM_ERROR,
    message: /closed the connection/,
  },
];

/** Cases that take the watchdog (5 s quiet + 15 s unanswered) or the 10 s handshake timeout. */
const SLOW_CASES: Case[] = [
  {
    name: 'a stall mid-rectangle',
    script: { onFirstRequest: answer(oneRect(rectHeader(0, 0, 64, 48, Encoding.Raw), Buffer.alloc(5000))) },
    status: UPSTREAM_TIMEOUT,
    message: /not responding/,
  },
  {
    name: 'slow-loris mid-rectangle: one byte a second',
    script: {
      onFirstRequest: (conn) => {
        conn.send(oneRect(rectHeader(0, 0, 64, 48, Encoding.Raw)));
        void conn.trickle(Buffer.alloc(64 * 48 * 4));
      },
    },
    status: UPSTREAM_TIMEOUT,
    message: /not responding/,
  },
  {
    name: 'slow-loris handshake: the banner one byte a second',
    script: { raw: (conn) => void conn.trickle(Buffer.concat([Buffer.from('RFB 003.008\n'), Buffer.from([1, 1])])) },
    status: UPSTREAM_TIMEOUT,
    message: /did not answer in time/,
  },
  {
    name: 'Hextile rect as large as the limits allow (8192x4096), two tiles, then a stall',
    script: {
      width: 8192,
      height: 4096,
      onFirstRequest: answer(oneRect(rectHeader(0, 0, 8192, 4096, Encoding.Hextile), Buffer.from([2, 0x33, 0x66, 0x99, 0, 0]))),
    },
    status: UPSTREAM_TIMEOUT,
    message: /not responding/,
  },
];

/** An Extended Clipboard ServerCutText: negative length, flags, data. */
function extendedCutText(flags: number, data: Buffer): Buffer {
  const head = Buffer.alloc(12);
  head[0] = 3;
  head.writeInt32BE(-(4 + data.length), 4);
  head.writeUInt32BE(flags >>> 0, 8);
  return Buffer.concat([head, data]);
}

/** A zlib stream of a provide entry claiming `size` bytes of zeros, deflated as it is made (never held whole). */
async function zlibBomb(size: number): Promise<Buffer> {
  const z = createDeflate({ level: 9 });
  const out: Buffer[] = [];
  z.on('data', (d: Buffer) => out.push(d));
  const done = new Promise((resolve) => z.on('end', resolve));
  const head = Buffer.alloc(4);
  head.writeUInt32BE(size);
  z.write(head);
  const zeros = Buffer.alloc(1 << 20);
  for (let n = 0; n < size; n += zeros.length) if (!z.write(zeros)) await new Promise((r) => z.once('drain', r));
  z.end();
  await done;
  return Buffer.concat(out);
}

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

function residentBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(m, 'the gateway process has a resident size');
  return Number(m[1]) * 1024;
}

describe('the standalone gateway against a hostile VNC server', () => {
  let gateway: GatewayCli;
  let xvnc: XvncServer;
  let baseline = 0;
  const clients: GuacdWireClient[] = [];

  const viewer = async (port: number): Promise<GuacdWireClient> => {
    const c = await GuacdWireClient.open('127.0.0.1', gateway.port);
    clients.push(c);
    c.answerSyncs();
    // The gateway drops a viewer that is silent for 15 s; a real viewer sends nop.
    const keepAlive = setInterval(() => c.send('nop'), 2_000);
    void c.closed.then(() => clearInterval(keepAlive));
    await c.handshake({ hostname: '127.0.0.1', port: String(port) });
    return c;
  };

  /** A real viewer of a real desktop gets a picture. */
  const assertServing = async (): Promise<void> => {
    process.kill(gateway.pid, 0); // throws if the gateway process is gone
    const c = await viewer(xvnc.port);
    await c.waitFor((i) => i[0] === 'sync', 10_000);
    assert.ok(c.instructions.some((i) => i[0] === 'img'), 'the real viewer got the desktop');
    c.close();
    await c.closed;
  };

  /** Runs one case; returns how much the gateway's resident memory grew (bytes). */
  const runCase = async (tc: Case): Promise<number> => {
    const server = await HostileRfbServer.start(tc.script);
    try {
      const c = await viewer(server.port);
      const error = await c.waitFor((i) => i[0] === 'error', 40_000);
      assert.equal(Number(error[2]), tc.status, `${tc.name}: status of "${error[1]}"`);
      assert.match(error[1]!, tc.message, tc.name);
      await c.closed;
      assert.equal(c.instructions.filter((i) => i[0] === 'clipboard').length, 0, `${tc.name}: no clipboard reached the viewer`);
    } finally {
      await server.stop();
    }
    const grown = residentBytes(gateway.pid) - baseline;
    assert.ok(grown < MEMORY_BOUND, `${tc.name}: resident memory grew by ${mib(grown)} MiB`);
    return grown;
  };

  before(async () => {
    xvnc = await startXvnc({ password: null, width: 320, height: 240 });
    await xvnc.x('xsetroot', '-solid', '#3366cc');
    gateway = await startGatewayCli();
    await assertServing(); // warm: code loaded, encoders initialised
    baseline = residentBytes(gateway.pid);
  });

  after(async () => {
    clients.forEach((c) => c.close());
    const code = await gateway?.stop();
    await xvnc?.stop();
    assert.equal(code, 0, 'the gateway exits cleanly on SIGTERM after all of it');
  });

  for (const tc of FAST_CASES) {
    it(tc.name, async (t) => {
      t.diagnostic(`resident memory +${mib(await runCase(tc))} MiB`);
      await assertServing();
    });
  }

  it(`slow cases at once: ${SLOW_CASES.map((c) => c.name).join('; ')}`, async (t) => {
    const grown = await Promise.all(SLOW_CASES.map(runCase));
    t.diagnostic(`resident memory +${mib(Math.max(...grown))} MiB`);
    await assertServing();
  });

  it('Extended Clipboard zlib bomb (1 MiB inflating to 1 GiB): dropped, the viewer stays and gets the next clipboard', async (t) => {
    const bomb = await zlibBomb(1 << 30);
    t.diagnostic(`bomb: ${bomb.length} bytes of zlib data for 1 GiB`);
    const body = toWireText('after the bomb: 東京');
    const size = Buffer.alloc(4);
    size.writeUInt32BE(body.length);
    const server = await HostileRfbServer.start({
      onFirstRequest: (conn) => {
        const caps = Buffer.alloc(4);
        caps.writeUInt32BE(1 << 20);
        conn.send(extendedCutText(ClipAction.caps | ClipAction.request | ClipAction.notify | ClipAction.provide | ClipFormat.text, caps));
        conn.send(extendedCutText(ClipAction.provide | ClipFormat.text, bomb));
        conn.send(extendedCutText(ClipAction.provide | ClipFormat.text, deflateSync(Buffer.concat([size, body]))));
      },
    });
    try {
      const c = await viewer(server.port);
      const stream = await c.waitFor((i) => i[0] === 'clipboard', 30_000);
      await c.waitFor((i) => i[0] === 'end' && i[1] === stream[1]);
      const text = Buffer.concat(c.instructions.filter((i) => i[0] === 'blob' && i[1] === stream[1]).map((i) => Buffer.from(i[2]!, 'base64'))).toString('utf8');
      assert.equal(text, 'after the bomb: 東京');
      assert.equal(c.instructions.filter((i) => i[0] === 'clipboard').length, 1, 'only the good clipboard reached the viewer');
      assert.equal(c.instructions.filter((i) => i[0] === 'error').length, 0, 'the viewer was not dropped');
      // The gateway answered the server's caps with its own (the extension is on).
      assert.ok(server.connections[0]!.cutTexts.some((m) => m.extended && m.body.readUInt32BE(0) & ClipAction.caps));
      const grown = residentBytes(gateway.pid) - baseline;
      t.diagnostic(`resident memory +${mib(grown)} MiB`);
      assert.ok(grown < MEMORY_BOUND, `resident memory grew by ${mib(grown)} MiB`);
      c.close();
    } finally {
      await server.stop();
    }
    await assertServing();
  });

  it('a viewer opening 100 clipboard streams of 320k characters: 4 are taken, 96 refused with CLIENT_TOO_MANY', async () => {
    const c = await viewer(xvnc.port);
    await c.waitFor((i) => i[0] === 'sync', 10_000);
    // Blobs of at most 60k characters, as the gateway's instruction elements are capped at 64k.
    const blob = Buffer.alloc(45_000, 0x61).toString('base64'); // 60 000 characters
    for (let s = 0; s < 100; s++) {
      c.send('clipboard', s, 'text/plain');
      for (let k = 0; k < 5; k++) c.send('blob', s, blob);
      c.send('blob', s, blob.slice(0, 20_000));
    }
    const acks = (status: number): number => c.instructions.filter((i) => i[0] === 'ack' && Number(i[3]) === status).length;
    await c.waitFor(() => acks(GuacStatus.CLIENT_TOO_MANY) === 96, 20_000);
    assert.equal(acks(GuacStatus.CLIENT_TOO_MANY), 96);
    const refused = new Set(c.instructions.filter((i) => i[0] === 'ack' && Number(i[3]) === GuacStatus.CLIENT_TOO_MANY).map((i) => i[1]));
    assert.deepEqual([...refused].map(Number).sort((a, b) => a - b), Array.from({ length: 96 }, (_, i) => i + 4));
    const grown = residentBytes(gateway.pid) - baseline;
    assert.ok(grown < MEMORY_BOUND, `resident memory grew by ${mib(grown)} MiB`);
    // Ending the open streams frees them: a new stream is taken again.
    for (let s = 0; s < 4; s++) c.send('end', s);
    c.send('clipboard', 100, 'text/plain');
    c.send('blob', 100, Buffer.from('after').toString('base64'));
    await c.waitFor((i) => i[0] === 'ack' && i[1] === '100');
    assert.equal(Number(c.instructions.find((i) => i[0] === 'ack' && i[1] === '100')![3]), GuacStatus.SUCCESS);
    c.close();
    await assertServing();
  });
});

// The helper's own contract, so a broken script cannot make every case above pass vacuously.
describe('the hostile RFB server helper', () => {
  it('speaks RFB 3.8 up to ServerInit and parses the client messages by their lengths', async () => {
    let first: HostileConnection | null = null;
    const server = await HostileRfbServer.start({ width: 32, height: 16, onFirstRequest: (conn) => (first = conn) });
    const { createConnection } = await import('node:net');
    const sock = createConnection({ host: '127.0.0.1', port: server.port });
    const got: Buffer[] = [];
    sock.on('data', (d) => got.push(d));
    await new Promise((r) => sock.once('connect', r));
    sock.write('RFB 003.008\n');
    sock.write(Buffer.from([1])); // security type None
    sock.write(Buffer.from([1])); // ClientInit, shared
    sock.write(Buffer.concat([Buffer.alloc(20), Buffer.from([2, 0, 0, 1, 0, 0, 0, 0]), Buffer.from([3, 0, 0, 0, 0, 0, 0, 32, 0, 16])]));
    const expected = 12 + 6 + serverInit(32, 16, 'hostile').length;
    await new Promise<void>((resolve) => {
      const t = setInterval(() => first && Buffer.concat(got).length >= expected && (clearInterval(t), resolve()), 10);
    });
    const all = Buffer.concat(got);
    assert.equal(all.subarray(0, 12).toString(), 'RFB 003.008\n');
    assert.deepEqual([...all.subarray(12, 18)], [1, 1, 0, 0, 0, 0]);
    assert.ok(all.subarray(18).equals(serverInit(32, 16, 'hostile')));
    assert.deepEqual(first!.requests, [{ incremental: false, x: 0, y: 0, width: 32, height: 16 }]);
    sock.destroy();
    await server.stop();
  });
});
