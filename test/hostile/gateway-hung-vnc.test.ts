// Finding 16: a hung VNC server (a real Xtigervnc stopped with SIGSTOP) is noticed. Every
// attached viewer is told "the desktop is not responding" (UPSTREAM_TIMEOUT), a viewer that
// joins the hung shared connection gets the same instead of a stale frame, and the gateway
// serves the desktop again once the server runs again. An idle but live desktop is left alone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Gateway, startGateway } from '../../src-main/display/gateway';
import { GuacStatus } from '../../src-main/display/gateway/status';
import { Instruction } from '../../src-main/display/guacamole/protocol';
import { GuacdWireClient } from '../helpers/guacd-wire-client';
import { startXvnc, XvncServer } from '../helpers/xvnc';

// Shortened from the defaults (probe after 5 s, give up 15 s later) to keep the test short.
const WATCHDOG = { idleProbeMs: 300, unresponsiveMs: 1_500 };

describe('a hung VNC server (Xtigervnc under SIGSTOP)', () => {
  let xvnc: XvncServer;
  let gateway: Gateway;
  const clients: GuacdWireClient[] = [];

  const viewer = async (): Promise<GuacdWireClient> => {
    const c = await GuacdWireClient.open(gateway.host, gateway.port);
    clients.push(c);
    c.answerSyncs();
    await c.handshake({ hostname: '127.0.0.1', port: String(xvnc.port) });
    return c;
  };
  const errorOf = (c: GuacdWireClient, timeoutMs = 10_000): Promise<Instruction> => c.waitFor((i) => i[0] === 'error', timeoutMs);

  before(async () => {
    xvnc = await startXvnc({ password: null, width: 320, height: 240 });
    await xvnc.x('xsetroot', '-solid', '#3366cc');
    gateway = await startGateway({ session: { watchdog: WATCHDOG, vncTimeoutMs: 3_000 } });
  });

  after(async () => {
    clients.forEach((c) => c.close());
    if (xvnc?.process.pid) process.kill(xvnc.process.pid, 'SIGCONT');
    await gateway?.close();
    await xvnc?.stop();
  });

  it('leaves an idle, live desktop connected through many probe periods', async () => {
    const c = await viewer();
    await c.waitFor((i) => i[0] === 'sync');
    const syncs = c.instructions.filter((i) => i[0] === 'sync').length;
    await new Promise((r) => setTimeout(r, WATCHDOG.unresponsiveMs * 3));
    assert.equal(c.instructions.find((i) => i[0] === 'error'), undefined);
    assert.equal(c.instructions.filter((i) => i[0] === 'sync').length, syncs, 'probe answers draw nothing');
    // Still live: a change on the X display reaches the viewer.
    await xvnc.x('xsetroot', '-solid', '#ff0000');
    await c.waitFor(() => c.instructions.filter((i) => i[0] === 'sync').length > syncs);
    c.close();
  });

  it('tells every viewer, including one that joins the hung connection, that the desktop is not responding', async () => {
    const a = await viewer();
    await a.waitFor((i) => i[0] === 'sync');
    process.kill(xvnc.process.pid!, 'SIGSTOP');
    try {
      const b = await viewer(); // joins the shared connection while the server hangs
      const [errA, errB] = await Promise.all([errorOf(a), errorOf(b)]);
      for (const err of [errA, errB]) {
        assert.equal(Number(err[2]), GuacStatus.UPSTREAM_TIMEOUT);
        assert.match(err[1]!, /not responding/);
      }
      assert.deepEqual(
        b.instructions.filter((i) => ['size', 'img', 'sync'].includes(i[0]!)),
        [],
        'the joining viewer got no stale picture',
      );
      await Promise.all([a.closed, b.closed]);
      assert.equal(gateway.connectionCount, 0, 'the hung connection is gone');

      // A new viewer while it still hangs: the server accepts TCP but never answers.
      const c = await viewer();
      assert.equal(Number((await errorOf(c))[2]), GuacStatus.UPSTREAM_TIMEOUT);
    } finally {
      process.kill(xvnc.process.pid!, 'SIGCONT');
    }
    // Running again: the same gateway serves the desktop.
    const d = await viewer();
    await d.waitFor((i) => i[0] === 'sync');
    assert.ok(d.instructions.some((i) => i[0] === 'img'));
  });
});
