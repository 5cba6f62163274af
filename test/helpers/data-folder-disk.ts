// A data folder on its own small tmpfs, so a test can fill its disk or make it read-only
// for real (root only: `mount -t tmpfs`). Always `unmount()` in cleanup.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { DATABASE_FILE } from '../../src-main/store/database';

const run = promisify(execFile);

export interface SmallDisk {
  dir: string;
  /** Writes a filler file until the disk answers ENOSPC (synchronously: nothing else runs meanwhile). */
  fill(): void;
  /** Deletes the filler: the space comes back. */
  free(): void;
  readOnly(): Promise<void>;
  writable(): Promise<void>;
  unmount(): Promise<void>;
}

/** Why a small disk cannot be mounted here, or undefined when it can. */
export function smallDiskUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'tmpfs mounts need Linux';
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  return undefined;
}

export async function mountSmallDisk(sizeMiB = 2): Promise<SmallDisk> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daas-small-disk-'));
  await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0755`, 'tmpfs', dir]);
  // The data folder is a sub-folder, so the app creates it (and sets its mode) itself.
  const data = path.join(dir, 'data');
  const filler = path.join(dir, 'filler');
  return {
    dir: data,
    fill() {
      const fd = fs.openSync(filler, 'a');
      const chunk = Buffer.alloc(64 * 1024, 1);
      try {
        for (const size of [chunk.length, 4096, 512]) {
          try {
            for (;;) fs.writeSync(fd, chunk, 0, size);
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
          }
        }
      } finally {
        fs.closeSync(fd);
      }
    },
    free() {
      fs.rmSync(filler, { force: true });
    },
    async readOnly() {
      await run('mount', ['-o', 'remount,ro', dir]);
    },
    async writable() {
      await run('mount', ['-o', 'remount,rw', dir]);
    },
    async unmount() {
      await run('umount', [dir]).catch(() => run('umount', ['-l', dir]));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** SQLite's own verdict on the database file, opened read-only beside the app. */
export function integrityCheck(dataDir: string): string {
  const db = new BetterSqlite3(path.join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    return (db.pragma('integrity_check', { simple: true }) as string) ?? '';
  } finally {
    db.close();
  }
}

/** Instance rows in a transient state (creating, starting, stopping), read from the file. */
export function transientRows(dataDir: string): { id: string; state: string }[] {
  const db = new BetterSqlite3(path.join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    return db.prepare("SELECT id, state FROM instances WHERE state IN ('creating', 'starting', 'stopping')").all() as { id: string; state: string }[];
  } finally {
    db.close();
  }
}
