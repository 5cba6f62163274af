// SQLite's own failures to write (disk full, read-only) said in the user's words, where
// they arise: every statement the store runs goes through guardDatabase.
import fs from 'node:fs';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { DaasError } from '../../src-shared/errors';
import { errorText } from '../../src-shared/error-texts';

function storageFull(dataDir: string, cause?: unknown): DaasError {
  return new DaasError('STORAGE_UNAVAILABLE', errorText('error.storage.full', { path: dataDir }), errorText('fix.storage.full'), { cause });
}

function storageReadOnly(dataDir: string, cause?: unknown): DaasError {
  return new DaasError('STORAGE_UNAVAILABLE', errorText('error.storage.readOnly', { path: dataDir }), errorText('fix.storage.readOnly'), { cause });
}

/** Whether an error means the data folder cannot be written now (a retry may succeed later). */
export function isStorageError(err: unknown): boolean {
  return err instanceof DaasError && err.code === 'STORAGE_UNAVAILABLE';
}

/** Whether the file system refuses writes to the folder (EROFS, EACCES). */
function folderUnwritable(dataDir: string): boolean {
  try {
    // A quick local call, made only on the error path.
    fs.accessSync(dataDir, fs.constants.W_OK);
    return false;
  } catch (err) {
    return ['EROFS', 'EACCES', 'EPERM'].includes((err as NodeJS.ErrnoException).code ?? '');
  }
}

/** Whether the folder's disk has (next to) no space left for the app. */
function diskFull(dataDir: string): boolean {
  try {
    const { bavail, bsize } = fs.statfsSync(dataDir);
    return bavail * bsize < 64 * 1024;
  } catch {
    return false;
  }
}

/** A file-system error (ENOSPC, EROFS, EACCES) on the data folder as a typed error; others unchanged. */
export function fileSystemError(err: unknown, dataDir: string): unknown {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return storageFull(dataDir, err);
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return storageReadOnly(dataDir, err);
  return err;
}

/** A disk-level SQLite error as a typed error; anything else is returned unchanged. */
export function toStorageError(err: unknown, dataDir: string): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return err;
  if (code === 'SQLITE_FULL') return storageFull(dataDir, err);
  if (code.startsWith('SQLITE_READONLY')) return storageReadOnly(dataDir, err);
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR')) {
    if (folderUnwritable(dataDir)) return storageReadOnly(dataDir, err);
    // SQLite reports a failed write to its shared-memory file as an I/O error: ask the disk.
    if (diskFull(dataDir)) return storageFull(dataDir, err);
    if (code.startsWith('SQLITE_IOERR')) {
      return new DaasError(
        'STORAGE_UNAVAILABLE',
        errorText('error.storage.failed', { path: dataDir, detail: (err as Error).message }),
        errorText('fix.storage.failed'),
        { cause: err },
      );
    }
  }
  return err;
}

/**
 * The better-sqlite3 handle as Kysely sees it, with two repairs:
 * - SQLite itself rolls a transaction back on SQLITE_FULL (and some I/O errors); Kysely's
 *   ROLLBACK then fails with "no transaction is active" and that error replaced the real
 *   one. A ROLLBACK outside a transaction is skipped, so the cause is what is reported.
 * - disk-level errors become typed errors naming the data folder.
 */
export function guardDatabase(
  sqlite: SqliteDatabase & { readonly inTransaction: boolean },
  dataDir: string,
): SqliteDatabase {
  const guard = <T>(run: () => T): T => {
    try {
      return run();
    } catch (err) {
      throw toStorageError(err, dataDir);
    }
  };
  const noRollback: SqliteStatement = {
    reader: false,
    all: () => [],
    run: () => ({ changes: 0, lastInsertRowid: 0 }),
    iterate: () => [][Symbol.iterator](),
  };
  return {
    close: () => sqlite.close(),
    prepare(text: string): SqliteStatement {
      if (/^\s*rollback\s*;?\s*$/i.test(text) && !sqlite.inTransaction) return noRollback;
      const statement = guard(() => sqlite.prepare(text));
      return {
        reader: statement.reader,
        all: (parameters) => guard(() => statement.all(parameters)),
        run: (parameters) => guard(() => statement.run(parameters)),
        iterate: (parameters) => guard(() => statement.iterate(parameters)),
      };
    },
  };
}
