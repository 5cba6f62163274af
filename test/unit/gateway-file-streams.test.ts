// The stream layer's written streams (files): each blob acknowledged only once its writer took
// it, a client that runs ahead of its acks stopped, a failure acknowledged once and only after
// what was written is gone; and file grants that are good for one connection only.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FileGrants } from '../../src-main/display/files/file-grants';
import { GuacStatus, GuacStatusError } from '../../src-main/display/gateway/status';
import { InboundStreams, StreamWriter, WRITTEN_STREAM_LIMITS } from '../../src-main/display/gateway/streams';

const settle = () => new Promise((r) => setImmediate(r));

/** A writer whose writes complete only when the test says so. */
function heldWriter() {
  const log: string[] = [];
  const pending: (() => void)[] = [];
  let aborted = false;
  const writer: StreamWriter = {
    opened: Promise.resolve(),
    write: (data) => {
      log.push(data.toString());
      return new Promise<void>((resolve) => pending.push(resolve));
    },
    end: async () => 'saved.txt',
    abort: async () => {
      await settle();
      aborted = true;
      log.push('aborted');
    },
  };
  return { writer, log, pending, isAborted: () => aborted };
}

const LIMITS = { maxBytes: 10, overLimit: 'too large', overrun: 'too fast', tooMany: 'too many' };

function harness() {
  const acks: [string, string, number][] = [];
  const streams = new InboundStreams((stream, message, status) => acks.push([stream, message, status]));
  return { acks, streams };
}

describe('gateway written streams', () => {
  it('acks the open, then each blob only after its write finished, then the end with the writer’s message', async () => {
    const { acks, streams } = harness();
    const w = heldWriter();
    streams.acceptWriter('1', 'file', () => w.writer, { ...LIMITS, maxBytes: 100 });
    await settle();
    assert.deepEqual(acks.splice(0), [['1', 'OK (STREAM BEGIN)', GuacStatus.SUCCESS]]);
    streams.blob('1', Buffer.from('ab').toString('base64'));
    streams.blob('1', Buffer.from('cd').toString('base64'));
    streams.end('1');
    await settle();
    assert.deepEqual(w.log, ['ab'], 'the second write waits for the first');
    assert.deepEqual(acks, []);
    w.pending.shift()!();
    await settle();
    assert.deepEqual(w.log, ['ab', 'cd']);
    w.pending.shift()!();
    await settle();
    assert.deepEqual(acks, [
      ['1', 'OK', GuacStatus.SUCCESS],
      ['1', 'OK', GuacStatus.SUCCESS],
      ['1', 'saved.txt', GuacStatus.SUCCESS],
    ]);
  });

  it('stops a client that sends more than allowed ahead of its acks, or past the size limit, once, after dropping the file', async () => {
    const { acks, streams } = harness();
    const w = heldWriter();
    streams.acceptWriter('2', 'file', () => w.writer, { ...LIMITS, maxBytes: Number.MAX_SAFE_INTEGER });
    await settle();
    acks.splice(0);
    const blob = Buffer.alloc(6048, 0x61).toString('base64');
    const ahead = Math.ceil(WRITTEN_STREAM_LIMITS.file.maxQueued / 6048) + 1;
    for (let i = 0; i < ahead + 5; i++) streams.blob('2', blob);
    assert.deepEqual(acks, [], 'the failure is told only once the file is dropped');
    await settle();
    await settle();
    assert.equal(w.isAborted(), true);
    assert.deepEqual(acks, [['2', 'too fast', GuacStatus.CLIENT_OVERRUN]]);

    const big = heldWriter();
    streams.acceptWriter('3', 'file', () => big.writer, LIMITS);
    streams.blob('3', Buffer.from('0123456789A').toString('base64'));
    await settle();
    await settle();
    // Failed before it opened: the failure is the one ack it gets.
    assert.deepEqual(acks.slice(1), [['3', 'too large', GuacStatus.CLIENT_OVERRUN]]);
    assert.equal(big.isAborted(), true);
  });

  it('a writer that cannot open refuses the stream; cancel and a leaving viewer abort open writers', async () => {
    const { acks, streams } = harness();
    const failing: StreamWriter = {
      opened: Promise.reject(new GuacStatusError('read-only folder', GuacStatus.CLIENT_FORBIDDEN)),
      write: async () => undefined,
      end: async () => '',
      abort: async () => undefined,
    };
    streams.acceptWriter('4', 'file', () => failing, LIMITS);
    await settle();
    assert.deepEqual(acks.splice(0), [['4', 'read-only folder', GuacStatus.CLIENT_FORBIDDEN]]);

    const cancelled = heldWriter();
    const left = heldWriter();
    streams.acceptWriter('5', 'file', () => cancelled.writer, LIMITS);
    streams.acceptWriter('6', 'file', () => left.writer, LIMITS);
    streams.cancel('5');
    streams.abortAll();
    await settle();
    assert.equal(cancelled.isAborted(), true);
    assert.equal(left.isAborted(), true);
  });

  it('refuses more file streams at once than the limit', () => {
    const { acks, streams } = harness();
    for (let i = 0; i <= WRITTEN_STREAM_LIMITS.file.maxOpen; i++) streams.acceptWriter(String(i), 'file', () => heldWriter().writer, LIMITS);
    assert.deepEqual(acks, [[String(WRITTEN_STREAM_LIMITS.file.maxOpen), 'too many', GuacStatus.CLIENT_TOO_MANY]]);
  });
});

describe('file grants', () => {
  it('are taken once, and not after the ticket lifetime', () => {
    let now = 1_000;
    const grants = new FileGrants(30_000, () => now);
    const unused = async () => Promise.reject(new Error('unused'));
    const grant = { instanceId: 'i', files: { upload: unused, makeFolder: unused, read: unused, watch: () => ({ close: () => undefined }) }, upload: true, download: true, maxBytes: 1, folder: '~/Desktop' };
    const id = grants.issue(grant);
    assert.equal(grants.take(id), grant);
    assert.equal(grants.take(id), undefined, 'a second connection with the same grant gets nothing');
    const late = grants.issue(grant);
    now += 30_001;
    assert.equal(grants.take(late), undefined);
    assert.equal(grants.take('made-up'), undefined);
  });
});
