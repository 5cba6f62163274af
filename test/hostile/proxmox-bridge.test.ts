// The Proxmox console bridge's local side faces probes, floods and non-VNC clients. Opening a
// console is a Proxmox task, so it happens only for a local client that answered the banner;
// what a client sends before the relay starts is capped. `openUpstream` here only counts (or
// fails): none of these cases gets as far as a console.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { VncBridge } from '../../src-main/providers/proxmox/vnc-bridge';
import { collect, openRaw } from '../helpers/hostile-listeners';

const bridges: VncBridge[] = [];
after(async () => {
  for (const b of bridges) await b.close();
});

async function bridge(openUpstream: () => Promise<never>): Promise<VncBridge> {
  // A long handshake timeout: every case must end by itself, not by the timer.
  const b = await VncBridge.start({ password: 'pw-12345', openUpstream, handshakeTimeoutMs: 120_000 });
  bridges.push(b);
  return b;
}

test('a probe that reads the banner and leaves opens no console', async () => {
  let opened = 0;
  const b = await bridge(async () => {
    opened++;
    throw new Error('not expected');
  });
  for (let i = 0; i < 5; i++) {
    const socket = await openRaw(b.port);
    const banner = await new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString('latin1'))));
    assert.equal(banner, 'RFB 003.008\n');
    socket.destroy();
  }
  const idle = await openRaw(b.port);
  idle.destroy();
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(opened, 0);
});

test('a client that is not VNC is refused without a console', async () => {
  let opened = 0;
  const b = await bridge(async () => {
    opened++;
    throw new Error('not expected');
  });
  const socket = await openRaw(b.port);
  socket.write('GET / HTTP/1.1\r\n\r\n');
  await collect(socket, 5_000);
  assert.equal(opened, 0);
});

test('a flood while the console opens ends that connection (64 KiB cap), not the bridge', { timeout: 30_000 }, async () => {
  let release: () => void = () => undefined;
  const b = await bridge(() => new Promise<never>((_resolve, reject) => (release = () => reject(new Error('released')))));
  const socket = await openRaw(b.port);
  socket.on('error', () => undefined);
  socket.write('RFB 003.008\n');
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  for (let i = 0; i < 64 && !socket.destroyed; i++) socket.write(Buffer.alloc(16 * 1024, 0x41));
  // Closed by the cap while the console is still opening (the handshake timeout is 2 min).
  await closed;
  assert.equal(b.connections, 0, 'the flooding connection is gone');
  release();
});

test('a console that cannot be opened is reported to the client in RFB terms', async () => {
  const b = await bridge(async () => {
    throw new Error('vncproxy answered 500');
  });
  const socket = await openRaw(b.port);
  socket.write('RFB 003.008\n');
  const answer = Buffer.from((await collect(socket, 5_000)).text, 'latin1');
  // Banner, then zero security types and the reason (RFB 3.8, section 7.1.2).
  assert.equal(answer.subarray(0, 12).toString('latin1'), 'RFB 003.008\n');
  assert.equal(answer[12], 0);
  const length = answer.readUInt32BE(13);
  assert.match(answer.subarray(17, 17 + length).toString('utf8'), /Could not open the VM console: vncproxy answered 500/);
});
