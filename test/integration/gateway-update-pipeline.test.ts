// The gateway asks its VNC server for the next update as soon as a big update begins
// (pipelined), not after processing it: the server can compose and send the next update while
// the gateway decodes and encodes the current one. A scripted RFB server
// (test/helpers/hostile-rfb-server) proves the order: it holds back the last rect of an update
// of eight until it has the next incremental request, so only a gateway that requests early
// ever completes that frame.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Gateway, startGateway } from '../../src-main/display/gateway';
import { Encoding } from '../../src-main/rfb/encodings';
import { GuacdWireClient } from '../helpers/guacd-wire-client';
import { HostileRfbServer, rectHeader, updateHeader, UpdateRequest } from '../helpers/hostile-rfb-server';

const WIDTH = 64;
const HEIGHT = 48;

/** A Raw rect of one colour (the gateway asks for RGBX: r, g, b, padding). */
const solid = (x: number, y: number, w: number, h: number, rgb: [number, number, number]): Buffer =>
  Buffer.concat([rectHeader(x, y, w, h, Encoding.Raw), Buffer.alloc(w * h * 4, Buffer.from([...rgb, 0]))]);

/** Eight 8x8 rects side by side, red to blue. */
const ROW = Array.from({ length: 8 }, (_, i) => solid(i * 8, 0, 8, 8, [255 - i * 32, 0, i * 32]));

describe('update requests are pipelined', () => {
  let gateway: Gateway;
  let server: HostileRfbServer;
  const incremental: UpdateRequest[] = [];
  let client: GuacdWireClient | undefined;

  before(async () => {
    server = await HostileRfbServer.start({
      width: WIDTH,
      height: HEIGHT,
      // The full first picture.
      onFirstRequest: (conn) => conn.send(Buffer.concat([updateHeader(1), solid(0, 0, WIDTH, HEIGHT, [40, 40, 40])])),
      onRequest: (conn, request) => {
        // Watchdog probes (non-incremental, one pixel) are answered by nobody here.
        if (!request.incremental) return;
        incremental.push(request);
        // The first incremental request gets a big update (a row of 8 rects, as a screen of
        // text arrives), of which all but the last come now; the last follows the next
        // incremental request.
        if (incremental.length === 1) conn.send(Buffer.concat([updateHeader(8), ...ROW.slice(0, 7)]));
        if (incremental.length === 2) conn.send(ROW[7]!);
      },
    });
    gateway = await startGateway({ session: { log: () => undefined } });
  });

  after(async () => {
    client?.close();
    await gateway?.close();
    await server?.stop();
  });

  it('asks for the next update while the current one is still arriving', async () => {
    client = await GuacdWireClient.open('127.0.0.1', gateway.port);
    client.answerSyncs();
    await client.handshake({ hostname: '127.0.0.1', port: String(server.port) }, [WIDTH, HEIGHT, 96]);
    const images: string[] = [];
    client.observe((ins) => {
      // img,<stream>,<mask>,<layer>,<mimetype>,<x>,<y>
      if (ins[0] === 'img' && ins[3] === '0') images.push(`${ins[5]},${ins[6]}`);
    });
    // The frame of the held-back update: all its rects, then its sync.
    await client.waitFor((ins) => ins[0] === 'sync' && images.includes('56,0'));
    assert.ok(images.includes('0,0'), 'the update\'s first rect was drawn');
    assert.ok(incremental.length >= 2, 'the second incremental request came before the update ended');
    assert.deepEqual(
      { x: incremental[1]!.x, y: incremental[1]!.y, width: incremental[1]!.width, height: incremental[1]!.height },
      { x: 0, y: 0, width: WIDTH, height: HEIGHT },
      'for the whole screen',
    );
  });
});
