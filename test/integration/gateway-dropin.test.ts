// The gateway as a drop-in for guacd 1.6.0, where a Guacamole client can tell the difference:
// the status code of a refused VNC password in the standalone gateway, the frame count in
// `sync`, `msg` notices to the viewer that opened a shared desktop, and the compress-level /
// quality-level parameters reaching the VNC server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Gateway, startGateway } from '../../src-main/display/gateway';
import { GuacStatus } from '../../src-main/display/gateway/status';
import { startGatewayCli, GatewayCli } from '../helpers/gateway-cli';
import { GuacdWireClient } from '../helpers/guacd-wire-client';
import { HostileRfbServer } from '../helpers/hostile-rfb-server';
import { startXvnc, XvncServer } from '../helpers/xvnc';

describe('drop-in for guacd 1.6.0', () => {
  let xvnc: XvncServer;
  let cli: GatewayCli;
  let gateway: Gateway;
  const clients: GuacdWireClient[] = [];

  before(async () => {
    [xvnc, cli, gateway] = await Promise.all([
      startXvnc({ password: 'right-pw', width: 320, height: 240 }),
      startGatewayCli(),
      // Viewers that do not answer keep waiting (the default lets them go after 1 s).
      startGateway({ session: { log: () => undefined, ackTimeoutMs: 60_000 } }),
    ]);
  });

  after(async () => {
    clients.forEach((c) => c.close());
    await Promise.all([cli?.stop(), gateway?.close(), xvnc?.stop()]);
  });

  const open = async (port: number, params: Record<string, string>, who: { name?: string; version?: string } = {}) => {
    const c = await GuacdWireClient.open('127.0.0.1', port);
    clients.push(c);
    await c.handshake({ hostname: '127.0.0.1', port: String(xvnc.port), ...params }, [320, 240, 96], ['image/png'], who);
    return c;
  };

  it('a refused VNC password: 519 (UPSTREAM_NOT_FOUND) from the standalone gateway, as guacd; 769 in the app', async () => {
    const standalone = await open(cli.port, { password: 'wrong-pw' });
    const error = await standalone.waitFor((i) => i[0] === 'error');
    assert.equal(Number(error[2]), GuacStatus.UPSTREAM_NOT_FOUND);
    assert.equal(error[2], '519');
    assert.match(error[1]!, /authentication/i, 'the readable text stays');

    const app = await open(gateway.port, { password: 'wrong-pw' });
    assert.equal(Number((await app.waitFor((i) => i[0] === 'error'))[2]), GuacStatus.CLIENT_UNAUTHORIZED);
  });

  it('sync names the server frames it shows: 1 for a viewer in step, all it missed for one that fell behind', async () => {
    const inStep = await open(gateway.port, { password: 'right-pw' });
    inStep.answerSyncs();
    const behind = await open(gateway.port, { password: 'right-pw' });
    const first = await inStep.waitFor((i) => i[0] === 'sync');
    assert.equal(first.length, 3, 'sync,<timestamp>,<frames>');
    assert.equal(first[2], '1');
    // `behind` answers nothing: after its two frames in flight it falls behind while the
    // desktop changes, then answers and gets one frame showing every change it missed.
    await behind.waitFor((i) => i[0] === 'sync');
    const colours = ['#102030', '#203040', '#304050', '#405060', '#506070'];
    for (const colour of colours) {
      const seen = inStep.instructions.length;
      await xvnc.x('xsetroot', '-solid', colour);
      await inStep.waitFor((i) => i[0] === 'sync' && inStep.instructions.indexOf(i) >= seen, 5_000);
    }
    const syncs = () => behind.instructions.filter((i) => i[0] === 'sync');
    assert.ok(syncs().length <= 2, `at most two frames in flight (got ${syncs().length})`);
    const before = syncs().length;
    behind.send('sync', syncs().at(-1)![1]!);
    await behind.waitFor((i) => i[0] === 'sync' && syncs().indexOf(i) >= before, 5_000);
    const caughtUp = syncs()[before]!;
    const inStepFrames = inStep.instructions.filter((i) => i[0] === 'sync').slice(1).map((i) => Number(i[2]));
    assert.ok(inStepFrames.every((n) => n === 1), `in step: one server frame per sync (${inStepFrames.join(',')})`);
    assert.ok(Number(caughtUp[2]) >= 2, `the catch-up frame counts the missed updates (got ${caughtUp[2]})`);
  });

  it('the viewer that opened a shared desktop hears who joins and leaves (msg, protocol 1.5.0+ only)', async () => {
    const desktop = { password: 'right-pw', encodings: 'hextile' }; // a connection of its own (sharingKey)
    const owner = await open(gateway.port, desktop, { name: 'alice' });
    owner.answerSyncs();
    await owner.waitFor((i) => i[0] === 'sync');
    const bob = await open(gateway.port, desktop, { name: 'bob' });
    bob.answerSyncs();
    await bob.waitFor((i) => i[0] === 'sync');
    assert.deepEqual(await owner.waitFor((i) => i[0] === 'msg'), ['msg', '1', 'bob']);
    const old = await open(gateway.port, desktop, { version: 'VERSION_1_0_0' });
    old.answerSyncs();
    await old.waitFor((i) => i[0] === 'sync');
    assert.deepEqual(await owner.waitFor((i) => i[0] === 'msg' && i[2] === 'anonymous'), ['msg', '1', 'anonymous'], 'no name: "anonymous", as guacd');
    bob.close();
    assert.deepEqual(await owner.waitFor((i) => i[0] === 'msg' && i[1] === '2'), ['msg', '2', 'bob']);
    assert.ok(!bob.instructions.some((i) => i[0] === 'msg') && !old.instructions.some((i) => i[0] === 'msg'), 'only the owner is told');

    // An owner speaking protocol 1.0.0 does not know `msg`: it gets none.
    const oldOwner = await open(gateway.port, { password: 'right-pw', encodings: 'raw' }, { version: 'VERSION_1_0_0' });
    oldOwner.answerSyncs();
    await oldOwner.waitFor((i) => i[0] === 'sync');
    const carol = await open(gateway.port, { password: 'right-pw', encodings: 'raw' }, { name: 'carol' });
    carol.answerSyncs();
    await carol.waitFor((i) => i[0] === 'sync');
    carol.close();
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(!oldOwner.instructions.some((i) => i[0] === 'msg'));
  });

  it('compress-level and quality-level reach the server as their pseudo-encodings; a bad level is refused by name', async () => {
    const server = await HostileRfbServer.start({ width: 32, height: 24 });
    try {
      const c = await GuacdWireClient.open('127.0.0.1', gateway.port);
      clients.push(c);
      await c.handshake({ hostname: '127.0.0.1', port: String(server.port), 'compress-level': '9', 'quality-level': '2' }, [32, 24, 96]);
      while (server.connections[0]?.encodings.length !== 1) await new Promise((r) => setTimeout(r, 20));
      const sent = server.connections[0].encodings[0]!;
      assert.ok(sent.includes(-256 + 9), `CompressLevel 9 (-247) in ${sent.join(',')}`);
      assert.ok(sent.includes(-32 + 2), `QualityLevel 2 (-30) in ${sent.join(',')}`);

      const plain = await GuacdWireClient.open('127.0.0.1', gateway.port);
      clients.push(plain);
      await plain.handshake({ hostname: '127.0.0.1', port: String(server.port) }, [32, 24, 96]);
      while (server.connections[1]?.encodings.length !== 1) await new Promise((r) => setTimeout(r, 20));
      assert.ok(!server.connections[1].encodings[0]!.some((e) => (e >= -256 && e <= -247) || (e >= -32 && e <= -23)), 'unset: the server keeps its defaults');

      const bad = await GuacdWireClient.open('127.0.0.1', gateway.port);
      clients.push(bad);
      await bad.handshake({ hostname: '127.0.0.1', port: String(server.port), 'compress-level': '12' }, [32, 24, 96]);
      const error = await bad.waitFor((i) => i[0] === 'error');
      assert.equal(Number(error[2]), GuacStatus.CLIENT_BAD_REQUEST);
      assert.match(error[1]!, /"compress-level" must be a whole number from 0 to 9/);
    } finally {
      await server.stop();
    }
  });
});
