// The gateway as a drop-in for guacd 1.6.0 at connect time, against a real Xtigervnc: missing
// credentials are asked for with `required` and taken from `argv` (protocol 1.1.0+), the
// remote desktop takes the handshake's size when it can, and many viewers of one desktop get
// the same frames (encoded once).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Gateway, startGateway } from '../../src-main/display/gateway';
import { GuacStatus } from '../../src-main/display/gateway/status';
import { GuacCanvas } from '../helpers/guac-canvas';
import { GuacdWireClient } from '../helpers/guacd-wire-client';
import { xOutput } from '../helpers/x-apps';
import { startXvnc, XvncServer } from '../helpers/xvnc';

const PASSWORD = 'argv-pw1';

describe('guacd 1.6.0 at connect: required/argv, the handshake size, many viewers', () => {
  let xvnc: XvncServer;
  let gateway: Gateway;
  const clients: GuacdWireClient[] = [];

  before(async () => {
    [xvnc, gateway] = await Promise.all([
      startXvnc({ password: PASSWORD, width: 320, height: 240 }),
      // As the standalone gateway (`npm run gateway`, src-main/display/gateway-cli.ts) runs it.
      startGateway({ session: { log: () => undefined, statusCodes: 'guacd', resizeToHandshake: true, promptForCredentials: true } }),
    ]);
    await xvnc.x('xsetroot', '-solid', '#3366cc');
  });

  after(async () => {
    clients.forEach((c) => c.close());
    await Promise.all([gateway?.close(), xvnc?.stop()]);
  });

  const open = async (port: number, params: Record<string, string>, size: [number, number] = [320, 240], version?: string) => {
    const c = await GuacdWireClient.open('127.0.0.1', port);
    clients.push(c);
    await c.handshake({ hostname: '127.0.0.1', port: String(xvnc.port), ...params }, [...size, 96], ['image/png'], { version });
    return c;
  };

  /** argv,<stream>,text/plain,<name>, the value as one blob, end: as guacamole-common-js sends it. */
  const sendArgument = (c: GuacdWireClient, stream: number, name: string, value: string) => {
    c.send('argv', stream, 'text/plain', name);
    c.send('blob', stream, Buffer.from(value, 'utf8').toString('base64'));
    c.send('end', stream);
  };

  it('no password: `required,password`, then the argv value logs in and frames follow', async () => {
    const c = await open(gateway.port, {});
    c.answerSyncs();
    const canvas = new GuacCanvas();
    c.observe((ins) => canvas.apply(ins));
    assert.deepEqual(await c.waitFor((i) => i[0] === 'required'), ['required', 'password']);
    assert.ok(!c.instructions.some((i) => i[0] === 'error' || i[0] === 'sync'));

    // A parameter it was not asked for is refused as guacd refuses it.
    sendArgument(c, 5, 'hostname', 'elsewhere');
    assert.deepEqual(await c.waitFor((i) => i[0] === 'ack' && i[1] === '5'), ['ack', '5', 'Not allowed.', String(GuacStatus.CLIENT_FORBIDDEN)]);

    sendArgument(c, 6, 'password', PASSWORD);
    assert.deepEqual(await c.waitFor((i) => i[0] === 'ack' && i[1] === '6'), ['ack', '6', 'Ready for updated parameter.', '0']);
    await c.waitFor((i) => i[0] === 'sync');
    assert.deepEqual([canvas.width, canvas.height], [320, 240]);
    assert.deepEqual([...canvas.rgba.subarray(0, 3)], [0x33, 0x66, 0xcc], 'the desktop is drawn');

    // Someone else without a password does not get into the desktop the first viewer logged in to.
    const other = await open(gateway.port, {});
    await other.waitFor((i) => i[0] === 'required');
    assert.ok(!other.instructions.some((i) => i[0] === 'sync'));
    other.close();
  });

  it('a wrong value: guacd 1.6.0 code 519 (drop-in status codes); an old client, or the app, gets the failure without a prompt', async () => {
    const c = await open(gateway.port, {});
    await c.waitFor((i) => i[0] === 'required');
    sendArgument(c, 1, 'password', 'wrong-pw');
    const error = await c.waitFor((i) => i[0] === 'error');
    assert.equal(error[2], String(GuacStatus.UPSTREAM_NOT_FOUND));
    assert.match(error[1]!, /authentication/i);

    // Protocol 1.0.0 knows no `required`: the failure guacd gives, at once.
    const old = await open(gateway.port, {}, [320, 240], 'VERSION_1_0_0');
    const oldError = await old.waitFor((i) => i[0] === 'error');
    assert.equal(oldError[2], String(GuacStatus.UPSTREAM_NOT_FOUND));
    assert.ok(!old.instructions.some((i) => i[0] === 'required'));

    // The app's own gateway has no prompt to show: the failure at once, with its own code.
    const app = await startGateway({ session: { log: () => undefined } });
    try {
      const viewer = await open(app.port, {});
      assert.equal((await viewer.waitFor((i) => i[0] === 'error'))[2], String(GuacStatus.CLIENT_UNAUTHORIZED));
      assert.ok(!viewer.instructions.some((i) => i[0] === 'required'));
    } finally {
      await app.close();
    }
  });

  it('the remote desktop takes the handshake size (SetDesktopSize at connect), confirmed by xrandr', async () => {
    const c = await open(gateway.port, { password: PASSWORD }, [400, 300]);
    c.answerSyncs();
    const sizes = () => c.instructions.filter((i) => i[0] === 'size' && i[1] === '0').map((i) => `${i[2]}x${i[3]}`);
    await c.waitFor((i) => i[0] === 'size' && i[1] === '0' && i[2] === '400' && i[3] === '300');
    assert.match(await xOutput(xvnc.display, 'xrandr', ['-q']), /current 400 x 300/);
    assert.equal(sizes().at(-1), '400x300');
    c.close();
    await c.closed;

    // disable-display-resize keeps the server's size, as does a viewer that asks for the size it has.
    const kept = await open(gateway.port, { password: PASSWORD, 'disable-display-resize': 'true' }, [320, 240]);
    kept.answerSyncs();
    await kept.waitFor((i) => i[0] === 'sync');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(
      kept.instructions.filter((i) => i[0] === 'size' && i[1] === '0').map((i) => `${i[2]}x${i[3]}`),
      ['400x300'],
    );
    kept.close();
    // Back to the server's first size, for the test after this one.
    const back = await open(gateway.port, { password: PASSWORD }, [320, 240]);
    back.answerSyncs();
    await back.waitFor((i) => i[0] === 'size' && i[1] === '0' && i[2] === '320');
    back.close();
  });

  it('10 viewers of one desktop get the same image bytes for the same update', async () => {
    const viewers: GuacdWireClient[] = [];
    for (let n = 0; n < 10; n++) {
      const v = await open(gateway.port, { password: PASSWORD, encodings: 'zrle' }); // one connection of their own
      v.answerSyncs();
      await v.waitFor((i) => i[0] === 'sync');
      viewers.push(v);
    }
    const marks = viewers.map((v) => v.instructions.length);
    await xvnc.x('xsetroot', '-mod', '3', '3', '-fg', '#a03050', '-bg', '#203010');
    // The blobs each viewer got for its images after the change, in order (stream numbers differ per viewer).
    const imageBytes = (v: GuacdWireClient, from: number) =>
      v.instructions.slice(from).filter((i) => i[0] === 'blob').map((i) => i[2]).join('');
    const canvases = viewers.map(() => new GuacCanvas());
    await Promise.all(
      viewers.map(async (v, n) => {
        for (const ins of v.instructions) canvases[n]!.apply(ins);
        v.observe((ins) => canvases[n]!.apply(ins));
        // Drawn once the blue background is gone.
        while (canvases[n]!.rgba[2] === 0xcc) await new Promise((r) => setTimeout(r, 20));
      }),
    );
    await new Promise((r) => setTimeout(r, 300)); // the rest of the update
    const first = imageBytes(viewers[0]!, marks[0]!);
    assert.ok(first.length > 0);
    viewers.forEach((v, n) => assert.equal(imageBytes(v, marks[n]!), first, `viewer ${n} got the same image bytes`));
    viewers.forEach((_, n) => assert.ok(canvases[n]!.rgba.equals(canvases[0]!.rgba), `viewer ${n} shows the same picture`));
    viewers.forEach((v) => v.close());
  });
});
