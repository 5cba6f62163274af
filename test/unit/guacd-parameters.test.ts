import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectValues, negotiateVersion, toGuacdParameters } from '../../src-main/display/guacd/parameters';
import { parseVncSettings, VNC_ARG_NAMES } from '../../src-main/display/vnc/vnc-settings';
import { Encoding } from '../../src-main/rfb/encodings';

describe('guacd parameter mapping', () => {
  it("maps SFTP (VNC) and drive redirection (RDP) to guacd's names; off switches left out", () => {
    assert.deepEqual(
      toGuacdParameters({
        protocol: 'vnc',
        hostname: 'h',
        sftp: { hostname: 'h', port: 2222, username: 'user', password: 'pw', directory: '/up', disableUpload: true, disableDownload: false },
      }),
      {
        hostname: 'h',
        port: '5900',
        'enable-sftp': 'true',
        'sftp-hostname': 'h',
        'sftp-port': '2222',
        'sftp-username': 'user',
        'sftp-password': 'pw',
        'sftp-directory': '/up',
        'sftp-disable-upload': 'true',
      },
    );
    assert.deepEqual(
      toGuacdParameters({ protocol: 'rdp', hostname: 'h', drive: { path: '/data/drives/x', name: 'DaaS Desktop', createPath: true, disableDownload: true } }),
      {
        hostname: 'h',
        port: '3389',
        'enable-drive': 'true',
        'drive-name': 'DaaS Desktop',
        'drive-path': '/data/drives/x',
        'create-drive-path': 'true',
        'disable-download': 'true',
      },
    );
  });

  it('maps VNC options to guacd names, leaving unset ones out', () => {
    assert.deepEqual(
      toGuacdParameters({
        protocol: 'vnc',
        hostname: '10.0.0.5',
        password: 'pw',
        readOnly: true,
        cursor: 'remote',
        colorDepth: 16,
        clipboardEncoding: 'UTF-8',
        disableCopy: true,
        encodings: 'zrle raw',
        autoretry: 3,
      }),
      {
        hostname: '10.0.0.5',
        port: '5900',
        password: 'pw',
        'read-only': 'true',
        'color-depth': '16',
        'disable-copy': 'true',
        encodings: 'zrle raw',
        cursor: 'remote',
        autoretry: '3',
        'clipboard-encoding': 'UTF-8',
      },
    );
  });

  it("maps VNC sound to guacd's own PulseAudio parameters", () => {
    assert.deepEqual(toGuacdParameters({ protocol: 'vnc', hostname: 'h', enableAudio: true, audioServername: '127.0.0.1:32768' }), {
      hostname: 'h',
      port: '5900',
      'enable-audio': 'true',
      'audio-servername': '127.0.0.1:32768',
    });
    assert.deepEqual(toGuacdParameters({ protocol: 'vnc', hostname: 'h', enableAudio: false }), { hostname: 'h', port: '5900' }, 'off: left out');
  });

  it('maps RDP options (security, ignore-cert, resize-method, audio, domain) and checks enumerations', () => {
    assert.deepEqual(
      toGuacdParameters({
        protocol: 'rdp',
        hostname: 'win',
        username: 'u',
        password: 'p',
        domain: 'CORP',
        security: 'nla',
        ignoreCert: true,
        resizeMethod: 'display-update',
        disableAudio: true,
        enableAudioInput: true,
        width: 1280,
        height: 800,
      }),
      {
        hostname: 'win',
        port: '3389',
        password: 'p',
        username: 'u',
        domain: 'CORP',
        security: 'nla',
        'ignore-cert': 'true',
        width: '1280',
        height: '800',
        'resize-method': 'display-update',
        'disable-audio': 'true',
        'enable-audio-input': 'true',
      },
    );
    assert.throws(() => toGuacdParameters({ protocol: 'rdp', hostname: 'h', security: 'ssl' as never }), RangeError);
    assert.throws(() => toGuacdParameters({ protocol: 'vnc', hostname: '' }), RangeError);
    assert.throws(() => toGuacdParameters({ protocol: 'vnc', hostname: 'h', port: 70000 }), RangeError);
    assert.throws(() => toGuacdParameters({ protocol: 'vnc', hostname: 'h', colorDepth: 12 as never }), RangeError);
  });

  it('answers `args` in order, negotiating the protocol version down to the lower one', () => {
    assert.deepEqual(connectValues(['VERSION_1_1_0', 'hostname', 'port', 'x'], { hostname: 'h', port: '1' }), ['VERSION_1_1_0', 'h', '1', '']);
    assert.equal(negotiateVersion('VERSION_1_6_0'), 'VERSION_1_5_0');
    assert.equal(negotiateVersion('VERSION_1_3_0'), 'VERSION_1_3_0');
    assert.equal(negotiateVersion('garbage'), 'VERSION_1_0_0');
  });

  it('round-trips through the embedded gateway\'s parser by name', () => {
    const params = toGuacdParameters({ protocol: 'vnc', hostname: 'h', port: 5901, password: 'p', readOnly: true, encodings: 'hextile', disablePaste: true, clipboardEncoding: 'CP1252' });
    const s = parseVncSettings(connectValues(VNC_ARG_NAMES, params));
    assert.deepEqual(
      [s.hostname, s.port, s.password, s.readOnly, s.encodings, s.disablePaste, s.disableCopy, s.clipboardEncoding, s.remoteCursor],
      ['h', 5901, 'p', true, [Encoding.Hextile], true, false, 'CP1252', false],
    );
  });

  it('without `encodings`, a VNC server on this machine gets Raw first, one elsewhere ZRLE', () => {
    const first = (hostname: string): number | undefined => parseVncSettings(connectValues(VNC_ARG_NAMES, { hostname, port: '5901' })).encodings[1];
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.1.2.3']) assert.equal(first(host), Encoding.Raw, host);
    for (const host of ['10.0.0.5', 'pve.example']) assert.equal(first(host), Encoding.ZRLE, host);
  });
});
