// The Proxmox API emulator answers as Proxmox does (checked over raw HTTPS, without the
// provider's client): envelope, content type, error bodies and reason phrases, tickets and
// CSRF, tasks, and a console WebSocket that carries the real QEMU's RFB stream.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { vncAuthResponse } from '../../src-main/rfb/vnc-auth';
import { CONTENT_TYPE } from '../fixtures/proxmox/emulator';
import { pidAlive, startTestCluster, TEMPLATE_VMID, TestCluster, TOKEN_ID, USERNAME, PASSWORD } from '../fixtures/proxmox/setup';

interface Answer {
  status: number;
  reason: string;
  contentType?: string;
  text: string;
  json?: { data?: unknown; message?: string; errors?: Record<string, string>; total?: number };
}

const UPID = /^UPID:pve[12]:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:[a-z]+:\d+:[^:]+:$/;
const SCHEMA = path.resolve(__dirname, '../..', '../shared/proxmox/apidata.json');

describe('Proxmox API emulator', () => {
  let cluster: TestCluster;
  let auth: Record<string, string>;

  const call = (method: string, p: string, options: { headers?: Record<string, string>; form?: Record<string, string> } = {}): Promise<Answer> => {
    const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
    return new Promise((resolve, reject) => {
      const req = https.request(
        `${cluster.emu.url}/api2/json${p}`,
        {
          method,
          ca: cluster.emu.certPem,
          headers: { ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}), ...options.headers },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () =>
            resolve({
              status: res.statusCode!,
              reason: res.statusMessage!,
              contentType: res.headers['content-type'],
              text,
              json: text ? (JSON.parse(text) as Answer['json']) : undefined,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  };

  const waitTask = async (upid: string): Promise<{ status: string; exitstatus?: string }> => {
    for (;;) {
      const node = upid.split(':')[1]!;
      const r = await call('GET', `/nodes/${node}/tasks/${encodeURIComponent(upid)}/status`, { headers: auth });
      const s = r.json!.data as { status: string; exitstatus?: string };
      if (s.status === 'stopped') return s;
      await new Promise((res) => setTimeout(res, 50));
    }
  };

  /** An error body's `message`, which libpve-http-server sends from 5.2 (PVE 8.3) on. */
  const message = (text: string): { message?: string } => (cluster.emu.behaviour.messageInErrorBody ? { message: text } : {});

  before(async () => {
    cluster = await startTestCluster({ unauthorizedDelayMs: 200 });
    auth = { Authorization: `PVEAPIToken=${TOKEN_ID}=${cluster.secret}` };
  });

  after(async () => {
    const pids = cluster?.emu.qemuPids() ?? [];
    await cluster?.emu.close();
    for (const pid of pids) assert.equal(pidAlive(pid), false);
  });

  it('answers in the envelope, with Proxmox\'s exact content type', async () => {
    const r = await call('GET', '/version', { headers: auth });
    assert.equal(r.status, 200);
    assert.equal(r.contentType, CONTENT_TYPE);
    assert.equal(CONTENT_TYPE, 'application/json;charset=UTF-8');
    assert.deepEqual(Object.keys(r.json!), ['data']);
    const next = await call('GET', '/cluster/nextid', { headers: auth });
    assert.equal(typeof next.json!.data, 'string', 'nextid is a string on the wire');
  });

  it('401: empty body, reason phrase, after a delay', async () => {
    const t0 = performance.now();
    const none = await call('GET', '/version');
    assert.ok(performance.now() - t0 >= 190);
    assert.deepEqual([none.status, none.reason, none.text], [401, 'No ticket', '']);
    const bad = await call('GET', '/version', { headers: { Authorization: `PVEAPIToken=${TOKEN_ID}=00000000-0000-0000-0000-000000000000` } });
    // PVE 9.1.5 words every refused ticket or token alike; earlier releases said what was wrong.
    const uniform = cluster.emu.behaviour.uniformAuthFailure;
    assert.deepEqual([bad.status, bad.reason, bad.text], [401, uniform ? 'Authentication failed!' : 'invalid token value!', '']);
    const unknown = await call('GET', '/version', { headers: { Authorization: `PVEAPIToken=${TOKEN_ID}x=${cluster.secret}` } });
    assert.equal(unknown.reason, uniform ? 'Authentication failed!' : "no such token 'desktopx' for user 'daas@pve'");
    const forged = await call('GET', '/version', { headers: { Cookie: 'PVEAuthCookie=PVE:alice@pve:65000000::Zm9yZ2Vk' } });
    assert.equal(forged.reason, uniform ? 'Authentication failed!' : 'permission denied - invalid PVE ticket');
    const login = await call('POST', '/access/ticket', { form: { username: USERNAME, password: 'wrong' } });
    assert.equal(login.status, 401);
    assert.deepEqual(login.json, { data: null, ...message('authentication failure\n') });
  });

  it('400: Parameter verification failed. with an error per parameter', async () => {
    const r = await call('POST', `/nodes/pve1/qemu/${TEMPLATE_VMID}/clone`, { headers: auth, form: { newid: 'abc', colour: 'red' } });
    assert.equal(r.status, 400);
    assert.equal(r.reason, 'Parameter verification failed.');
    assert.deepEqual(r.json, {
      data: null,
      ...message('Parameter verification failed.\n'),
      errors: {
        newid: "type check ('integer') failed - got 'abc'",
        colour: 'property is not defined in schema and the schema does not allow additional properties',
      },
    });
    const missing = await call('POST', `/nodes/pve1/qemu/${TEMPLATE_VMID}/clone`, { headers: auth, form: {} });
    assert.deepEqual(missing.json!.errors, { newid: 'property is missing and it is not optional' });
    const range = await call('POST', `/nodes/pve1/qemu/99/status/start`, { headers: auth });
    assert.deepEqual(range.json!.errors, { vmid: 'value must have a minimum value of 100' });
    const tags = await call('PUT', `/nodes/pve1/qemu/${TEMPLATE_VMID}/config`, { headers: auth, form: { tags: 'ok;not ok!' } });
    assert.deepEqual(tags.json!.errors, { tags: "invalid format - invalid tag 'ok!'" });
  });

  it('500 and 501 carry Proxmox\'s message; the reason phrase is its first line', async () => {
    const r = await call('GET', '/nodes/pve1/qemu/4242/status/current', { headers: auth });
    assert.deepEqual([r.status, r.reason], [500, "Configuration file 'nodes/pve1/qemu-server/4242.conf' does not exist"]);
    assert.equal(r.json!.message, message("Configuration file 'nodes/pve1/qemu-server/4242.conf' does not exist\n").message);
    const unknown = await call('GET', '/nodes/pve1/teapot', { headers: auth });
    assert.deepEqual([unknown.status, unknown.reason], [501, "Method 'GET /api2/json/nodes/pve1/teapot' not implemented"]);
  });

  it('tickets need the CSRF token for writes; API tokens do not', async () => {
    const login = await call('POST', '/access/ticket', { form: { username: USERNAME, password: PASSWORD } });
    const { ticket, CSRFPreventionToken: csrf, username } = login.json!.data as { ticket: string; CSRFPreventionToken: string; username: string };
    assert.equal(username, USERNAME);
    assert.match(ticket, /^PVE:alice@pve:[0-9A-F]{8}::/);
    const cookie = { Cookie: `PVEAuthCookie=${encodeURIComponent(ticket)}` };
    assert.equal((await call('GET', '/version', { headers: cookie })).status, 200);
    const noCsrf = await call('PUT', `/nodes/pve1/qemu/${TEMPLATE_VMID}/config`, { headers: cookie, form: { description: 'x' } });
    assert.deepEqual([noCsrf.status, noCsrf.reason, noCsrf.text], [401, 'Permission denied - invalid csrf token', '']);
    const withCsrf = await call('PUT', `/nodes/pve1/qemu/${TEMPLATE_VMID}/config`, { headers: { ...cookie, CSRFPreventionToken: csrf }, form: { description: 'x' } });
    assert.deepEqual(withCsrf.json, { data: null });
    const renewed = await call('POST', '/access/ticket', { form: { username: USERNAME, password: ticket } });
    assert.equal(renewed.status, 200, 'a valid ticket renews itself');
  });

  it('403 names the path and the privilege', async () => {
    cluster.emu.addToken('daas@pve!audit', 'b5d7c1a2-0000-4000-8000-000000000001', { '/': ['VM.Audit'] });
    const r = await call('POST', `/nodes/pve1/qemu/${TEMPLATE_VMID}/clone`, {
      headers: { Authorization: 'PVEAPIToken=daas@pve!audit=b5d7c1a2-0000-4000-8000-000000000001' },
      form: { newid: '300' },
    });
    assert.deepEqual([r.status, r.reason], [403, `Permission check failed (/vms/${TEMPLATE_VMID}, VM.Clone)`]);
  });

  it('runs tasks with real-format UPIDs, status and log; clone -> start -> console -> stop -> delete', async () => {
    const clone = await call('POST', `/nodes/pve1/qemu/${TEMPLATE_VMID}/clone`, { headers: auth, form: { newid: '200', name: 'c200', target: 'pve2' } });
    const upid = clone.json!.data as string;
    assert.match(upid, UPID);
    assert.match(upid, /:qmclone:9000:daas@pve!desktop:$/);
    const during = await call('GET', '/cluster/resources?type=vm', { headers: auth });
    const placeholder = (during.json!.data as Array<{ vmid: number; lock?: string }>).find((v) => v.vmid === 200);
    assert.equal(placeholder?.lock, 'clone', 'the new VM exists, locked, while the clone runs');
    assert.deepEqual(await waitTask(upid), { ...(await waitTask(upid)), status: 'stopped', exitstatus: 'OK' });
    const log = await call('GET', `/nodes/pve1/tasks/${encodeURIComponent(upid)}/log`, { headers: auth });
    assert.equal(log.json!.total, 2);
    assert.deepEqual(log.json!.data, [
      { n: 1, t: 'create linked clone of drive scsi0 (ceph-vm:base-9000-disk-0)' },
      { n: 2, t: 'TASK OK' },
    ]);
    const again = await call('POST', `/nodes/pve1/qemu/${TEMPLATE_VMID}/clone`, { headers: auth, form: { newid: '200' } });
    assert.deepEqual([again.status, again.json!.message], [500, message("VM 200 already exists on node 'pve2'\n").message]);

    const start = await call('POST', '/nodes/pve2/qemu/200/status/start', { headers: auth });
    assert.equal((await waitTask(start.json!.data as string)).exitstatus, 'OK');
    const twice = await call('POST', '/nodes/pve2/qemu/200/status/start', { headers: auth });
    assert.equal((await waitTask(twice.json!.data as string)).exitstatus, 'VM 200 already running');

    // The console: vncproxy, then the websocket, then VNC auth against the real QEMU.
    const vncproxy = async (form: Record<string, string>) =>
      (await call('POST', '/nodes/pve2/qemu/200/vncproxy', { headers: auth, form })).json!
        .data as { port: number; ticket: string; password?: string; user: string; cert: string; upid: string };
    const proxy = await vncproxy({ websocket: '1', 'generate-password': '1' });
    assert.match(proxy.password!, /^[!-~]{8}$/);
    assert.equal(proxy.user, TOKEN_ID);
    assert.match(proxy.upid, UPID);
    assert.ok(proxy.port >= 5900 && proxy.port <= 5999);
    // qemu-server 9.1.7 / 8.4.8 put the password in front of the ticket.
    const always = cluster.emu.behaviour.consolePasswordAlways;
    assert.ok(proxy.ticket.startsWith(always ? `${proxy.password}:PVEVNC:` : 'PVEVNC:'), proxy.ticket);
    const wsUrl = (port: number, ticket: string) =>
      `${cluster.emu.url.replace('https', 'wss')}/api2/json/nodes/pve2/qemu/200/vncwebsocket?port=${port}&vncticket=${encodeURIComponent(ticket)}`;
    /** The handshake's outcome: 101 with the chosen subprotocol, another status with its body, or no answer at all. */
    const handshake = (url: string, protocols: string[]) =>
      new Promise<{ status: number | 'no answer'; protocol?: string; body?: string; ws?: WebSocket }>((resolve) => {
        const ws = new WebSocket(url, protocols, { ca: cluster.emu.certPem, headers: auth });
        ws.on('unexpected-response', (_req, res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        });
        ws.on('open', () => resolve({ status: 101, protocol: ws.protocol, ws }));
        ws.on('error', () => resolve({ status: 'no answer' }));
      });

    const chat = await handshake(wsUrl(proxy.port, proxy.ticket), ['chat']);
    assert.equal(chat.status, 501, 'pveproxy speaks binary or base64 only');
    const forgedTicket = await handshake(wsUrl(proxy.port, proxy.ticket.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))), ['binary']);
    assert.equal(forgedTicket.status, 401);
    assert.deepEqual(JSON.parse(forgedTicket.body!), { data: null, ...message('permission denied - invalid vnc ticket\n') }, 'the handler\'s 401 has a JSON body');
    const opened = await handshake(wsUrl(proxy.port, proxy.ticket), ['base64', 'binary']);
    assert.deepEqual([opened.status, opened.protocol], [101, 'binary'], 'binary is picked when offered, and echoed; the refusals above left the console waiting');
    const ws = opened.ws!;
    let got = Buffer.alloc(0);
    const waitBytes = (n: number) =>
      new Promise<Buffer>((resolve) => {
        const check = () => {
          if (got.length >= n) {
            const out = got.subarray(0, n);
            got = got.subarray(n);
            ws.off('message', onMessage);
            resolve(out);
          }
        };
        const onMessage = () => check();
        ws.on('message', onMessage);
        check();
      });
    ws.on('message', (d: Buffer) => (got = Buffer.concat([got, d])));
    assert.equal((await waitBytes(12)).toString(), 'RFB 003.008\n');
    ws.send('RFB 003.008\n', { binary: false }); // pveproxy passes text frames through as well
    const count = (await waitBytes(1))[0]!;
    assert.deepEqual([...(await waitBytes(count))], [2], 'QEMU with password=on offers VNC Authentication only');
    ws.send(Buffer.from([2]));
    ws.send(vncAuthResponse(proxy.password!, await waitBytes(16)));
    assert.equal((await waitBytes(4)).readUInt32BE(0), 0, 'the generated password is accepted');
    ws.send(Buffer.from([1]));
    const init = await waitBytes(24);
    assert.ok(init.readUInt16BE(0) >= 640 && init.readUInt16BE(2) >= 400, 'ServerInit with the VGA size');
    ws.close();

    const reuse = await handshake(wsUrl(proxy.port, proxy.ticket), ['binary']);
    assert.equal(reuse.status, 'no answer', 'a console serves one connection; pveproxy drops a late second one unanswered');

    // Without generate-password: a password anyway since qemu-server 9.1.7 / 8.4.8; before,
    // the ticket was the VNC password (QEMU compares its first 8 bytes).
    const plain = await vncproxy({ websocket: '1' });
    assert.equal(plain.password !== undefined, always);
    const second = (await handshake(wsUrl(plain.port, plain.ticket), ['base64'])).ws!;
    assert.equal(second.protocol, 'base64');
    got = Buffer.alloc(0);
    second.on('message', (d: Buffer) => (got = Buffer.concat([got, d])));
    const waitSecond = async (n: number) => {
      while (got.length < n) await new Promise((r) => setTimeout(r, 10));
      const out = got.subarray(0, n);
      got = got.subarray(n);
      return out;
    };
    await waitSecond(12);
    second.send(Buffer.from('RFB 003.008\n'));
    await waitSecond((await waitSecond(1))[0]!); // the security types
    second.send(Buffer.from([2]));
    second.send(vncAuthResponse(plain.ticket.slice(0, 8), await waitSecond(16)));
    assert.equal((await waitSecond(4)).readUInt32BE(0), 0, 'the ticket\'s first 8 bytes are the VNC password in either release');
    second.close();

    const pid = cluster.emu.vmList().find((v) => v.vmid === 200)!.pid!;
    const running = await call('DELETE', '/nodes/pve2/qemu/200', { headers: auth });
    assert.deepEqual([running.status, running.reason], [500, 'VM 200 is running - destroy failed']);
    const stop = await call('POST', '/nodes/pve2/qemu/200/status/stop', { headers: auth });
    assert.equal((await waitTask(stop.json!.data as string)).exitstatus, 'OK');
    assert.equal(pidAlive(pid), false, 'stop kills the QEMU process');
    const del = await call('DELETE', '/nodes/pve2/qemu/200?purge=1', { headers: auth });
    assert.equal((await waitTask(del.json!.data as string)).exitstatus, 'OK');
    assert.ok(!cluster.emu.vmList().some((v) => v.vmid === 200));
  });

  it('a killed clone worker leaves a locked placeholder that cannot be deleted', async () => {
    cluster.emu.faults.failNextTask('qmclone', { at: 'killed', message: '' });
    const clone = await call('POST', `/nodes/pve1/qemu/${TEMPLATE_VMID}/clone`, { headers: auth, form: { newid: '210' } });
    assert.equal((await waitTask(clone.json!.data as string)).exitstatus, 'unexpected status');
    const del = await call('DELETE', '/nodes/pve1/qemu/210', { headers: auth });
    assert.equal((await waitTask(del.json!.data as string)).exitstatus, 'VM is locked (clone)');
    cluster.emu.cluster.vms.delete(210);
  });

  it('answers with no property the official schema does not declare', { skip: existsSync(SCHEMA) ? false : `schema missing: ${SCHEMA}` }, async () => {
    type Node = { path: string; info?: Record<string, { returns?: { properties?: object; items?: { properties?: object } } }>; children?: Node[] };
    const find = (nodes: Node[], p: string): Node | undefined => {
      for (const n of nodes) {
        if (n.path === p) return n;
        const hit = n.children && find(n.children, p);
        if (hit) return hit;
      }
      return undefined;
    };
    const tree = JSON.parse(readFileSync(SCHEMA, 'utf8')) as Node[];
    const declared = (p: string, method: string, item: boolean) => {
      const r = find(tree, p)!.info![method]!.returns!;
      return Object.keys((item ? r.items?.properties : r.properties) ?? {});
    };
    const clone = await call('POST', `/nodes/pve1/qemu/${TEMPLATE_VMID}/clone`, { headers: auth, form: { newid: '220' } });
    const task = await call('GET', `/nodes/pve1/tasks/${encodeURIComponent(clone.json!.data as string)}/status`, { headers: auth });
    await waitTask(clone.json!.data as string);
    const checks: Array<[string, string, object[], boolean]> = [
      ['/version', 'GET', [(await call('GET', '/version', { headers: auth })).json!.data as object], false],
      ['/nodes/{node}/tasks/{upid}/status', 'GET', [task.json!.data as object], false],
      ['/cluster/resources', 'GET', (await call('GET', '/cluster/resources', { headers: auth })).json!.data as object[], true],
      ['/nodes', 'GET', (await call('GET', '/nodes', { headers: auth })).json!.data as object[], true],
      ['/nodes/{node}/qemu', 'GET', (await call('GET', '/nodes/pve1/qemu', { headers: auth })).json!.data as object[], true],
      ['/nodes/{node}/qemu/{vmid}/status/current', 'GET', [(await call('GET', '/nodes/pve1/qemu/220/status/current', { headers: auth })).json!.data as object], false],
      ['/nodes/{node}/qemu/{vmid}/config', 'GET', [(await call('GET', '/nodes/pve1/qemu/220/config', { headers: auth })).json!.data as object], false],
    ];
    const extra = new Set<string>();
    for (const [p, method, objects, item] of checks) {
      const known = declared(p, method, item);
      // The schema names numbered keys generically: scsi[n], net[n], ...
      for (const o of objects) {
        for (const key of Object.keys(o)) if (!known.includes(key.replace(/\d+$/, '[n]'))) extra.add(`${method} ${p}: ${key}`);
      }
    }
    assert.deepEqual([...extra].sort(), []);
    const del = await call('DELETE', '/nodes/pve1/qemu/220', { headers: auth });
    await waitTask(del.json!.data as string);
  });
});
