// The standalone gateway (`npm run gateway`, guacd's protocol on TCP) faces truncated,
// oversized and malformed Guacamole instructions, an element that never ends and a handshake
// that never finishes. It runs WITHOUT its uncaught-exception guard. Each case must end only
// its own connection: afterwards the process is alive, a real viewer still gets a real
// Xtigervnc's pixels through it, and its resident memory stays bounded.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseGatewayArgs } from '../../src-main/display/gateway-args';
import { encodeInstruction } from '../../src-main/display/guacamole/protocol';
import { GUARD_OFF_ENV, GUARD_TAG } from '../../src-main/process-guard';
import { startGatewayCli, type GatewayCli } from '../helpers/gateway-cli';
import { GuacCanvas } from '../helpers/guac-canvas';
import { GuacdWireClient } from '../helpers/guacd-wire-client';
import { collect, openRaw, rssMiB } from '../helpers/hostile-listeners';
import { startXvnc, type XvncServer } from '../helpers/xvnc';

const RSS_BUDGET_MIB = 120;

let gateway: GatewayCli;
let xvnc: XvncServer;
let baselineRss: number;

before(async () => {
  process.env[GUARD_OFF_ENV] = '1'; // inherited by the gateway process
  xvnc = await startXvnc({ password: null });
  await xvnc.x('xsetroot', '-solid', '#ff8000');
  gateway = await startGatewayCli();
  assert.ok((await viewerPixels()) > 0, 'a viewer sees the desktop before any hostile input');
  baselineRss = rssMiB(gateway.pid);
});

after(async () => {
  delete process.env[GUARD_OFF_ENV];
  await gateway?.stop();
  await xvnc?.stop();
});

/** A real viewer: the guacd handshake, then the frame drawn; returns its lit pixels. */
async function viewerPixels(): Promise<number> {
  const client = await GuacdWireClient.open('127.0.0.1', gateway.port);
  try {
    const canvas = new GuacCanvas();
    client.observe((ins) => canvas.apply(ins));
    client.answerSyncs();
    await client.handshake({ hostname: '127.0.0.1', port: String(xvnc.port) }, [320, 240, 96]);
    await client.waitFor((i) => i[0] === 'sync', 10_000);
    let lit = 0;
    for (let p = 0; p < canvas.rgba.length; p += 4) if (canvas.rgba[p]! > 200 && canvas.rgba[p + 1]! > 100) lit++;
    return lit;
  } finally {
    client.close();
  }
}

async function stillServing(): Promise<void> {
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(gateway.alive(), `the gateway exited:\n${gateway.log().slice(-2000)}`);
  assert.ok(!gateway.log().includes(GUARD_TAG), `an uncaught error was logged:\n${gateway.log().slice(-2000)}`);
  assert.ok((await viewerPixels()) > 0, 'a new viewer still sees the desktop');
  const rss = rssMiB(gateway.pid);
  assert.ok(rss < baselineRss + RSS_BUDGET_MIB, `resident memory ${rss.toFixed(0)} MiB (baseline ${baselineRss.toFixed(0)} MiB)`);
}

/** Sends `data` on a fresh connection and resolves with what the gateway answered before it closed. */
async function send(data: string | Buffer, quietMs = 3_000): Promise<string> {
  const socket = await openRaw(gateway.port);
  socket.on('error', () => undefined);
  socket.write(data);
  return (await collect(socket, quietMs)).text;
}

const selectVnc = encodeInstruction('select', 'vnc');

interface Case {
  name: string;
  run(): Promise<void>;
}

/** The gateway must answer with a Guacamole error and close. */
const refused = (name: string, data: () => string | Buffer, status = /5\.error,/): Case => ({
  name,
  run: async () => assert.match(await send(data()), status),
});

const cases: Case[] = [
  refused('an element length of 10^11', () => '99999999999.x;'),
  refused('twenty digits of length', () => `${'9'.repeat(20)}.`),
  refused('a length that is no number', () => 'abc;'),
  refused('a value longer than its length', () => '3.selectvnc;'),
  refused('an element over 64 K', () => `${selectVnc}70000.${'a'.repeat(70_000)};`),
  refused('200 elements', () => `${selectVnc}4.size${',1.1'.repeat(200)};`),
  refused('an instruction over 256 K code points', () => `${selectVnc}4.blob${`,60000.${'b'.repeat(60_000)}`.repeat(5)};`),
  refused('binary garbage', () => Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x3b])),
  refused('NUL in a length', () => '1\u0000.x;'),
  refused('connect before select', () => encodeInstruction('connect', 'VERSION_1_5_0', '127.0.0.1', '5900')),
  refused('select of an unknown protocol', () => encodeInstruction('select', 'x'.repeat(60_000))),
  refused('select joining a connection', () => encodeInstruction('select', '$00000000-0000-0000-0000-000000000000')),
  refused('connect to port 99999', () => selectVnc + encodeInstruction('connect', 'VERSION_1_5_0', '127.0.0.1', '99999')),
  refused('connect without a hostname', () => selectVnc + encodeInstruction('connect', 'VERSION_1_5_0')),
  {
    name: 'a truncated instruction, then the connection closes',
    run: async () => {
      const socket = await openRaw(gateway.port);
      socket.on('error', () => undefined);
      socket.end(`${selectVnc}4.size,4.10`);
      await collect(socket, 1_000);
    },
  },
  {
    name: 'a connection reset in the middle of the handshake',
    run: async () => {
      const socket = await openRaw(gateway.port);
      socket.write(selectVnc);
      await new Promise((r) => setTimeout(r, 100));
      socket.resetAndDestroy();
    },
  },
  {
    name: '200 connections, each holding half an element of 60 000 characters',
    run: async () => {
      const sockets = await Promise.all(Array.from({ length: 200 }, () => openRaw(gateway.port)));
      for (const s of sockets) {
        s.on('error', () => undefined);
        s.write(`${selectVnc}4.blob,60000.${'c'.repeat(30_000)}`);
      }
      await new Promise((r) => setTimeout(r, 1_000));
      const rss = rssMiB(gateway.pid);
      for (const s of sockets) s.destroy();
      assert.ok(rss < baselineRss + RSS_BUDGET_MIB, `resident memory with 200 half-sent elements: ${rss.toFixed(0)} MiB`);
    },
  },
  {
    name: 'an element that never ends (slow-loris after select) is cut by the handshake timeout',
    run: async () => {
      const socket = await openRaw(gateway.port);
      socket.on('error', () => undefined);
      socket.write(`${selectVnc}4.name,60000.`);
      // One character a second keeps the receive timeout from firing; the handshake timeout (15 s) does.
      const drip = setInterval(() => socket.write('x'), 1_000);
      const answer = await collect(socket, 20_000);
      clearInterval(drip);
      assert.match(answer.text, /Handshake timed out/);
    },
  },
];

for (const c of cases) {
  test(c.name, { timeout: 40_000 }, async () => {
    await c.run();
    await stillServing();
  });
}

test('the standalone gateway refuses a non-loopback --listen unless --allow-remote is given', () => {
  assert.throws(() => parseGatewayArgs(['--listen', '0.0.0.0:4823']), /refusing to listen on 0\.0\.0\.0:4823.*no authentication.*--allow-remote/s);
  assert.throws(() => parseGatewayArgs(['--listen', '[::]:4823']), /--allow-remote/);
  assert.throws(() => parseGatewayArgs(['--listen=192.168.1.5:4823']), /--allow-remote/);
  assert.deepEqual(parseGatewayArgs(['--listen', '0.0.0.0:4823', '--allow-remote']), { host: '0.0.0.0', port: 4823 });
  for (const loopback of ['127.0.0.1:1', '127.8.9.10:1', '[::1]:1', 'localhost:1']) assert.ok(parseGatewayArgs(['--listen', loopback]) !== 'help');
});

test(`after all ${cases.length} cases: alive, no uncaught error, memory bounded`, async () => {
  await stillServing();
  console.log(`gateway hostile cases: ${cases.length}; resident memory ${baselineRss.toFixed(0)} -> ${rssMiB(gateway.pid).toFixed(0)} MiB`);
});
