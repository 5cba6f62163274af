// The Extended Clipboard negotiation against QEMU's own VNC server (QEMU 7.2, TCG, no disk).
// What happens here, checked: QEMU announces the extension (caps: text; request, notify and
// provide, no peek) to every client that asks for it, with or without a `qemu-vdagent`
// chardev, and takes our caps and a `notify` without complaint. Text only moves when a guest's
// SPICE agent is connected to that chardev (ui/vnc-clipboard.c hands it to the guest), which a
// disk-less VM cannot run; that part is the guest's, see docs/proxmox.md.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { RfbClient } from '../../src-main/rfb/rfb-client';
import { QEMU_BINARY } from '../fixtures/proxmox/qemu';
import { waitUntil } from '../helpers/x-apps';

const VDAGENT = [
  '-device', 'virtio-serial-pci',
  '-chardev', 'qemu-vdagent,id=vdagent,clipboard=on',
  '-device', 'virtserialport,chardev=vdagent,name=com.redhat.spice.0',
];

/** QEMU with VNC on a unix socket, reachable over loopback TCP (as the Proxmox bridge makes it). */
async function withQemu(extra: string[], body: (port: number) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'qemu-clip-'));
  const sock = join(dir, 'vnc.sock');
  const qemu = spawn(QEMU_BINARY, ['-nodefaults', '-display', 'none', '-machine', 'accel=tcg', '-device', 'VGA', '-vnc', `unix:${sock}`, ...extra], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  qemu.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => qemu.once('exit', () => resolve()));
  let proxy: Server | null = null;
  try {
    await waitUntil(async () => existsSync(sock) || (qemu.exitCode !== null ? Promise.reject(new Error(stderr)) : false), 10_000, 'the QEMU VNC socket');
    proxy = createServer((c) => {
      const u = connect(sock);
      c.pipe(u).pipe(c);
      c.on('error', () => u.destroy());
      u.on('error', () => c.destroy());
    });
    await new Promise<void>((resolve) => proxy!.listen(0, '127.0.0.1', resolve));
    await body((proxy.address() as { port: number }).port);
  } finally {
    proxy?.close();
    qemu.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  }
}

async function negotiate(port: number): Promise<void> {
  let updates = 0;
  let closed: Error | undefined | null = null;
  const rfb = new RfbClient(
    { host: '127.0.0.1', port },
    { onReady: () => undefined, onRect: () => undefined, onUpdateEnd: () => updates++, onClose: (err) => (closed = err) },
  );
  try {
    await waitUntil(async () => rfb.extendedClipboard, 10_000, 'QEMU to announce the Extended Clipboard');
    rfb.sendClipboardText('to the guest: Grüße, 東京, 🙂');
    // The connection goes on after our caps and notify: QEMU still answers update requests.
    const before = updates;
    rfb.requestUpdate(false);
    await waitUntil(async () => updates > before, 10_000, 'an update after the clipboard messages');
    assert.equal(closed, null, 'QEMU kept the connection');
  } finally {
    rfb.close();
  }
}

it('QEMU announces the Extended Clipboard and accepts ours (no vdagent)', () => withQemu([], negotiate));

it('QEMU with a qemu-vdagent chardev (clipboard=on) announces it the same way', () => withQemu(VDAGENT, negotiate));
