// Fuzzing the Guacamole parser and a gateway session with a fixed seed and a time bound:
// random and truncated input gives instructions or a GuacamoleProtocolError, nothing else;
// a gateway fed garbage answers with an error and closes the connection.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { startGateway } from '../../src-main/display/gateway';
import { encodeInstruction, GuacamoleParser, GuacamoleProtocolError } from '../../src-main/display/guacamole/protocol';
import { rng } from './rfb-decoders.test';

const ALPHABET = '0123456789.,;abc;,.😀é\u0000';

describe('Guacamole parser under random input', () => {
  it('random text: instructions or a protocol error, within bounds', () => {
    const r = rng(1234);
    const deadline = Date.now() + 2_000;
    let errors = 0;
    while (Date.now() < deadline) {
      const parser = new GuacamoleParser({ maxElementLength: 1000 });
      let text = '';
      for (let i = Math.floor(r() * 200); i > 0; i--) text += ALPHABET[Math.floor(r() * ALPHABET.length)];
      try {
        for (const ins of parser.push(text)) assert.ok(ins.length >= 1);
      } catch (err) {
        assert.ok(err instanceof GuacamoleProtocolError, String(err));
        errors++;
      }
    }
    assert.ok(errors > 0);
  });

  it('valid instructions cut anywhere and fed in pieces give the same instructions', () => {
    const r = rng(99);
    for (let n = 0; n < 300; n++) {
      const instructions = Array.from({ length: 1 + Math.floor(r() * 5) }, () =>
        Array.from({ length: 1 + Math.floor(r() * 4) }, () => Array.from({ length: Math.floor(r() * 6) }, () => ALPHABET[Math.floor(r() * ALPHABET.length)]).join('')),
      );
      const text = instructions.map(([op, ...args]) => encodeInstruction(op!, ...args)).join('');
      const parser = new GuacamoleParser();
      const got: string[][] = [];
      const units = [...text];
      for (let i = 0; i < units.length; ) {
        const k = 1 + Math.floor(r() * 5);
        got.push(...parser.push(units.slice(i, i + k).join('')));
        i += k;
      }
      assert.deepEqual(got, instructions);
      assert.ok(parser.idle);
    }
  });
});

describe('gateway session under random input', () => {
  it('answers garbage with an error (or just closes) and closes cleanly, every time', async () => {
    const gateway = await startGateway({ session: { handshakeTimeoutMs: 1_000 } });
    const r = rng(5);
    try {
      for (let n = 0; n < 40; n++) {
        const valid = encodeInstruction('select', 'vnc');
        let junk = r() < 0.5 ? valid : '';
        for (let i = Math.floor(r() * 120); i > 0; i--) junk += ALPHABET[Math.floor(r() * ALPHABET.length)];
        junk += ';x;';
        const received = await new Promise<string>((resolve, reject) => {
          const s = connect({ host: gateway.host, port: gateway.port });
          let text = '';
          const timer = setTimeout(() => reject(new Error(`no close for ${JSON.stringify(junk)}`)), 4_000);
          s.on('data', (d) => (text += d.toString()));
          s.on('error', () => undefined);
          s.on('close', () => {
            clearTimeout(timer);
            resolve(text);
          });
          s.write(junk);
        });
        assert.match(received, /(5\.error,|^$|10\.disconnect;)/, JSON.stringify(junk));
      }
    } finally {
      await gateway.close();
    }
  });
});
