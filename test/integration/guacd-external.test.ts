// The external-guacd path: DisplayService routes tickets through "a guacd" at host:port. No
// guacd exists on these machines, so the peer is our gateway run on its own (the standalone
// CLI), which speaks the same protocol: this proves the guacd client path (guacamole-lite
// dialling an external address, parameters by guacd's names), and the CLI itself.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DisplayService } from '../../src-main/display/display-service';
import { startGatewayCli, type GatewayCli } from '../helpers/gateway-cli';
import { GuacTestClient } from '../helpers/guac-client';
import { waitUntil } from '../helpers/x-apps';
import { startXvnc, XvncServer } from '../helpers/xvnc';

describe('display service through an external guacd (the standalone gateway)', () => {
  let xvnc: XvncServer;
  /** A desktop only the per-ticket tests use, so each of their VNC connections is a new one. */
  let xvnc2: XvncServer;
  /** Stands in for guacd (our standalone gateway); counts the desktops it dialled. */
  let cli: GatewayCli;
  let display: DisplayService;
  /** Embedded gateway by default. */
  let mixed: DisplayService;
  let port = 0;
  const clients: GuacTestClient[] = [];
  const connectWith = async (ticket: { tunnelUrl: string; token: string }): Promise<GuacTestClient> => {
    const c = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}&width=800&height=600&dpi=96`);
    clients.push(c);
    return c;
  };

  before(async () => {
    xvnc = await startXvnc({ password: 'ext-pw12', width: 300, height: 200 });
    xvnc2 = await startXvnc({ password: 'ext-pw12', width: 300, height: 200 });
    cli = await startGatewayCli();
    port = cli.port;
    display = await DisplayService.start({ guacd: { host: '127.0.0.1', port }, connectRetries: 0 });
    mixed = await DisplayService.start({ connectRetries: 0 });
  });

  after(async () => {
    await Promise.all(clients.map((c) => c.close(false)));
    await display?.close();
    await mixed?.close();
    await cli?.stop();
    await xvnc?.stop();
    await xvnc2?.stop();
  });

  it('routes a ticket to the configured guacd and draws the desktop', async () => {
    assert.deepEqual(display.backend, { kind: 'guacd', host: '127.0.0.1', port });
    const ticket = display.issueTicket('i-1', { host: '127.0.0.1', port: xvnc.port, password: 'ext-pw12' });
    const c = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}&width=800&height=600&dpi=96`);
    clients.push(c);
    assert.deepEqual(await c.waitForOpcode('size'), ['size', '0', '300', '200']);
    await c.waitForOpcode('sync');
    assert.ok(c.images.some((i) => i.layer === 0));
  });

  it('a wrong password comes back as guacd 1.6.0 reports it: UPSTREAM_NOT_FOUND (519)', async () => {
    const ticket = display.issueTicket('i-1', { host: '127.0.0.1', port: xvnc.port, password: 'nope' });
    const c = await GuacTestClient.connect(ticket.tunnelUrl, `token=${encodeURIComponent(ticket.token)}`);
    clients.push(c);
    const error = await c.waitForOpcode('error');
    // The stand-in guacd is the standalone gateway, which uses guacd's codes (the app's own
    // gateway says CLIENT_UNAUTHORIZED, gateway-vnc.test.ts).
    assert.equal(Number(error[2]), 0x0207);
  });

  it('per ticket: one app through the guacd, another through the embedded gateway (embedded by default)', async () => {
    assert.equal(mixed.backend.kind, 'embedded');
    const target = { host: '127.0.0.1', port: xvnc2.port, password: 'ext-pw12' };

    const before = cli.connections();
    const viaEmbedded = await connectWith(mixed.issueTicket('app-a', target));
    assert.deepEqual(await viaEmbedded.waitForOpcode('size'), ['size', '0', '300', '200']);
    await viaEmbedded.waitForOpcode('sync');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(cli.connections(), before, 'the default route does not touch the guacd');

    const viaGuacd = await connectWith(mixed.issueTicket('app-b', target, {}, { guacd: { host: '127.0.0.1', port } }));
    assert.deepEqual(await viaGuacd.waitForOpcode('size'), ['size', '0', '300', '200']);
    await viaGuacd.waitForOpcode('sync');
    await waitUntil(async () => cli.connections() === before + 1, 5_000, 'the guacd to dial the desktop');

    // Both at once, each on its own route, both drawing.
    assert.ok(viaEmbedded.images.some((i) => i.layer === 0));
    assert.ok(viaGuacd.images.some((i) => i.layer === 0));
    assert.equal(mixed.viewerCount('app-a'), 1);
    assert.equal(mixed.viewerCount('app-b'), 1);
    await viaEmbedded.close();
    await viaGuacd.close();
  });

  it('per ticket: the embedded gateway although a guacd is the default', async () => {
    const before = cli.connections();
    const c = await connectWith(
      display.issueTicket('app-c', { host: '127.0.0.1', port: xvnc2.port, password: 'ext-pw12' }, {}, { guacd: 'embedded' }),
    );
    await c.waitForOpcode('sync');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(cli.connections(), before);
    await c.close();
  });

  it('per ticket guacd parameters reach the guacd (cursor=remote: no client-side pointer)', async () => {
    const target = { host: '127.0.0.1', port: xvnc.port, password: 'ext-pw12' };
    const local = await connectWith(mixed.issueTicket('app-d', target, {}, { guacd: { host: '127.0.0.1', port } }));
    await local.waitForOpcode('cursor');
    await local.close();
    const remote = await connectWith(
      mixed.issueTicket('app-e', target, {}, { guacd: { host: '127.0.0.1', port }, params: { cursor: 'remote' } }),
    );
    await remote.waitForOpcode('sync');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(remote.instructions.filter((i) => i[0] === 'cursor').length, 0);
    await remote.close();
  });

  it('RDP goes to the guacd with protocol "rdp"; without a guacd it is refused', async () => {
    const target = { host: '127.0.0.1', port: 3389, password: 'pw' };
    assert.throws(() => mixed.issueTicket('win-1', target, {}, { protocol: 'rdp' }), /RDP needs an external guacd/);
    // Our stand-in guacd speaks VNC only, so it answers `select,rdp` as guacd answers a protocol it lacks.
    const c = await connectWith(
      mixed.issueTicket('win-1', target, {}, { protocol: 'rdp', guacd: { host: '127.0.0.1', port }, params: { username: 'u', security: 'nla', ignoreCert: true } }),
    );
    const error = await c.waitForOpcode('error');
    assert.equal(Number(error[2]), 0x0100, `UNSUPPORTED (got ${error.join(',')})`);
    assert.match(error[1]!, /"rdp" is not supported/);
    await c.closed;
  });

  it('rejects a malformed guacd address', () => {
    assert.throws(() => mixed.issueTicket('x', { host: '127.0.0.1', port: 1, password: '' }, {}, { guacd: { host: '127.0.0.1', port: 0 } }), RangeError);
  });

  it('the CLI stops on SIGTERM', async () => {
    assert.equal(await cli.stop(), 0);
  });
});
