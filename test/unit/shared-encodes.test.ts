import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SharedEncodes } from '../../src-main/display/gateway/shared-encodes';

describe('SharedEncodes (catch-up frames encoded once for every viewer)', () => {
  it('encodes a region once while the framebuffer is unchanged, per kind of viewer, and again after a change', () => {
    const shared = new SharedEncodes();
    let encodes = 0;
    const encode = () => ({ format: 'png' as const, body: Buffer.from([++encodes]) });
    const a = shared.take(false, 0, 0, 10, 10, encode);
    assert.equal(shared.take(false, 0, 0, 10, 10, encode), a, 'the second viewer gets the same body');
    assert.notEqual(shared.take(true, 0, 0, 10, 10, encode), a, 'a viewer that takes JPEG gets its own');
    assert.notEqual(shared.take(false, 0, 0, 10, 11, encode), a, 'another region is another encode');
    assert.equal(encodes, 3);
    shared.changed();
    assert.notEqual(shared.take(false, 0, 0, 10, 10, encode), a, 'after a change the region is encoded anew');
    assert.equal(encodes, 4);
  });
});
