// Transfer lanes (src-main/display/files/transfer-lanes.ts): a file's bytes on a binary WebSocket
// beside its Guacamole stream, into and out of a real container desktop through the real tunnel
// and gateway. The bytes arrive whole and owned by the desktop user (the upload, of an announced
// size, takes Docker's archive endpoint); a token works once and only for its stream; a lane
// closed half-way and a size that does not match leave no file behind.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { Core } from '../../src-main/core';
import type { DisplayTicket } from '../../src-shared/contract';
import type { App, Instance } from '../../src-shared/model';
import { callCore, openCore, tempDataDir, waitForState } from '../helpers/core';
import type { WebSocket } from 'ws';
import { containersOf, docker, removeOwnedBy } from '../helpers/docker';
import { openLane, repeatedPiece, TransferClient } from '../helpers/file-transfer-client';

const DESKTOP = '/home/desktop/Desktop';
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Runs a shell script in the container as the desktop user; resolves with its stdout (demultiplexed). */
async function inDesktop(containerId: string, script: string): Promise<string> {
  const exec = await docker.getContainer(containerId).exec({ Cmd: ['sh', '-c', script], AttachStdout: true, AttachStderr: true, User: 'desktop' });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out: Buffer[] = [];
  docker.modem.demuxStream(stream, new PassThrough().on('data', (c: Buffer) => out.push(c)), new PassThrough().resume());
  await new Promise((resolve) => stream.on('end', resolve));
  return Buffer.concat(out).toString('utf8');
}

describe('transfer lanes into and out of a container desktop', { timeout: 60_000 }, () => {
  let core: Core;
  let instance: Instance;
  let containerId: string;
  let tunnelUrl: string;
  const clients: TransferClient[] = [];
  const call = <T>(channel: string, payload: unknown) => callCore<T>(core, channel, payload);
  const connect = async (): Promise<TransferClient> => {
    const ticket = await call<DisplayTicket>('display.connect', { instanceId: instance.id });
    tunnelUrl = ticket.tunnelUrl;
    const client = await TransferClient.connect(ticket.tunnelUrl, ticket.token);
    clients.push(client);
    return client;
  };
  const listing = async () => (await inDesktop(containerId, `ls -A1 ${DESKTOP} 2>/dev/null`)).split('\n').filter(Boolean).sort();
  /** Waits for the gateway's clean-up (an exec in the container: a busy machine may take a while). */
  const settledListing = async (): Promise<string[]> => {
    let now: string[] = [];
    for (let i = 0; i < 200; i++) {
      now = await listing();
      if (!now.some((n) => n.startsWith('.daas-upload.'))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return now;
  };

  before(async () => {
    core = await openCore(await tempDataDir());
    const app = await call<App>('apps.create', {
      app: { name: 'Lanes', provider: 'docker', display: { gateway: 'embedded' }, docker: { image: 'daas/desktop:latest' } },
    });
    instance = await call<Instance>('instances.start', { appId: app.id });
    await waitForState(core, instance.id, 'running', 60_000);
    containerId = (await containersOf(instance.id))[0]!.Id;
  });

  after(async () => {
    for (const c of clients) c.close();
    await core?.close();
    if (core) await removeOwnedBy(core.installationId);
  });

  it('a 3 MB file goes up and comes back down on lanes byte for byte, owned by the desktop user', async () => {
    const data = randomBytes(3 * 1000 * 1000 + 7);
    const client = await connect();
    const name = await client.upload(1, 'lane.bin', data.length, (offset, n) => data.subarray(offset, offset + n), { lane: true });
    assert.equal(name, 'lane.bin');
    const inside = await inDesktop(containerId, `sha256sum ${DESKTOP}/lane.bin; stat -c %U ${DESKTOP}/lane.bin`);
    assert.deepEqual(inside.trim().split(/\s+/), [sha256(data), `${DESKTOP}/lane.bin`, 'desktop']);

    const parts: Buffer[] = [];
    const bytes = await client.download(0, '/lane.bin', (piece) => parts.push(piece), { lane: true });
    assert.equal(bytes, data.length);
    assert.equal(sha256(Buffer.concat(parts)), sha256(data));
    assert.deepEqual(await settledListing(), ['lane.bin']);
  });

  it('a token opens one lane once; a made-up one opens none', async () => {
    const client = await connect();
    let token = '';
    await client.upload(2, 'once.txt', 5, () => Buffer.from('hello'), { lane: true, onLane: (_ws, t) => (token = t) });
    await assert.rejects(openLane(tunnelUrl, token), /lane refused: 403/);
    await assert.rejects(openLane(tunnelUrl, 'A'.repeat(32)), /lane refused: 403/);
  });

  it('a lane closed half-way, and fewer bytes than announced, leave no file behind', async () => {
    const before = await listing();
    const client = await connect();
    const pattern = randomBytes(1024 * 1024);
    // The lane closes once half of 8 MiB went out: the gateway cancels the stream (no ack comes).
    await new Promise<void>((closed) => {
      let lane: WebSocket | null = null;
      const fill = (offset: number, n: number) => {
        if (offset >= 4 * 1024 * 1024) lane?.close();
        return repeatedPiece(pattern, offset, n);
      };
      void client.upload(3, 'closed.bin', 8 * 1024 * 1024, fill, { lane: true, onLane: (ws) => (lane = ws.once('close', () => closed())) }).catch(() => undefined);
    });
    const short = client.upload(4, 'short.bin', 1024 * 1024, (offset, n) => repeatedPiece(pattern, offset, n), { lane: true, announce: 2 * 1024 * 1024 });
    await assert.rejects(short, /1048576 of the 2097152 bytes announced/);
    assert.deepEqual(await settledListing(), before);
  });
});
