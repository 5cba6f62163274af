// Seals, at every open, the secrets earlier versions stored in clear: VNC passwords and
// TLS keys as plain text, and anything a weaker store marked `plain:` that this one can
// protect better; removes the passwords of instances that ended. One transaction; rows
// already sealed are left alone.
import { sql } from 'kysely';
import { KEY_FILE_PREFIX, KEYCHAIN_PREFIX, PLAIN_PREFIX, type SecretStore } from './secret-store';
import type { Db } from './database';

/** Text stored before secrets were sealed at all carries none of the store prefixes. */
function isUnsealed(stored: string): boolean {
  return ![PLAIN_PREFIX, KEYCHAIN_PREFIX, KEY_FILE_PREFIX].some((prefix) => stored.startsWith(prefix));
}

/** The value to write instead of `stored`, or undefined to keep it. */
function resealed(stored: string | null, secrets: SecretStore, legacyPlain: boolean): string | undefined {
  if (!stored) return undefined;
  if (legacyPlain && isUnsealed(stored)) return secrets.seal(stored);
  if (secrets.needsReseal(stored)) return secrets.seal(secrets.open(stored));
  return undefined;
}

/** Returns how many stored secrets were sealed or removed. */
export async function sealStoredSecrets(db: Db, secrets: SecretStore): Promise<number> {
  const count = await db.transaction().execute(async (tx) => {
    // An ended instance's password is of no use to anyone: remove it rather than seal it.
    const ended = await tx
      .updateTable('connections')
      .set({ password: '' })
      .where('password', '!=', '')
      .where('instance_id', 'in', (eb) => eb.selectFrom('instances').select('id').where('state', 'in', ['stopped', 'failed']))
      .executeTakeFirst();
    let count = Number(ended.numUpdatedRows);
    for (const row of await tx.selectFrom('connections').select(['instance_id', 'password']).execute()) {
      const password = resealed(row.password, secrets, true);
      if (password === undefined) continue;
      await tx.updateTable('connections').set({ password }).where('instance_id', '=', row.instance_id).execute();
      count++;
    }
    for (const row of await tx.selectFrom('docker_endpoints').select(['id', 'tls_key']).execute()) {
      const key = resealed(row.tls_key, secrets, true);
      if (key === undefined) continue;
      await tx.updateTable('docker_endpoints').set({ tls_key: key }).where('id', '=', row.id).execute();
      count++;
    }
    for (const row of await tx.selectFrom('proxmox_endpoints').select(['id', 'secret']).execute()) {
      const secret = resealed(row.secret, secrets, false);
      if (secret === undefined) continue;
      await tx.updateTable('proxmox_endpoints').set({ secret }).where('id', '=', row.id).execute();
      count++;
    }
    for (const row of await tx.selectFrom('apps').select(['id', 'display_password']).execute()) {
      const password = resealed(row.display_password, secrets, false);
      if (password === undefined) continue;
      await tx.updateTable('apps').set({ display_password: password }).where('id', '=', row.id).execute();
      count++;
    }
    return count;
  });
  // The clear values also sit in WAL frames until a checkpoint overwrites them: fold and truncate now.
  if (count) await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
  return count;
}
