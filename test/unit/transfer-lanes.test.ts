// Transfer lane tokens (src-main/display/files/transfer-lanes.ts) on a loopback listener: a token
// opens its lane once, not after it expired, and a revoked one never.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { LANE_TTL_MS, TransferLanes } from '../../src-main/display/files/transfer-lanes';
import { laneOf, laneUrl, withLane } from '../../src-shared/file-transfer';

describe('transfer lane tokens', () => {
  let now = 0;
  const lanes = new TransferLanes(LANE_TTL_MS, () => now);
  let server: Server;
  let base = '';

  before(async () => {
    server = createServer();
    server.on('upgrade', (req, socket, head) => lanes.upgrade(req, socket, head, new URL(req.url!, 'http://x').searchParams));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    base = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  });

  after(() => {
    lanes.close();
    server.close();
  });

  /** The upgrade's answer: 'open', or the HTTP status it was refused with. */
  const connect = (token: string) =>
    new Promise<string>((resolve) => {
      const ws = new WebSocket(laneUrl(base, token));
      ws.once('open', () => {
        ws.close();
        resolve('open');
      });
      ws.once('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
    });

  it('a token opens its lane once, and hands the lane to its stream', async () => {
    let handed = 0;
    const token = lanes.issue(() => handed++);
    assert.equal(await connect(token), 'open');
    assert.equal(await connect(token), '403');
    assert.equal(handed, 1);
  });

  it('an expired or revoked token opens nothing', async () => {
    const expired = lanes.issue(() => assert.fail('expired token used'));
    now += LANE_TTL_MS + 1;
    assert.equal(await connect(expired), '403');
    const revoked = lanes.issue(() => assert.fail('revoked token used'));
    lanes.revoke(revoked);
    assert.equal(await connect(revoked), '403');
  });

  it('the token travels in an ack message or a mimetype and is read back from it', () => {
    const token = 'abcdefghijklmnopqrstuvwxyz012345';
    assert.equal(laneOf(withLane('OK (STREAM BEGIN)', token)), token);
    assert.equal(laneOf(withLane('application/octet-stream; size=5', token)), token);
    assert.equal(laneOf('OK (STREAM BEGIN)'), null);
  });
});
