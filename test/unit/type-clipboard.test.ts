// "Type clipboard" turns text into X11 keysyms: Latin-1 as itself, € as EuroSign, anything
// else as a Unicode keysym (0x01000000 + code point), line ends as Return.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { keysymsOf, typeText } from '../../src-renderer/viewer/type-clipboard';

it('maps characters to keysyms the X server resolves (Shift and AltGr are its business)', () => {
  assert.deepEqual(keysymsOf('Aa@|~'), [0x41, 0x61, 0x40, 0x7c, 0x7e]);
  assert.deepEqual(keysymsOf('äöü€'), [0xe4, 0xf6, 0xfc, 0x20ac]);
  assert.deepEqual(keysymsOf('東🙂'), [0x01000000 + 0x6771, 0x01000000 + 0x1f642]);
  assert.deepEqual(keysymsOf('a\r\nb\nc\rd\te\u0007'), [0x61, 0xff0d, 0x62, 0xff0d, 0x63, 0xff0d, 0x64, 0xff09, 0x65]);
});

it('presses and releases one key at a time, and stops when cancelled', async () => {
  const sent: number[][] = [];
  assert.equal(await typeText({ sendKeys: (k) => sent.push([...k]) }, 'ab'), true);
  assert.deepEqual(sent, [[0x61], [0x62]]);
  let n = 0;
  assert.equal(await typeText({ sendKeys: () => n++ }, 'abcdef', () => n >= 2), false);
  assert.equal(n, 2);
});
