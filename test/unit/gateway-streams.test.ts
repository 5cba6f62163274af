import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GuacStatus, GuacStatusError } from '../../src-main/display/gateway/status';
import { InboundStreams, STREAM_LIMITS } from '../../src-main/display/gateway/streams';

function harness() {
  const acks: [string, string, number][] = [];
  const received: string[] = [];
  const streams = new InboundStreams((stream, message, status) => acks.push([stream, message, status]));
  const sink = (data: Buffer) => received.push(data.toString('utf8'));
  return { acks, received, streams, sink };
}

describe('gateway stream layer', () => {
  it('acknowledges each blob and hands the decoded stream to its sink at end', () => {
    const { acks, received, streams, sink } = harness();
    streams.accept('1', 'clipboard', sink);
    // Each blob is base64 on its own, padding included.
    streams.blob('1', Buffer.from('Grüß ').toString('base64'));
    streams.blob('1', Buffer.from('dich').toString('base64'));
    streams.end('1');
    assert.deepEqual(acks, [
      ['1', 'OK', GuacStatus.SUCCESS],
      ['1', 'OK', GuacStatus.SUCCESS],
    ]);
    assert.deepEqual(received, ['Grüß dich']);
  });

  it('refuses a stream beyond the per-viewer limit of its kind, and one past its byte limit', () => {
    const { acks, received, streams, sink } = harness();
    const { maxOpen, maxBytes } = STREAM_LIMITS.clipboard;
    assert.equal(maxOpen, 4);
    assert.equal(maxBytes, 4 * 1024 * 1024);
    for (let i = 0; i < maxOpen; i++) streams.accept(String(i), 'clipboard', sink);
    streams.accept('extra', 'clipboard', sink);
    assert.deepEqual(acks.pop(), ['extra', 'Too many clipboard streams open', GuacStatus.CLIENT_TOO_MANY]);
    streams.blob('0', Buffer.alloc(maxBytes + 16, 0x61).toString('base64'));
    assert.deepEqual(acks.pop(), ['0', 'Clipboard text too long', GuacStatus.CLIENT_OVERRUN]);
    // The overrun stream is closed: its end delivers nothing, and its slot is free again.
    streams.end('0');
    assert.deepEqual(received, []);
    streams.accept('next', 'clipboard', sink);
    assert.equal(acks.length, 0);
  });

  it("passes a protocol's refusal on as the ack", () => {
    const { acks, streams } = harness();
    streams.refuse('7', new GuacStatusError('Clipboard is read-only', GuacStatus.CLIENT_FORBIDDEN));
    assert.deepEqual(acks, [['7', 'Clipboard is read-only', GuacStatus.CLIENT_FORBIDDEN]]);
  });
});
