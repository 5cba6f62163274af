// Each RFB encoding forced in turn against a real Xtigervnc: the framebuffer our decoders
// build must equal, pixel for pixel, what the X server shows (read with xwd).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Framebuffer } from '../../src-main/display/gateway/framebuffer';
import { Encoding } from '../../src-main/rfb/encodings';
import { RfbClient } from '../../src-main/rfb/rfb-client';
import { startXApp, XApp } from '../helpers/x-apps';
import { firstDifference, screenshotX } from '../helpers/xwd';
import { startXvnc, XvncServer } from '../helpers/xvnc';

const W = 400;
const H = 300;

/** Connects with one preferred encoding and keeps a framebuffer in step until told to stop. */
async function mirror(port: number, encoding: number) {
  const fb = new Framebuffer(W, H);
  let updates = 0;
  let lastUpdate = Date.now();
  let failure: Error | undefined;
  const client: RfbClient = await new Promise((resolve, reject) => {
    const c: RfbClient = new RfbClient(
      { host: '127.0.0.1', port, encodings: [encoding], localCursor: false },
      {
        onReady: () => resolve(c),
        onRect: (r) => {
          if (r.kind === 'pixels') fb.putRgbx(r.x, r.y, r.width, r.height, r.data);
          else if (r.kind === 'copy') fb.copy(r.srcX, r.srcY, r.x, r.y, r.width, r.height);
          else if (r.kind === 'resize') fb.resize(r.width, r.height);
        },
        onUpdateEnd: () => {
          updates++;
          lastUpdate = Date.now();
          c.requestUpdate(true);
        },
        onClose: (err) => {
          failure = err;
          reject(err ?? new Error('closed'));
        },
      },
    );
  });
  return {
    fb,
    client,
    get failure() {
      return failure;
    },
    /** Resolves once no update has come for `quietMs` (the picture is stable). */
    async settle(quietMs = 400): Promise<void> {
      const deadline = Date.now() + 10_000;
      while (updates === 0 || Date.now() - lastUpdate < quietMs) {
        if (Date.now() > deadline) throw new Error('the display did not settle');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

describe('RFB encodings against Xtigervnc, compared with the X display', () => {
  let xvnc: XvncServer;
  const apps: XApp[] = [];

  before(async () => {
    xvnc = await startXvnc({ password: null, width: W, height: H });
    // Many colours and shapes: a plaid root, a terminal with coloured text, xlogo, xeyes.
    await xvnc.x('xsetroot', '-mod', '3', '5', '-fg', '#d08020', '-bg', '#204080');
    apps.push(
      startXApp(xvnc.display, 'xterm', ['-geometry', '30x8+10+10', '-bg', '#f0f0e0', '-fg', '#202020', '-e', 'sh', '-c', "printf '\\033[31mred \\033[32mgreen \\033[34mblue \\033[1;35mbold\\033[0m\\n'; ls -la /; sleep 600"]),
      startXApp(xvnc.display, 'xeyes', ['-geometry', '120x90+260+190']),
      startXApp(xvnc.display, 'xlogo', ['-geometry', '90x90+280+20']),
    );
    await new Promise((r) => setTimeout(r, 1_500)); // let the clients map and draw
  });

  after(async () => {
    await Promise.all(apps.map((a) => a.stop()));
    await xvnc?.stop();
  });

  for (const [name, encoding] of [
    ['Raw', Encoding.Raw],
    ['Hextile', Encoding.Hextile],
    ['ZRLE', Encoding.ZRLE],
  ] as const) {
    it(`${name}: the decoded framebuffer equals the X display`, async () => {
      const m = await mirror(xvnc.port, encoding);
      try {
        await m.settle();
        const shot = await screenshotX(xvnc.display);
        await m.settle(); // nothing changed while xwd ran
        assert.equal(m.failure, undefined);
        assert.ok((m.client.rectCounts.get(encoding) ?? 0) > 0, `the server sent ${name} rects: ${JSON.stringify([...m.client.rectCounts])}`);
        assert.deepEqual([m.fb.width, m.fb.height], [shot.width, shot.height]);
        const diff = firstDifference(m.fb.data, shot.rgba);
        assert.equal(diff, -1, `first differing pixel at (${diff % W}, ${Math.floor(diff / W)})`);
      } finally {
        m.client.close();
      }
    });
  }
});
