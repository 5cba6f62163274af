// Opens the SQLite database (WAL, foreign keys on) and brings its schema up to date.
// The data folder is the user's alone (0700) and so is every file in it (0600): it holds
// the database, its WAL and shared-memory files, and the key file of sealed secrets.
import fs from 'node:fs/promises';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { migrationProvider } from './migrations';
import type { Database } from './schema';
import { fileSystemError, guardDatabase, isStorageError, toStorageError } from './storage-errors';

export type Db = Kysely<Database>;

export const DATABASE_FILE = 'daas-desktop.sqlite3';
export const DATA_DIR_MODE = 0o700;
export const DATA_FILE_MODE = 0o600;

/**
 * Creates the data folder (0700) or tightens an existing one, and tightens the files
 * earlier versions left readable by others. Fails with a typed error when it cannot be written.
 */
export async function prepareDataDir(dataDir: string): Promise<void> {
  try {
    await fs.mkdir(dataDir, { recursive: true, mode: DATA_DIR_MODE });
    await fs.chmod(dataDir, DATA_DIR_MODE);
    await fs.access(dataDir, fs.constants.W_OK);
  } catch (err) {
    throw fileSystemError(err, dataDir);
  }
  for (const name of await fs.readdir(dataDir)) {
    const file = path.join(dataDir, name);
    const stat = await fs.lstat(file);
    if (stat.isFile() && (stat.mode & 0o077) !== 0) await fs.chmod(file, DATA_FILE_MODE);
  }
}

export async function openDatabase(dataDir: string): Promise<Db> {
  await prepareDataDir(dataDir);
  const file = path.join(dataDir, DATABASE_FILE);
  // SQLite gives the WAL and shared-memory files the database file's mode: create it 0600 first.
  await fs
    .open(file, 'a', DATA_FILE_MODE)
    .then((handle) => handle.close())
    .catch((err: unknown) => {
      throw fileSystemError(err, dataDir);
    });
  let sqlite: BetterSqlite3.Database | undefined;
  try {
    sqlite = new BetterSqlite3(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // Deleted and overwritten values (a removed password) are zeroed, not left in free space.
    sqlite.pragma('secure_delete = ON');
  } catch (err) {
    sqlite?.close();
    throw toStorageError(err, dataDir);
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: guardDatabase(sqlite, dataDir) }) });
  const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    await db.destroy();
    if (isStorageError(error)) throw error;
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
  return db;
}
