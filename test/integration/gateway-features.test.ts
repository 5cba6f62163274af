// The embedded gateway on the guacd wire protocol against a real Xtigervnc: what a viewer
// draws equals the X display, the pointer shape arrives as `cursor`, the clipboard works both
// ways (checked with xclip in the X display), the viewer's size resizes the desktop
// (xrandr confirms), several viewers share one VNC connection, and a read-only one has no input.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Gateway, startGateway } from '../../src-main/display/gateway';
import { GuacStatus } from '../../src-main/display/gateway/status';
import { GuacCanvas } from '../helpers/guac-canvas';
import { GuacdWireClient } from '../helpers/guacd-wire-client';
import { setXClipboard, waitUntil, xOutput, XApp, startXApp } from '../helpers/x-apps';
import { firstDifference, screenshotX } from '../helpers/xwd';
import { startXvnc, XvncServer } from '../helpers/xvnc';

const PASSWORD = 'feat-pw1';

describe('gateway features against Xtigervnc', () => {
  let xvnc: XvncServer;
  let gateway: Gateway;
  const clients: GuacdWireClient[] = [];
  const apps: XApp[] = [];

  const open = async (extra: Record<string, string> = {}): Promise<{ c: GuacdWireClient; canvas: GuacCanvas }> => {
    const c = await GuacdWireClient.open(gateway.host, gateway.port);
    clients.push(c);
    const canvas = new GuacCanvas();
    c.observe((ins) => canvas.apply(ins));
    c.answerSyncs();
    await c.handshake({ hostname: '127.0.0.1', port: String(xvnc.port), password: PASSWORD, ...extra });
    await c.waitFor((i) => i[0] === 'sync');
    return { c, canvas };
  };

  before(async () => {
    xvnc = await startXvnc({ password: PASSWORD, width: 480, height: 360 });
    await xvnc.x('xsetroot', '-mod', '4', '4', '-fg', '#30a050', '-bg', '#102030');
    apps.push(startXApp(xvnc.display, 'xlogo', ['-geometry', '100x100+300+40']));
    apps.push(startXApp(xvnc.display, 'xterm', ['-geometry', '30x6+10+10', '-e', 'sh', '-c', 'echo hello from xterm; sleep 600']));
    await new Promise((r) => setTimeout(r, 1_000));
    gateway = await startGateway({ session: { log: () => undefined } });
  });

  after(async () => {
    clients.forEach((c) => c.close());
    await gateway?.close();
    await Promise.all(apps.map((a) => a.stop()));
    await xvnc?.stop();
  });

  it('draws exactly what the X display shows (lossless), and sends the pointer as `cursor`', async () => {
    const { c, canvas } = await open();
    const cursor = await c.waitFor((i) => i[0] === 'cursor');
    assert.equal(cursor[3], '-1', 'the pointer image comes from a buffer layer');
    assert.ok(c.instructions.some((i) => i[0] === 'img' && i[3] === '-1'), 'the pointer image is drawn to that layer');
    await waitUntil(async () => {
      const shot = await screenshotX(xvnc.display);
      return canvas.width === shot.width && firstDifference(canvas.rgba, shot.rgba) === -1;
    }, 10_000, 'the viewer picture to equal the X display');
    c.send('disconnect');
    await c.closed;
  });

  it('copies remote clipboard text to the viewer and pasted text to the remote clipboard', async () => {
    const { c } = await open();
    const owner = await setXClipboard(xvnc.display, 'from X: café');
    apps.push(owner);
    const stream = await c.waitFor((i) => i[0] === 'clipboard', 5_000);
    assert.equal(stream[2], 'text/plain');
    const blobs = await waitUntil(async () => {
      const idx = c.instructions.indexOf(stream);
      const end = c.instructions.findIndex((i, n) => n > idx && i[0] === 'end' && i[1] === stream[1]);
      return end > 0 ? c.instructions.slice(idx, end).filter((i) => i[0] === 'blob' && i[1] === stream[1]) : undefined;
    }, 5_000, 'the clipboard stream to end');
    assert.equal(Buffer.concat(blobs.map((b) => Buffer.from(b[2]!, 'base64'))).toString('utf8'), 'from X: café');
    await owner.stop();

    c.send('clipboard', 7, 'text/plain');
    c.send('blob', 7, Buffer.from('pasted: naïve £5', 'utf8').toString('base64'));
    c.send('end', 7);
    await c.waitFor((i) => i[0] === 'ack' && i[1] === '7' && i[3] === '0');
    const pasted = await waitUntil(async () => {
      const out = await xOutput(xvnc.display, 'xclip', ['-selection', 'clipboard', '-o']);
      return out.length > 0 ? out : undefined;
    }, 5_000, 'the X clipboard');
    // Xtigervnc speaks the Extended Clipboard: UTF-8 on the wire (the Latin-1 path: vnc-extended-clipboard.test.ts).
    assert.equal(pasted, 'pasted: naïve £5');
    c.send('disconnect');
  });

  it('resizes the remote desktop to the viewer (SetDesktopSize), confirmed by xrandr', async () => {
    const { c } = await open();
    c.send('size', 640, 400);
    await c.waitFor((i) => i[0] === 'size' && i[1] === '0' && i[2] === '640' && i[3] === '400', 5_000);
    const xrandr = await xOutput(xvnc.display, 'xrandr', ['-q']);
    assert.match(xrandr, /current 640 x 400/);
    // Back to the start size for the next test; the connect-time `size 0 480 360` is already in
    // the list, so wait for one after the 640x400 answer, then for X to agree.
    const answered = c.instructions.length;
    c.send('size', 480, 360);
    await c.waitFor((i) => i[0] === 'size' && i[1] === '0' && i[2] === '480' && i[3] === '360' && c.instructions.indexOf(i) >= answered, 5_000);
    await waitUntil(async () => /current 480 x 360/.test(await xOutput(xvnc.display, 'xrandr', ['-q'])), 5_000, 'X to be 480x360 again');
    c.send('disconnect');
  });

  it('shares one VNC connection between viewers; a read-only viewer cannot paste or resize', async () => {
    // The earlier tests' viewers have left: their VNC connections close (under load, not at once).
    await waitUntil(async () => gateway.connectionCount === 0, 5_000, "the earlier tests' VNC connections to close");
    const a = await open();
    const ro = await open({ 'read-only': 'true' });
    assert.equal(gateway.connectionCount, 1, 'both viewers use one VNC connection');
    assert.ok(ro.canvas.width > 0);

    ro.c.send('clipboard', 3, 'text/plain');
    const ack = await ro.c.waitFor((i) => i[0] === 'ack' && i[1] === '3');
    assert.equal(Number(ack[3]), GuacStatus.CLIENT_FORBIDDEN);
    ro.c.send('size', 500, 300);
    await new Promise((r) => setTimeout(r, 500));
    assert.match(await xOutput(xvnc.display, 'xrandr', ['-q']), /current 480 x 360/);

    // A change reaches both.
    const before = [a.c.instructions.length, ro.c.instructions.length];
    await xvnc.x('xsetroot', '-solid', '#884422');
    // The new background is one colour around the windows: rect + cfill (or img where it is not).
    const draws = (i: string[]): boolean => i[0] === 'img' || i[0] === 'cfill';
    await a.c.waitFor((i) => draws(i) && a.c.instructions.indexOf(i) >= before[0]!);
    await ro.c.waitFor((i) => draws(i) && ro.c.instructions.indexOf(i) >= before[1]!);
    a.c.send('disconnect');
    await a.c.closed;
    assert.equal(gateway.connectionCount, 1, 'the connection stays while a viewer remains');
    ro.c.send('disconnect');
    await ro.c.closed;
    await waitUntil(async () => gateway.connectionCount === 0, 2_000, 'the VNC connection to close');
  });
});
