// The display path's buffer pool: what comes back is reused, nothing foreign is kept, the
// pool is bounded and forgets everything once idle.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BufferPool } from '../../src-main/display/image/buffer-pool';

test('a buffer given back is handed out again for the same size', () => {
  const pool = new BufferPool({ minBytes: 16 });
  const a = pool.take(1024);
  pool.give(a);
  assert.equal(pool.bytes, 1024);
  assert.equal(pool.take(1024), a);
  assert.equal(pool.bytes, 0);
  assert.notEqual(pool.take(1024), a, 'taken buffers are not handed out twice');
  assert.equal(pool.allocatedBytes, 2048);
  pool.clear();
});

test('takeZeroed clears what a previous user left', () => {
  const pool = new BufferPool({ minBytes: 16 });
  const a = pool.take(64).fill(7);
  pool.give(a);
  assert.ok(pool.takeZeroed(64).every((b) => b === 0));
  pool.clear();
});

test('foreign buffers, views, duplicates and small buffers are not kept', () => {
  const pool = new BufferPool({ minBytes: 64 });
  pool.give(Buffer.alloc(1024));
  const own = pool.take(1024);
  pool.give(own.subarray(0, 512));
  pool.give(own);
  pool.give(own);
  assert.equal(pool.bytes, 1024, 'only the whole buffer, once');
  pool.give(pool.take(32));
  assert.equal(pool.bytes, 1024);
  pool.clear();
});

test('the pool keeps at most maxBytes and forgets everything when idle', async () => {
  const pool = new BufferPool({ minBytes: 16, maxBytes: 3000, idleMs: 30 });
  const buffers = [pool.take(1000), pool.take(1000), pool.take(1000), pool.take(1000)];
  for (const b of buffers) pool.give(b);
  assert.equal(pool.bytes, 3000);
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(pool.bytes, 0);
});
