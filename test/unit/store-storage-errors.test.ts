// SQLite's disk-level failures reach users as typed errors naming the data folder, and a
// failed transaction reports its own cause, not the rollback's. Real SQLite; a full disk
// is played by max_page_count, which makes SQLite answer SQLITE_FULL as a full disk does.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../src-main/store/database';
import { toStorageError } from '../../src-main/store/storage-errors';
import { DaasError } from '../../src-shared/errors';

test('a transaction cut short by SQLITE_FULL fails with "disk full", and the database stays usable', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daas-store-full-'));
  const db = await openDatabase(dir);
  const pages = (await sql<{ page_count: number }>`PRAGMA page_count`.execute(db)).rows[0]!.page_count;
  await sql.raw(`PRAGMA max_page_count = ${pages + 2}`).execute(db);
  const big = 'x'.repeat(2000);
  await assert.rejects(
    db.transaction().execute(async (tx) => {
      for (let i = 0; i < 50; i++) await tx.insertInto('settings').values({ key: `k${i}`, value: JSON.stringify(big) }).execute();
    }),
    (err: unknown) => {
      assert.ok(err instanceof DaasError, String(err));
      assert.equal(err.code, 'STORAGE_UNAVAILABLE');
      assert.equal(err.message, `The disk holding your data folder is full (${dir}).`);
      assert.equal((err.cause as { code?: string }).code, 'SQLITE_FULL');
      return true;
    },
  );
  // Nothing half-written, and the next transaction works.
  assert.equal((await db.selectFrom('settings').select('key').where('key', 'like', 'k%').execute()).length, 0);
  await db.transaction().execute((tx) => tx.insertInto('settings').values({ key: 'after', value: '1' }).execute());
  assert.equal((await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(db)).rows[0]!.integrity_check, 'ok');
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('read-only and I/O errors name the folder; other SQLite errors pass unchanged', () => {
  const readOnly = toStorageError(Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' }), '/data');
  assert.ok(readOnly instanceof DaasError);
  assert.match(readOnly.message, /cannot be written.*\(\/data\)/);
  const constraint = Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
  assert.equal(toStorageError(constraint, '/data'), constraint);
  const plain = new Error('not SQLite');
  assert.equal(toStorageError(plain, '/data'), plain);
});
