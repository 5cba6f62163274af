// The apps table as stored (every column, deleted rows too), read from the SQLite file beside
// a running core: "the catalogue did not change" is checked on the rows, not on what the core says.
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { DATABASE_FILE } from '../../src-main/store/database';

export function appRows(dataDir: string): Record<string, unknown>[] {
  const db = new BetterSqlite3(path.join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    return db.prepare('SELECT * FROM apps ORDER BY id').all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

/** A catalogue file with these entries. */
export const catalogueFile = (...apps: unknown[]) => JSON.stringify({ version: 1, apps });
