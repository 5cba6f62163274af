import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  codePointLength,
  encodeInstruction,
  GuacamoleParser,
  GuacamoleProtocolError,
} from '../../src-main/display/guacamole/protocol';

const parseAll = (text: string): string[][] => new GuacamoleParser().push(text);

describe('encodeInstruction', () => {
  it('prefixes each element with its length', () => {
    assert.equal(encodeInstruction('size', 0, 1024, 768), '4.size,1.0,4.1024,3.768;');
    assert.equal(encodeInstruction('nop'), '3.nop;');
    assert.equal(encodeInstruction('', 'ping', 12), '0.,4.ping,2.12;');
  });

  it('counts code points, not UTF-16 units or bytes', () => {
    assert.equal(encodeInstruction('name', '😀'), '4.name,1.😀;'); // 2 UTF-16 units, 4 UTF-8 bytes
    assert.equal(encodeInstruction('name', '日本語'), '4.name,3.日本語;'); // 9 UTF-8 bytes
    assert.equal(encodeInstruction('name', 'a😀b𝄞'), '4.name,4.a😀b𝄞;');
    assert.equal(codePointLength('\uD800x'), 2); // a lone surrogate is one code point
  });
});

describe('GuacamoleParser', () => {
  const samples: string[][] = [
    ['size', '0', '1024', '768'],
    ['name', '😀 desktop — 日本語 𝄞'],
    ['', 'ping', '1700000000000'],
    ['blob', '1', 'QUJD'.repeat(300)],
    ['empty', '', ''],
    ['commas', ',;.', '5.abc;'],
  ];

  it('round-trips encoded instructions', () => {
    const text = samples.map(([op, ...args]) => encodeInstruction(op!, ...args)).join('');
    assert.deepEqual(parseAll(text), samples);
  });

  it('copes with chunks split at every position, including inside surrogate pairs', () => {
    const text = samples.map(([op, ...args]) => encodeInstruction(op!, ...args)).join('');
    for (let cut = 0; cut <= text.length; cut++) {
      const p = new GuacamoleParser();
      const got = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))];
      assert.deepEqual(got, samples, `split at ${cut}`);
      assert.ok(p.idle);
    }
  });

  it('copes with one UTF-16 unit at a time', () => {
    const text = samples.map(([op, ...args]) => encodeInstruction(op!, ...args)).join('');
    const p = new GuacamoleParser();
    const got: string[][] = [];
    for (const unit of text.split('')) got.push(...p.push(unit));
    assert.deepEqual(got, samples);
  });

  it('keeps a partial instruction until it completes', () => {
    const p = new GuacamoleParser();
    assert.deepEqual(p.push('4.size,1.0,4.10'), []);
    assert.equal(p.idle, false);
    assert.deepEqual(p.push('24,3.768;3.n'), [['size', '0', '1024', '768']]);
    assert.deepEqual(p.push('op;'), [['nop']]);
  });

  it('rejects malformed input', () => {
    const bad = ['x.size;', '4.size:', '4.sizex', '.a;', '4.size,1.0,', '3.abcd;', '-1.a;'];
    for (const text of bad) {
      // Trailing incomplete input is not an error by itself, so add a terminator probe.
      assert.throws(() => parseAll(text + ';'), GuacamoleProtocolError, text);
    }
  });

  it('bounds element length and element count so garbage cannot grow memory', () => {
    const p = new GuacamoleParser({ maxElementLength: 100 });
    assert.throws(() => p.push('101.'), GuacamoleProtocolError);
    assert.throws(() => p.push('3.nop;'), GuacamoleProtocolError, 'stays failed after an error');
    assert.throws(() => new GuacamoleParser().push('9'.repeat(50)), GuacamoleProtocolError);
    const many = new GuacamoleParser({ maxElements: 4 });
    assert.throws(() => many.push('1.a,1.b,1.c,1.d,1.e;'), GuacamoleProtocolError);
    const big = new GuacamoleParser({ maxElementLength: 10, maxInstructionLength: 25 });
    assert.throws(() => big.push('10.aaaaaaaaaa,10.aaaaaaaaaa,10.'), GuacamoleProtocolError);
  });

  it('does not retain consumed text', () => {
    const p = new GuacamoleParser();
    for (let i = 0; i < 10_000; i++) p.push(encodeInstruction('sync', i));
    assert.equal((p as unknown as { buf: string }).buf.length, 0);
  });
});
