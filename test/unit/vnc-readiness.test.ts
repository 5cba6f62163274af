import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { DaasError } from '../../src-shared/errors';
import { waitForVncBanner } from '../../src-main/providers/vnc-readiness';

/** A loopback listener that greets each connection with `greeting` (an RFB banner or not). */
async function listener(greeting: string): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server = net.createServer((socket) => {
    count++;
    socket.end(greeting);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('VNC readiness (the RFB banner, not the container, says a desktop is up)', () => {
  it('resolves once a VNC server greets with its banner', async () => {
    const vnc = await listener('RFB 003.008\n');
    try {
      await waitForVncBanner('127.0.0.1', vnc.port, 5000);
      assert.equal(vnc.connections(), 1);
    } finally {
      await vnc.close();
    }
  });

  it('keeps waiting past a listener that is not a VNC server, and gives up with DESKTOP_NOT_READY', async () => {
    const other = await listener('SSH-2.0-OpenSSH\n');
    try {
      await assert.rejects(waitForVncBanner('127.0.0.1', other.port, 300), (err: unknown) => err instanceof DaasError && err.code === 'DESKTOP_NOT_READY');
      assert.ok(other.connections() > 1, 'probed more than once');
    } finally {
      await other.close();
    }
  });

  it('stops probing when the start it belongs to is over (its signal aborts)', async () => {
    const other = await listener('SSH-2.0-OpenSSH\n');
    try {
      const probing = new AbortController();
      const waiting = waitForVncBanner('127.0.0.1', other.port, 60_000, probing.signal);
      while (other.connections() === 0) await new Promise((r) => setTimeout(r, 5));
      probing.abort();
      await waiting;
      const after = other.connections();
      await new Promise((r) => setTimeout(r, 100));
      assert.ok(other.connections() <= after + 1, 'no probes after the wait ended');
    } finally {
      await other.close();
    }
  });
});
