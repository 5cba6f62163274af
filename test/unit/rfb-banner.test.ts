import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRfbBanner, rfbBanner } from '../../src-main/rfb/banner';
import { chooseVersion } from '../../src-main/rfb/handshake';

describe('RFB banner (one parser for the gateway, the console bridge and the readiness check)', () => {
  it('reads the version of a 12-byte banner, from bytes or text', () => {
    assert.deepEqual(parseRfbBanner(Buffer.from('RFB 003.008\n', 'latin1')), { major: 3, minor: 8 });
    assert.deepEqual(parseRfbBanner('RFB 004.001\n'), { major: 4, minor: 1 });
  });

  it('refuses what is not a banner', () => {
    for (const text of ['SSH-2.0-Open', 'RFB 003.008', 'RFB 3.8\n    ', 'RFB 003.008\nX', 'HTTP/1.1 400']) {
      assert.equal(parseRfbBanner(text), null, JSON.stringify(text));
    }
  });

  it('writes the banner the client answers with, which reads back as the version chosen', () => {
    for (const minor of [3, 7, 8] as const) {
      assert.equal(rfbBanner(minor).toString('latin1'), `RFB 003.00${minor}\n`);
      assert.equal(chooseVersion(rfbBanner(minor).toString('latin1')), `3.${minor}`);
    }
  });
});
