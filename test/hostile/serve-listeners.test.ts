// The headless host (HTTP and the API WebSocket) and the display tunnel of a real `serve`
// process face malformed HTTP, malformed and oversized WebSocket frames and messages, odd
// paths and query strings and foreign Host/Origin headers. The process runs WITHOUT its
// uncaught-exception guard: each case must be handled where it arises. After every case the
// process is alive, a real viewer still gets a real desktop's pixels (a container's
// Xtigervnc through the tunnel and the embedded gateway), and resident memory stays bounded.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { MAX_REQUEST_BYTES, type DisplayTicket } from '../../src-shared/contract';
import type { Instance } from '../../src-shared/model';
import { WsTransport } from '../../src-renderer/api/ws-transport';
import { GUARD_OFF_ENV, GUARD_TAG } from '../../src-main/process-guard';
import { tempDataDir } from '../helpers/core';
import { containersOf, docker } from '../helpers/docker';
import { litPixels } from '../helpers/guac-client';
import { collect, rawRequest, rawUpgrade, rssMiB, wsFrame } from '../helpers/hostile-listeners';
import { ServeProcess } from '../helpers/serve-process';
import { waitUntil } from '../helpers/x-apps';

/** Growth of resident memory over the whole suite that still counts as bounded. */
const RSS_BUDGET_MIB = 200;

let serve: ServeProcess;
let instance: Instance;
/** Every desktop this file started, for the clean-up. */
const started: string[] = [];
let port: number;
let token: string;
let baselineRss: number;

const hostHeader = () => `127.0.0.1:${port}`;
/** A display ticket for the desktop (started anew first if another test file removed it). */
async function ticket(): Promise<DisplayTicket> {
  await desktopRunning();
  return serve.request<DisplayTicket>('display.connect', { instanceId: instance.id });
}
const tunnelPort = (t: DisplayTicket) => Number(new URL(t.tunnelUrl).port);

/** Starts the desktop the viewer checks look at, and waits until it runs. */
async function startDesktop(): Promise<void> {
  instance = await serve.request<Instance>('instances.start', { appId: 'linux-desktop' });
  started.push(instance.id);
  await waitUntil(
    async () => (await serve.request<Instance[]>('instances.list')).some((i) => i.id === instance.id && i.state === 'running'),
    60_000,
    'the desktop to run',
  );
}

/**
 * The container belongs to a dockerd other test files share (and may clean up); its fate is
 * not what these cases test. If it is gone, a new one is started, and the reason printed.
 */
async function desktopRunning(): Promise<boolean> {
  const now = (await serve.request<Instance[]>('instances.list')).find((i) => i.id === instance.id);
  if (now?.state === 'running') return false;
  console.log(`desktop ${now?.state ?? 'missing'} (${now?.stateReason ?? 'no reason'}): starting another`);
  for (const c of await containersOf(instance.id)) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  await startDesktop();
  return true;
}

before(async () => {
  serve = await ServeProcess.start(await tempDataDir(), { [GUARD_OFF_ENV]: '1' });
  port = Number(new URL(serve.origin).port);
  token = /serving at \S*[?&]token=([^\s&]+)/.exec(serve.log)![1]!;
  await startDesktop();
  assert.ok((await litPixels(await ticket())) > 0, 'a viewer sees the desktop before any hostile input');
  baselineRss = rssMiB(serve.child.pid!);
});

after(async () => {
  if (serve?.child.exitCode === null && serve.child.signalCode === null) {
    await serve.request('instances.stop', { instanceId: instance.id }).catch(() => undefined);
    await serve.stop();
  }
  for (const id of started) {
    for (const c of await containersOf(id)) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  }
});

/** What every case ends with: alive, no uncaught error, a real viewer drawing pixels, bounded memory. */
async function stillServing(): Promise<void> {
  await new Promise((r) => setTimeout(r, 50)); // a crash from the case shows by now
  assert.equal(serve.child.exitCode, null, `serve exited:\n${serve.log.slice(-2000)}`);
  assert.equal(serve.child.signalCode, null);
  assert.ok(!serve.log.includes(GUARD_TAG), `an uncaught error was logged:\n${serve.log.slice(-2000)}`);
  // 404 where the renderer was not built: the request was still answered, and authorised.
  const page = await fetch(serve.origin, { headers: { cookie: serve.cookie } });
  assert.ok([200, 404].includes(page.status), `the catalogue page is still served (HTTP ${page.status})`);
  let lit = await litPixels(await ticket());
  // Only if the container was removed under the viewer (see desktopRunning): once more.
  if (lit === 0 && (await desktopRunning())) lit = await litPixels(await ticket());
  assert.ok(lit > 0, 'a new viewer still sees the desktop');
  const rss = rssMiB(serve.child.pid!);
  assert.ok(rss < baselineRss + RSS_BUDGET_MIB, `resident memory ${rss.toFixed(0)} MiB (baseline ${baselineRss.toFixed(0)} MiB)`);
}

const withCookie = () => ({ Host: hostHeader(), Cookie: serve.cookie });
const apiHeaders = () => ({ Host: hostHeader(), Origin: serve.origin, Cookie: serve.cookie });

/** Opens the API socket as the browser does. */
function apiSocket(): Promise<WebSocket> {
  const ws = new WebSocket(`${serve.origin.replace('http', 'ws')}/api`, { headers: { cookie: serve.cookie, origin: serve.origin } });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Sends one API request and resolves with its response (or the close code if the socket closed first). */
async function apiCall(message: string | Buffer, binary = false): Promise<{ response?: { ok: boolean; error?: { message: string } }; closed?: number }> {
  const ws = await apiSocket();
  ws.on('error', () => undefined);
  return new Promise((resolve) => {
    ws.on('message', (data) => {
      const m = JSON.parse(String(data));
      if (m.type === 'response') {
        resolve({ response: m });
        ws.close();
      }
    });
    ws.once('close', (code) => resolve({ closed: code }));
    ws.send(message, { binary });
  });
}

const request = (channel: string, payload: unknown, id: unknown = 1) => JSON.stringify({ type: 'request', id, channel, payload });

interface Case {
  name: string;
  run(): Promise<void>;
}

const http: Case[] = [
  { name: 'HTTP: path "//"', run: async () => assert.notEqual((await rawRequest(port, `GET // HTTP/1.1\r\nHost: ${hostHeader()}\r\n\r\n`)).status, 0) },
  {
    name: 'HTTP: login with "/.//evil.example/x" does not redirect off this host',
    run: async () => {
      const r = await rawRequest(port, `GET /.//evil.example/x?token=${token} HTTP/1.1\r\nHost: ${hostHeader()}\r\n\r\n`);
      assert.equal(r.status, 303);
      const location = /\r\nLocation: ([^\r]*)/i.exec(r.text)![1]!;
      assert.match(location, /^\/[^/\\]/, `Location ${location} stays on this host`);
    },
  },
  {
    name: 'HTTP: a foreign Host header is refused even with a valid cookie',
    run: async () => assert.equal((await rawRequest(port, `GET / HTTP/1.1\r\nHost: evil.example:${port}\r\nCookie: ${serve.cookie}\r\n\r\n`)).status, 421),
  },
  {
    name: 'HTTP: localhost:PORT is accepted as Host',
    run: async () => assert.ok([200, 404].includes((await rawRequest(port, `GET / HTTP/1.1\r\nHost: localhost:${port}\r\nCookie: ${serve.cookie}\r\n\r\n`)).status)),
  },
  {
    name: 'HTTP: the session cookie is not the access token, and the token is no cookie',
    run: async () => {
      assert.notEqual(serve.cookie.split('=')[1], token);
      assert.equal((await rawRequest(port, `GET / HTTP/1.1\r\nHost: ${hostHeader()}\r\nCookie: daas_session=${token}\r\n\r\n`)).status, 401);
    },
  },
  { name: 'HTTP: token given twice', run: async () => assert.equal((await rawRequest(port, `GET /?token=${token}&token=${token} HTTP/1.1\r\nHost: ${hostHeader()}\r\n\r\n`)).status, 401) },
  { name: 'HTTP: absolute-form target', run: async () => assert.equal((await rawRequest(port, `GET http://evil.example/ HTTP/1.1\r\nHost: ${hostHeader()}\r\nCookie: ${serve.cookie}\r\n\r\n`)).status, 400) },
  { name: 'HTTP: asterisk target', run: async () => assert.equal((await rawRequest(port, `OPTIONS * HTTP/1.1\r\nHost: ${hostHeader()}\r\n\r\n`)).status, 400) },
  { name: 'HTTP: garbage request line', run: async () => assert.equal((await rawRequest(port, Buffer.from([0, 1, 2, 0xff, 0x0d, 0x0a, 0x0d, 0x0a]))).status, 400) },
  { name: 'HTTP: no Host header', run: async () => assert.equal((await rawRequest(port, 'GET / HTTP/1.1\r\n\r\n')).status, 400) },
  { name: 'HTTP: 64 KB of headers', run: async () => assert.equal((await rawRequest(port, `GET / HTTP/1.1\r\nHost: ${hostHeader()}\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`)).status, 431) },
  { name: 'HTTP: 64 KB path', run: async () => assert.equal((await rawRequest(port, `GET /${'a'.repeat(64 * 1024)} HTTP/1.1\r\nHost: ${hostHeader()}\r\n\r\n`)).status, 431) },
  {
    name: 'HTTP: Content-Length and Transfer-Encoding together',
    run: async () => assert.equal((await rawRequest(port, `POST / HTTP/1.1\r\nHost: ${hostHeader()}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`)).status, 400),
  },
  { name: 'HTTP: broken chunked body', run: async () => assert.notEqual((await rawRequest(port, `POST / HTTP/1.1\r\nHost: ${hostHeader()}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nxx\r\n`)).status, 0) },
  {
    name: 'HTTP: odd paths with a valid cookie',
    run: async () => {
      for (const p of ['/%', '/%00', '/..%2f..%2fetc%2fpasswd', '/%E2%82', '/\u00e4', '/api', '//api', '/?token']) {
        const r = await rawRequest(port, Buffer.from(`GET ${p} HTTP/1.1\r\nHost: ${hostHeader()}\r\nCookie: ${serve.cookie}\r\n\r\n`, 'utf8'));
        assert.ok([400, 401, 404].includes(r.status), `${p}: ${r.status}`);
      }
      // A malformed query on the page itself is ignored: the page is served (or 404 where no renderer is built).
      const page = await rawRequest(port, Buffer.from(`GET /?%zz=% HTTP/1.1\r\nHost: ${hostHeader()}\r\nCookie: ${serve.cookie}\r\n\r\n`, 'utf8'));
      assert.ok([200, 404].includes(page.status), `/?%zz=%: ${page.status}`);
    },
  },
];

/** Upgrades that must be refused with `status`. */
const refusedUpgrade = (name: string, target: string, headers: () => Record<string, string>, status: number, which: () => Promise<number> = async () => port): Case => ({
  name,
  run: () => assert.rejects(async () => rawUpgrade(await which(), target, headers()), new RegExp(`^Error: HTTP/1.1 ${status}`)),
});

const tunnelOf = async () => tunnelPort(await ticket());

const upgrades: Case[] = [
  refusedUpgrade('API upgrade: path "//"', '//', withCookie, 401),
  refusedUpgrade('API upgrade: path "//api"', '//api', apiHeaders, 401),
  refusedUpgrade('API upgrade: foreign Origin', '/api', () => ({ ...withCookie(), Origin: 'http://evil.example' }), 401),
  refusedUpgrade('API upgrade: foreign Host with a matching Origin', '/api', () => ({ Host: `evil.example:${port}`, Origin: `http://evil.example:${port}`, Cookie: serve.cookie }), 421),
  refusedUpgrade('API upgrade: foreign Host, our Origin', '/api', () => ({ ...apiHeaders(), Host: `evil.example:${port}` }), 421),
  refusedUpgrade('API upgrade: the access token as cookie', '/api', () => ({ ...apiHeaders(), Cookie: `daas_session=${token}` }), 401),
  refusedUpgrade('tunnel upgrade: path "//"', '//', () => ({ Host: '127.0.0.1' }), 421, tunnelOf),
  {
    name: 'tunnel upgrade: path "//" with the right Host',
    run: async () => {
      const p = await tunnelOf();
      await assert.rejects(rawUpgrade(p, '//', { Host: `127.0.0.1:${p}` }), /HTTP\/1.1 40[04]/);
    },
  },
  {
    name: 'tunnel upgrade: foreign Host with a valid ticket',
    run: async () => {
      const t = await ticket();
      await assert.rejects(rawUpgrade(tunnelPort(t), `/?token=${encodeURIComponent(t.token)}`, { Host: `evil.example:${tunnelPort(t)}` }), /HTTP\/1.1 421/);
    },
  },
];

/** A raw, authenticated API socket that receives `frames`; the server must close it. */
const apiFrames = (name: string, ...frames: Buffer[]): Case => ({
  name: `API frames: ${name}`,
  run: async () => {
    const { socket } = await rawUpgrade(port, '/api', apiHeaders());
    for (const f of frames) socket.write(f);
    const answer = await collect(socket, 3_000);
    // The server ends the connection (a close frame, then FIN): 0x88 is a close frame's first byte.
    assert.ok(answer.text.includes('\x88') || answer.text === '', `answer: ${JSON.stringify(answer.text.slice(0, 80))}`);
  },
});

const frames: Case[] = [
  apiFrames('reserved opcode 0x3', wsFrame(0x3, 'x')),
  apiFrames('unmasked client frame', wsFrame(0x1, request('apps.list', {}), { mask: false })),
  apiFrames('RSV1 without an extension', wsFrame(0x1, 'x', { rsv: 4 })),
  apiFrames('invalid UTF-8 in a text frame', wsFrame(0x1, Buffer.from([0xc3, 0x28, 0xff]))),
  apiFrames('ping with 200 bytes', wsFrame(0x9, Buffer.alloc(200))),
  apiFrames('fragmented ping', wsFrame(0x9, 'x', { fin: false })),
  apiFrames('continuation without a start', wsFrame(0x0, 'x')),
  apiFrames('close with code 999', wsFrame(0x8, Buffer.from([0x03, 0xe7]))),
  apiFrames('a header announcing 2^53 bytes', wsFrame(0x1, Buffer.alloc(0), { announcedLength: 2 ** 53 })),
  apiFrames('a header announcing one byte over the limit', wsFrame(0x2, Buffer.alloc(0), { announcedLength: MAX_REQUEST_BYTES + 1 })),
  apiFrames('fragments adding up over the limit', wsFrame(0x1, Buffer.alloc(0), { fin: false }), wsFrame(0x0, Buffer.alloc(0), { fin: false, announcedLength: MAX_REQUEST_BYTES + 1 })),
];

const catalogueJson = (chars: number, filler = 'a') => `{"x":"${filler.repeat(chars)}"}`;

const messages: Case[] = [
  {
    name: 'API message: a 1.5 MiB catalogue.previewImport gets an answer',
    run: async () => {
      const { response } = await apiCall(request('catalogue.previewImport', { json: catalogueJson(1.5 * 1024 * 1024) }));
      assert.equal(response?.ok, false, 'not a catalogue, and said so');
      assert.ok(response?.error?.message);
    },
  },
  {
    name: 'API message: a catalogue.previewImport of the 5 MiB the contract allows gets an answer',
    run: async () => {
      const { response } = await apiCall(request('catalogue.previewImport', { json: catalogueJson(5 * 1024 * 1024 - 10) }));
      assert.equal(response?.ok, false);
    },
  },
  {
    name: 'API message: 1 MiB of control characters (6 MiB once JSON-escaped) gets an answer',
    run: async () => {
      const { response } = await apiCall(request('catalogue.previewImport', { json: catalogueJson(1024 * 1024, '\u0001') }));
      assert.equal(response?.ok, false);
    },
  },
  {
    name: 'API message: the renderer transport refuses a request over the limit with a message to show',
    run: async () => {
      // The transport reconnects forever; once done, it gets a socket that never opens.
      let done = false;
      let socket: WebSocket | undefined;
      const transport = new WsTransport(`${serve.origin.replace('http', 'ws')}/api`, {
        createSocket: (url) => {
          if (done) return {} as globalThis.WebSocket;
          socket = new WebSocket(url, { headers: { cookie: serve.cookie, origin: serve.origin } });
          return socket as unknown as globalThis.WebSocket;
        },
      });
      try {
        await waitUntil(async () => transport.status().state === 'open', 5_000, 'the transport to open');
        const result = await transport.request('catalogue.previewImport', { json: 'a'.repeat(MAX_REQUEST_BYTES) });
        assert.equal(result.ok, false);
        if (!result.ok) assert.match(result.error.message, /too large .*MB; at most \d+ MB/);
        assert.equal(transport.status().state, 'open', 'the connection stays open');
        const listed = await transport.request('apps.list', {});
        assert.equal(listed.ok, true);
      } finally {
        done = true;
        socket?.terminate();
      }
    },
  },
  {
    name: 'API message: malformed ones close only that socket',
    run: async () => {
      for (const m of ['null', '[]', '{"type":"request"}', request('apps.list', {}, 1.5), '['.repeat(200_000)]) {
        assert.equal((await apiCall(m)).closed, 1003, m.slice(0, 30));
      }
      assert.equal((await apiCall(Buffer.from([0xff, 0xfe, 0]), true)).closed, 1003);
    },
  },
  {
    name: 'API message: prototype names as channels get typed errors',
    run: async () => {
      for (const channel of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
        const { response } = await apiCall(request(channel, {}));
        assert.equal(response?.ok, false, channel);
      }
      const { response } = await apiCall('{"type":"request","id":2,"channel":"apps.list","payload":{"__proto__":{"polluted":1}}}');
      assert.ok(response, 'answered');
    },
  },
];

/** Opens the tunnel with `query` (ticket included by the caller) and returns what it answered. */
async function tunnelAnswer(query: string, then: Buffer[] = [], host?: string): Promise<string> {
  const t = await ticket();
  const p = tunnelPort(t);
  const { socket, after } = await rawUpgrade(p, `/?${query.replaceAll('TICKET', encodeURIComponent(t.token))}`, { Host: host ?? `127.0.0.1:${p}`, 'Sec-WebSocket-Protocol': 'guacamole' });
  for (const f of then) socket.write(f);
  const rest = await collect(socket, 1_500);
  return after.toString('latin1') + rest.text;
}

const tunnel: Case[] = [
  {
    name: 'tunnel: the same ticket twice in the query',
    run: async () => assert.match(await tunnelAnswer('token=TICKET&token=TICKET'), /more than once/),
  },
  { name: 'tunnel: an unknown query key', run: async () => assert.match(await tunnelAnswer('token=TICKET&join=x'), /unexpected parameter/) },
  { name: 'tunnel: width[] as a key', run: async () => assert.match(await tunnelAnswer('token=TICKET&width[]=1'), /unexpected parameter/) },
  { name: 'tunnel: a width that is no number', run: async () => assert.match(await tunnelAnswer('token=TICKET&width=abc'), /must be a number/) },
  { name: 'tunnel: a huge height', run: async () => assert.match(await tunnelAnswer('token=TICKET&height=99999999'), /must be a number/) },
  { name: 'tunnel: an empty ticket', run: async () => assert.match(await tunnelAnswer('token='), /malformed ticket/) },
  { name: 'tunnel: a 12 KB ticket', run: async () => assert.match(await tunnelAnswer(`token=${'A'.repeat(12_000)}`), /malformed ticket/) },
  { name: 'tunnel: a 100 KB query', run: async () => assert.rejects(tunnelAnswer(`token=${'A'.repeat(100_000)}`), /431/) },
  { name: 'tunnel: a forged ticket, then a reserved opcode', run: async () => assert.match(await tunnelAnswer('token=Zm9yZ2Vk', [wsFrame(0x3, 'x')]), /ticket rejected/) },
  { name: 'tunnel: no ticket, then an unmasked frame', run: async () => assert.match(await tunnelAnswer('', [wsFrame(0x1, '3.nop;', { mask: false })]), /no ticket/) },
  { name: 'tunnel: no ticket, then a frame over the limit', run: async () => assert.match(await tunnelAnswer('', [wsFrame(0x1, Buffer.alloc(0), { announcedLength: 1 << 30 })]), /no ticket/) },
  {
    name: 'tunnel: a viewer sends a frame header over 1 MiB',
    run: async () => {
      const answer = await tunnelAnswer('token=TICKET&width=640&height=480', [wsFrame(0x1, Buffer.alloc(0), { announcedLength: 2 << 20 })]);
      assert.ok(answer.includes('\x88'), 'closed');
    },
  },
  {
    name: 'tunnel: a viewer sends a reserved opcode after connecting',
    run: async () => assert.ok((await tunnelAnswer('token=TICKET', [wsFrame(0x3, 'x')])).includes('\x88'), 'closed'),
  },
  ...[
    ['truncated instruction, then close', '6.select,3.vn'],
    ['an element length of 10^11', '99999999999.x;'],
    ['an element over 64 K', `70000.${'a'.repeat(70_000)};`],
    ['not a length', 'abc;'],
    ['200 elements', `4.size${',1.1'.repeat(200)};`],
    ['an instruction over 256 K code points', `4.blob${`,60000.${'b'.repeat(60_000)}`.repeat(5)};`],
  ].map(
    ([what, data]): Case => ({
      name: `tunnel: a viewer sends ${what}`,
      run: async () => {
        const answer = await tunnelAnswer('token=TICKET', [wsFrame(0x1, data!)]);
        assert.ok(answer.length > 0, 'the tunnel answered');
      },
    }),
  ),
];

const cases = [...http, ...upgrades, ...frames, ...messages, ...tunnel];

for (const c of cases) {
  test(c.name, async () => {
    await c.run();
    await stillServing();
  });
}

test(`after all ${cases.length} cases: alive, no uncaught error, memory bounded`, async () => {
  await stillServing();
  console.log(`serve hostile cases: ${cases.length}; resident memory ${baselineRss.toFixed(0)} -> ${rssMiB(serve.child.pid!).toFixed(0)} MiB`);
});
