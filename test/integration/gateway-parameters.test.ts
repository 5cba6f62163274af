// Every guacd VNC parameter the embedded gateway announces is honoured or refused by name
// (against a real Xtigervnc): one that switches on a feature the gateway lacks fails the
// connection with an UNSUPPORTED error naming it; one that only tunes such a feature is
// ignored while that feature is off, as guacd does, and the desktop is shown.
// force-lossless is in gateway-jpeg.test.ts (it needs a photo on screen).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Gateway, startGateway } from '../../src-main/display/gateway';
import { GuacStatus } from '../../src-main/display/gateway/status';
import { VNC_ARG_NAMES } from '../../src-main/display/vnc/vnc-settings';
import { GuacdWireClient } from '../helpers/guacd-wire-client';
import { startXvnc, XvncServer } from '../helpers/xvnc';

/** Parameters that ask for a feature the gateway does not have, with a value that asks for it. */
const REFUSED: Record<string, string> = {
  'swap-red-blue': 'true',
  'color-depth': '16',
  'dest-host': 'repeater.example',
  'dest-port': '5500',
  'reverse-connect': 'true',
  'enable-sftp': 'true',
  'recording-path': '/tmp/recordings',
  'wol-send-packet': 'true',
  'disable-server-input': 'true',
};

/** Parameters that tune an off feature (or are honoured in place): the connection works. */
const ACCEPTED: Record<string, string> = {
  'color-depth': '24',
  'audio-servername': 'pulse.example',
  // guacd carries on without sound when its PulseAudio server is out of reach; so does the gateway.
  'enable-audio': 'true',
  'listen-timeout': '5000',
  'sftp-hostname': 'files.example',
  'sftp-port': '2222',
  'sftp-username': 'u',
  'sftp-directory': '/home/u',
  'recording-name': 'rec',
  'create-recording-path': 'true',
  'recording-include-keys': 'true',
  'wol-mac-addr': '00:11:22:33:44:55',
  'wol-wait-time': '10',
  'sftp-timeout': '10',
  'sftp-public-key': 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyOfTheUser user@example',
  'recording-write-existing': 'true',
  'disable-server-input': 'false',
  username: 'someone',
};

describe('guacd VNC parameters: honoured or refused by name (Xtigervnc)', () => {
  let xvnc: XvncServer;
  let gateway: Gateway;
  const clients: GuacdWireClient[] = [];

  before(async () => {
    xvnc = await startXvnc({ password: null, width: 320, height: 240 });
    gateway = await startGateway({ session: { log: () => undefined } });
  });

  after(async () => {
    clients.forEach((c) => c.close());
    await gateway?.close();
    await xvnc?.stop();
  });

  const connect = async (extra: Record<string, string>) => {
    const c = await GuacdWireClient.open(gateway.host, gateway.port);
    clients.push(c);
    c.answerSyncs();
    await c.handshake({ hostname: '127.0.0.1', port: String(xvnc.port), ...extra }, [320, 240, 96]);
    return c;
  };

  it('lists every parameter it refuses among those it announces', () => {
    for (const name of [...Object.keys(REFUSED), ...Object.keys(ACCEPTED)]) assert.ok((VNC_ARG_NAMES as readonly string[]).includes(name), name);
  });

  for (const [name, value] of Object.entries(REFUSED)) {
    it(`refuses ${name}=${value} with an error naming it`, async () => {
      const c = await connect({ [name]: value });
      const error = await c.waitFor((i) => i[0] === 'error' || i[0] === 'sync');
      assert.equal(error[0], 'error', `${name}=${value} must not connect silently`);
      assert.equal(Number(error[2]), GuacStatus.UNSUPPORTED);
      assert.match(error[1]!, new RegExp(`"${name}"`));
    });
  }

  it('connects with the parameters that only tune a feature that is off, and with color-depth 24', async () => {
    const c = await connect(ACCEPTED);
    const first = await c.waitFor((i) => i[0] === 'error' || i[0] === 'sync');
    assert.equal(first[0], 'sync', `connected (got ${first.join(',')})`);
    assert.ok(c.instructions.some((i) => i[0] === 'img'), 'the desktop was drawn');
  });
});
