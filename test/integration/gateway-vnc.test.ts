// The display path end to end: a real TigerVNC server, the embedded gateway, the guacamole-lite
// tunnel, and a WebSocket client that speaks like guacamole-common-js.
import assert from 'node:assert/strict';
import { createServer, Server, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import Crypt from 'guacamole-lite/lib/Crypt.js';
import { DisplayService } from '../../src-main/display/display-service';
import { startGateway } from '../../src-main/display/gateway';
import { GuacStatus } from '../../src-main/display/gateway/status';
import { TicketError, TicketVault } from '../../src-main/display/tokens';
import { GuacdWireClient } from '../helpers/guacd-wire-client';
import { GuacClientOptions, GuacTestClient, ImageDraw } from '../helpers/guac-client';
import { decodePng } from '../helpers/png';
import { freePort, startXvnc, XvncServer } from '../helpers/xvnc';

const PASSWORD = 'vnc-pw42';

/** Paints the images onto a W x H RGBA canvas, in order, as the viewer would. */
function composite(images: ImageDraw[], width: number, height: number): Buffer {
  const canvas = Buffer.alloc(width * height * 4);
  for (const img of images) {
    if (img.fill) {
      for (let y = img.y; y < img.y + img.fill.height; y++) {
        for (let x = img.x; x < img.x + img.fill.width; x++) canvas.set([...img.fill.rgb, 255], (y * width + x) * 4);
      }
      continue;
    }
    assert.equal(img.mimetype, 'image/png');
    const png = decodePng(img.data);
    for (let y = 0; y < png.height; y++) {
      png.rgba.copy(canvas, ((img.y + y) * width + img.x) * 4, y * png.width * 4, (y + 1) * png.width * 4);
    }
  }
  return canvas;
}

function assertSolid(canvas: Buffer, [r, g, b]: [number, number, number]): void {
  for (let i = 0; i < canvas.length; i += 4) {
    if (canvas[i] !== r || canvas[i + 1] !== g || canvas[i + 2] !== b || canvas[i + 3] !== 255) {
      assert.fail(`pixel ${i / 4} is ${[...canvas.subarray(i, i + 4)]}, expected ${[r, g, b, 255]}`);
    }
  }
}

const query = (token: string): string => `token=${encodeURIComponent(token)}&width=1024&height=768&dpi=96`;

describe('embedded VNC gateway behind the guacamole-lite tunnel', () => {
  let xvnc: XvncServer;
  let display: DisplayService;
  const clients: GuacTestClient[] = [];
  const sigtermListeners = process.listenerCount('SIGTERM');

  const target = () => ({ host: '127.0.0.1', port: xvnc.port, password: PASSWORD });
  let tunnelUrl = '';
  const open = async (token: string, options: GuacClientOptions = {}): Promise<GuacTestClient> => {
    const c = await GuacTestClient.connect(tunnelUrl, query(token), options);
    clients.push(c);
    return c;
  };

  before(async () => {
    xvnc = await startXvnc({ password: PASSWORD, width: 320, height: 240 });
    await xvnc.x('xsetroot', '-solid', '#3366cc');
    display = await DisplayService.start({ connectRetries: 0 });
    tunnelUrl = display.issueTicket('warm-up', target()).tunnelUrl;
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.close(false)));
    await display?.close();
    await xvnc?.stop();
  });

  it('does not keep the process from exiting on SIGTERM', () => {
    assert.equal(process.listenerCount('SIGTERM'), sigtermListeners);
  });

  it('draws the remote desktop (one colour: rect + cfill), then sync', async () => {
    const ticket = display.issueTicket('instance-a', target());
    assert.match(ticket.tunnelUrl, /^ws:\/\/127\.0\.0\.1:\d+\/$/);
    assert.ok(!Buffer.from(ticket.token, 'base64').toString('latin1').includes(PASSWORD), 'password must not be readable');

    const t0 = performance.now();
    const c = await open(ticket.token);
    const size = await c.waitForOpcode('size');
    assert.deepEqual(size, ['size', '0', '320', '240']);
    const sync = await c.waitForOpcode('sync');
    const firstFrame = performance.now() - t0;

    const uuid = c.instructions[0]!;
    assert.equal(uuid[0], '', 'guacamole-lite sends the connection id as an internal instruction first');
    assert.match(uuid[1]!, /^\$[0-9a-f-]{36}$/);

    const drawn = c.instructions.slice(0, c.instructions.indexOf(sync)).filter((i) => i[0] === 'end' || i[0] === 'cfill').length;
    // Layer -1 holds the pointer image (Cursor pseudo-encoding); the desktop is layer 0.
    const frame = c.images.slice(0, drawn).filter((img) => img.layer === 0);
    assert.ok(frame.length > 0, 'the desktop is drawn before the first sync');
    for (const img of frame) assert.deepEqual([img.mask, img.layer], [14, 0]);
    // The desktop is one colour: guacd's rect + cfill, not an image.
    assert.ok(frame.every((img) => img.fill), 'a one-colour desktop is filled, not sent as an image');
    const blobs = c.instructions.filter((i) => i[0] === 'blob');
    assert.ok(blobs.every((b) => b[2]!.length <= 6144), 'blob chunks are at most 6 KB');
    assertSolid(composite(frame, 320, 240), [0x33, 0x66, 0xcc]);
    console.log(`connect -> first frame (sync) on 320x240: ${firstFrame.toFixed(0)} ms`);
  });

  it('keeps the session up with input and sync answers, and sends later changes', async () => {
    const c = await open(display.issueTicket('instance-a', target()).token);
    await c.waitForOpcode('sync');
    c.send('mouse', 10, 20, 0);
    c.send('mouse', 11, 21, 1);
    c.send('mouse', 11, 21, 0);
    c.send('key', 0xffe1, 1); // Shift_L down/up
    c.send('key', 0xffe1, 0);
    c.send('', 'ping', 1234);
    await c.waitFor((i) => i[0] === '' && i[1] === 'ping' && i[2] === '1234', 2_000, 'ping echo');

    const before = c.images.length;
    await xvnc.x('xsetroot', '-solid', '#cc6633');
    await c.waitFor(() => {
      const latest = c.images.slice(before);
      if (latest.length === 0) return false;
      try {
        assertSolid(composite(latest, 320, 240), [0xcc, 0x66, 0x33]);
        return true;
      } catch {
        return false;
      }
    }, 5_000, 'the new background');
    await xvnc.x('xsetroot', '-solid', '#3366cc');

    // Idle for longer than guacamole-lite's activity check interval; nop keep-alives hold it open.
    await new Promise((r) => setTimeout(r, 2_500));
    assert.equal(c.ws.readyState, c.ws.OPEN);
    assert.ok(!c.instructions.some((i) => i[0] === 'error'));

    const closed = await c.close(true);
    assert.equal(closed.code, 1000);
  });

  it('paces frames by sync acknowledgements, with a timeout for silent clients', async () => {
    const c = await open(display.issueTicket('instance-a', target()).token, { answerSync: false });
    const first = await c.waitForOpcode('sync');
    const tFirst = performance.now();
    // Two frames may be in flight unanswered: the first change after the first frame comes at once...
    const t00 = performance.now();
    const next = c.waitForNext((i) => i[0] === 'sync', 3_000); // it may arrive before xsetroot exits
    await xvnc.x('xsetroot', '-solid', '#ff0000');
    await next;
    const second = performance.now() - t00;
    assert.ok(second < 700, `second frame came ${second.toFixed(0)} ms after one unanswered sync`);
    // ...the next waits for an answer, or for the 1 s timeout that runs from the first frame
    // (measured from there, a slow xsetroot on a busy machine does not eat into it).
    await xvnc.x('xsetroot', '-solid', '#00ff00');
    await c.waitForNext((i) => i[0] === 'sync', 3_000);
    const unacked = performance.now() - tFirst;
    assert.ok(unacked >= 800, `the third frame came ${unacked.toFixed(0)} ms after the first, with none answered`);

    // Answer the latest sync: the next change must not wait for the timeout.
    const latest = c.instructions.filter((i) => i[0] === 'sync').at(-1)!;
    assert.notEqual(latest[1], first[1], 'sync timestamps differ (guacamole-common-js ignores repeats)');
    c.send('sync', latest[1]!);
    await new Promise((r) => setTimeout(r, 50));
    const t1 = performance.now();
    await xvnc.x('xsetroot', '-solid', '#3366cc');
    await c.waitForNext((i) => i[0] === 'sync', 3_000);
    const acked = performance.now() - t1;
    assert.ok(acked < 700, `next frame came ${acked.toFixed(0)} ms after an answered sync`);
    await c.close();
  });

  it('reports a wrong VNC password as CLIENT_UNAUTHORIZED', async () => {
    const c = await open(display.issueTicket('instance-a', { ...target(), password: 'wrong-pw' }).token);
    const error = await c.waitForOpcode('error');
    assert.equal(Number(error[2]), GuacStatus.CLIENT_UNAUTHORIZED);
    assert.match(error[1]!, /authentication/i);
    const closed = await c.closed;
    assert.equal(closed.reason, '0', 'a clean close carries a numeric reason');
  });

  it('rejects a reused ticket', async () => {
    const { token } = display.issueTicket('instance-a', target());
    const first = await open(token);
    await first.waitForOpcode('sync');
    const second = await open(token);
    const error = await second.waitForOpcode('error');
    assert.equal(Number(error[2]), GuacStatus.CLIENT_UNAUTHORIZED);
    assert.match(error[1]!, /already used/);
    assert.deepEqual(await second.closed, { code: 1008, reason: String(GuacStatus.CLIENT_UNAUTHORIZED) });
    assert.equal(first.ws.readyState, first.ws.OPEN, 'the first session is unaffected');
    await first.close();
  });

  it('rejects a forged or garbage ticket without touching the gateway', async () => {
    const { token } = display.issueTicket('instance-a', target());
    const outer = JSON.parse(Buffer.from(token, 'base64').toString()) as { iv: string; value: string; mac: string };
    const iv = Buffer.from(outer.iv, 'base64');
    iv[0]! ^= 1; // a CBC bit flip would change the plaintext's first block
    const forged = Buffer.from(JSON.stringify({ ...outer, iv: iv.toString('base64') })).toString('base64');
    for (const bad of [forged, 'not-a-token', '']) {
      const c = await open(bad);
      const error = await c.waitForOpcode('error');
      assert.equal(Number(error[2]), GuacStatus.CLIENT_UNAUTHORIZED);
      await c.closed;
    }
  });

  it('closes the viewers of one instance on request', async () => {
    const a = await open(display.issueTicket('instance-a', target()).token);
    const b = await open(display.issueTicket('instance-b', target()).token);
    await Promise.all([a.waitForOpcode('sync'), b.waitForOpcode('sync')]);
    display.disconnectInstance('instance-a');
    assert.equal((await a.closed).reason, String(GuacStatus.SESSION_CLOSED));
    assert.equal(b.ws.readyState, b.ws.OPEN);
    await b.close();
  });
});

describe('embedded VNC gateway on the guacd wire protocol', () => {
  let xvnc: XvncServer;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  const clients: GuacdWireClient[] = [];

  before(async () => {
    xvnc = await startXvnc({ password: null, width: 320, height: 240 });
    gateway = await startGateway();
  });

  after(async () => {
    clients.forEach((c) => c.close());
    await gateway?.close();
    await xvnc?.stop();
  });

  const open = async (): Promise<GuacdWireClient> => {
    const c = await GuacdWireClient.open(gateway.host, gateway.port);
    clients.push(c);
    return c;
  };

  it('answers select with args (version first) and connects without a password', async () => {
    const c = await open();
    const args = await c.handshake({ hostname: '127.0.0.1', port: String(xvnc.port) });
    assert.equal(args[1], 'VERSION_1_5_0');
    for (const name of ['hostname', 'port', 'password', 'read-only']) assert.ok(args.includes(name), name);
    const ready = await c.waitFor((i) => i[0] === 'ready');
    assert.match(ready[1]!, /^\$/);
    await c.waitFor((i) => i[0] === 'size' && i[1] === '0' && i[2] === '320' && i[3] === '240');
    await c.waitFor((i) => i[0] === 'sync');
    c.send('disconnect');
    await c.closed;
  });

  it('reports an unreachable VNC server as UPSTREAM_NOT_FOUND', async () => {
    const c = await open();
    await c.handshake({ hostname: '127.0.0.1', port: String(await freePort()) });
    const error = await c.waitFor((i) => i[0] === 'error');
    assert.equal(Number(error[2]), GuacStatus.UPSTREAM_NOT_FOUND);
    await c.closed;
  });

  it('rejects other protocols and malformed input', async () => {
    const rdp = await open();
    rdp.send('select', 'rdp');
    assert.equal(Number((await rdp.waitFor((i) => i[0] === 'error'))[2]), GuacStatus.UNSUPPORTED);
    await rdp.closed;

    const junk = await open();
    junk.socket.write('garbage;');
    assert.equal(Number((await junk.waitFor((i) => i[0] === 'error'))[2]), GuacStatus.CLIENT_BAD_REQUEST);
    await junk.closed;
  });

  it('ends sessions and frees its port on close', async () => {
    const c = await open();
    await c.handshake({ hostname: '127.0.0.1', port: String(xvnc.port) });
    await c.waitFor((i) => i[0] === 'sync');
    const closing = gateway.close();
    await c.closed;
    await closing;
    assert.ok(c.instructions.some((i) => i[0] === 'disconnect'));
  });
});

/** A scripted RFB 3.8 server (security None) that records what the client sends. */
class FakeRfbServer {
  readonly received: Buffer[] = [];
  private server!: Server;
  private client: Socket | null = null;
  private onBytes: Array<() => void> = [];
  port = 0;

  async start(width: number, height: number, firstUpdate: Buffer): Promise<void> {
    this.server = createServer((sock) => {
      this.client = sock;
      let total = 0;
      let sentUpdate = false;
      sock.write('RFB 003.008\n');
      sock.on('data', (d) => {
        this.received.push(d);
        const before = total;
        total += d.length;
        if (before < 12 && total >= 12) sock.write(Buffer.from([1, 1])); // one type: None
        if (before < 13 && total >= 13) sock.write(Buffer.alloc(4)); // SecurityResult OK
        if (before < 14 && total >= 14) {
          const init = Buffer.alloc(24);
          init.writeUInt16BE(width, 0);
          init.writeUInt16BE(height, 2);
          sock.write(init); // pixel format is ignored by our client; name is empty
        }
        // SetPixelFormat (20) + SetEncodings (4 + 3*4) + FramebufferUpdateRequest (10)
        if (!sentUpdate && total >= 14 + 20 + 16 + 10) {
          sentUpdate = true;
          sock.write(firstUpdate);
        }
        this.onBytes.forEach((f) => f());
      });
      sock.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Everything received so far, as one buffer. */
  all(): Buffer {
    return Buffer.concat(this.received);
  }

  waitForBytes(match: (all: Buffer) => boolean, timeoutMs = 3_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!match(this.all())) return;
        clearTimeout(timer);
        this.onBytes = this.onBytes.filter((f) => f !== check);
        resolve();
      };
      const timer = setTimeout(() => reject(new Error(`timed out; got ${this.all().toString('hex')}`)), timeoutMs);
      this.onBytes.push(check);
      check();
    });
  }

  async stop(): Promise<void> {
    this.client?.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function rect(x: number, y: number, w: number, h: number, encoding: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(x, 0);
  head.writeUInt16BE(y, 2);
  head.writeUInt16BE(w, 4);
  head.writeUInt16BE(h, 6);
  head.writeInt32BE(encoding, 8);
  return Buffer.concat([head, body]);
}

const pixels = (n: number, [r, g, b]: number[]): Buffer => Buffer.from(Array.from({ length: n }, () => [r!, g!, b!, 0]).flat());
/** Pixels of one colour but for a white last one (a one-colour rect would be a `cfill`, not an `img`). */
const withWhite = (n: number, rgb: number[]): Buffer => Buffer.concat([pixels(n - 1, rgb), pixels(1, [255, 255, 255])]);

describe('gateway drawing order and input, against a scripted RFB server', () => {
  const fake = new FakeRfbServer();
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let client: GuacdWireClient;

  before(async () => {
    const update = Buffer.concat([
      Buffer.from([0, 0, 0, 4]),
      rect(0, 0, 4, 4, 0, withWhite(16, [255, 0, 0])),
      rect(4, 0, 4, 4, 1, Buffer.from([0, 0, 0, 0])), // CopyRect from (0, 0)
      rect(0, 0, 16, 8, -223), // DesktopSize
      rect(8, 4, 2, 2, 0, withWhite(4, [0, 0, 255])),
    ]);
    await fake.start(8, 4, update);
    gateway = await startGateway();
  });

  after(async () => {
    client?.close();
    await gateway?.close();
    await fake.stop();
  });

  it('sends img, copy and size in the order the rects came, then sync', async () => {
    client = await GuacdWireClient.open(gateway.host, gateway.port);
    await client.handshake({ hostname: '127.0.0.1', port: String(fake.port) });
    await client.waitFor((i) => i[0] === 'sync');
    const drawing = client.instructions
      .filter((i) => ['img', 'end', 'copy', 'size', 'sync'].includes(i[0]!))
      .map((i) => (i[0] === 'sync' ? ['sync'] : i[0] === 'img' ? i.slice(0, 1).concat(i.slice(2)) : i[0] === 'end' ? ['end'] : i));
    assert.deepEqual(drawing, [
      ['size', '0', '8', '4'],
      ['img', '14', '0', 'image/png', '0', '0'],
      ['end'],
      ['copy', '0', '0', '0', '4', '4', '14', '0', '4', '0'],
      ['size', '0', '16', '8'],
      ['img', '14', '0', 'image/png', '8', '4'],
      ['end'],
      ['sync'],
    ]);
    const blobs = client.instructions.filter((i) => i[0] === 'blob');
    const first = decodePng(Buffer.from(blobs[0]![2]!, 'base64'));
    assert.deepEqual([first.width, first.height, ...first.rgba.subarray(0, 4)], [4, 4, 255, 0, 0, 255]);
  });

  it('asks for a full (non-incremental) update at the new size after a resize', async () => {
    const fullRequest = Buffer.from([3, 0, 0, 0, 0, 0, 0, 16, 0, 8]);
    await fake.waitForBytes((all) => all.indexOf(fullRequest) >= 0);
    const sync = client.instructions.find((i) => i[0] === 'sync')!;
    client.send('sync', sync[1]!);
  });

  it('passes mouse and key events through as PointerEvent and KeyEvent', async () => {
    client.send('mouse', 5, 6, 1);
    client.send('key', 0xffe1, 1);
    await fake.waitForBytes((all) => all.indexOf(Buffer.from([5, 1, 0, 5, 0, 6])) >= 0);
    await fake.waitForBytes((all) => all.indexOf(Buffer.from([4, 1, 0, 0, 0, 0, 0xff, 0xe1])) >= 0);
  });
});

describe('display tickets', () => {
  it('expire after at most 30 s', () => {
    let now = 1_000_000;
    const vault = new TicketVault(30_000, () => now);
    const token = vault.issue('a', { type: 'vnc', settings: { hostname: 'h' } });
    now += 30_001;
    assert.throws(() => vault.redeem(token), (e: unknown) => e instanceof TicketError && e.reason === 'expired');
    assert.throws(() => new TicketVault(60_000), RangeError);
  });

  it('are bound to an instance and a purpose, and redeem once', () => {
    const vault = new TicketVault();
    const token = vault.issue('instance-a', { type: 'vnc', settings: { hostname: 'h', port: 5901 } });
    assert.equal(vault.redeem(token).claims.instanceId, 'instance-a');
    assert.throws(() => vault.redeem(token), (e: unknown) => e instanceof TicketError && e.reason === 'reused');
    const other = vault.issue('instance-a', { type: 'vnc', settings: {} });
    assert.throws(() => new TicketVault().redeem(other), (e: unknown) => e instanceof TicketError && e.reason === 'forged');
  });

  it('survive guacamole-lite decryption with non-ASCII settings', () => {
    const vault = new TicketVault();
    const password = 'pässwörd-日本-😀';
    const token = vault.issue('a', { type: 'vnc', settings: { hostname: 'h', password } });
    const decrypted = new Crypt('AES-256-CBC', vault.cipherKey).decrypt(token) as { connection: { settings: { password: string } } };
    assert.equal(decrypted.connection.settings.password, password);
  });
});
