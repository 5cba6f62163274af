// Proxmox endpoints and their credentials. The secret never leaves the main process.
import type { SecretStore } from './secret-store';
import type { StoredProxmoxEndpoint } from '../../src-shared/endpoint-config';
import type { Db } from './database';
import type { ProxmoxEndpointsTable } from './schema';

export type { StoredProxmoxEndpoint };

function toEndpoint(row: ProxmoxEndpointsTable, secrets: SecretStore): StoredProxmoxEndpoint {
  const secret = secrets.open(row.secret);
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    auth: row.auth_kind === 'token' ? { tokenId: row.principal, secret } : { username: row.principal, password: secret },
    ...(row.tls_mode === 'pinned' && row.fingerprint ? { tls: { fingerprintSha256: row.fingerprint } } : {}),
    ...(row.tls_mode === 'insecure' ? { tls: { insecure: true as const } } : {}),
  };
}

export class ProxmoxEndpointsRepository {
  constructor(
    private readonly db: Db,
    /** Seals the token secret or password before it reaches SQLite (the OS keychain in Electron). */
    private readonly secrets: SecretStore,
  ) {}

  /** Endpoints whose secret cannot be opened here are left out (and named in the log). */
  async list(): Promise<StoredProxmoxEndpoint[]> {
    const rows = await this.db.selectFrom('proxmox_endpoints').selectAll().orderBy('created_at').execute();
    return rows.flatMap((row) => {
      try {
        return [toEndpoint(row, this.secrets)];
      } catch (err) {
        console.warn(`Proxmox endpoint ${row.name}: ${(err as Error).message}`);
        return [];
      }
    });
  }

  async get(id: string): Promise<StoredProxmoxEndpoint | undefined> {
    const row = await this.db.selectFrom('proxmox_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toEndpoint(row, this.secrets);
  }

  async save(endpoint: StoredProxmoxEndpoint): Promise<StoredProxmoxEndpoint> {
    const token = 'tokenId' in endpoint.auth;
    const columns = {
      name: endpoint.name,
      url: endpoint.url,
      auth_kind: token ? ('token' as const) : ('password' as const),
      principal: 'tokenId' in endpoint.auth ? endpoint.auth.tokenId : endpoint.auth.username,
      secret: this.secrets.seal('tokenId' in endpoint.auth ? endpoint.auth.secret : endpoint.auth.password),
      tls_mode: endpoint.tls?.insecure ? ('insecure' as const) : endpoint.tls?.fingerprintSha256 ? ('pinned' as const) : ('system' as const),
      fingerprint: endpoint.tls?.fingerprintSha256 ?? null,
    };
    await this.db
      .insertInto('proxmox_endpoints')
      .values({ id: endpoint.id, ...columns, created_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('id').doUpdateSet(columns))
      .execute();
    return (await this.get(endpoint.id))!;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('proxmox_endpoints').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
