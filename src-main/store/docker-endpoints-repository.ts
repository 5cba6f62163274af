// Docker endpoints. TLS material is stored here and never sent to a window; the private
// key is sealed by the SecretStore.
import { PlainSecretStore, type SecretStore } from './secret-store';
import type { DockerEndpointConfig } from '../../src-shared/endpoint-config';
import { refusePlainTcp } from '../../src-shared/docker-endpoint-url';
import type { Db } from './database';
import type { DockerEndpointsTable } from './schema';

function toConfig(row: DockerEndpointsTable, secrets: SecretStore): DockerEndpointConfig {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    tls: row.tls_ca && row.tls_cert && row.tls_key ? { ca: row.tls_ca, cert: row.tls_cert, key: secrets.open(row.tls_key) } : null,
    sshHostKey: row.ssh_host_key,
  };
}

export class DockerEndpointsRepository {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretStore = new PlainSecretStore(),
  ) {}

  async list(): Promise<DockerEndpointConfig[]> {
    const rows = await this.db.selectFrom('docker_endpoints').selectAll().orderBy('created_at').execute();
    // An endpoint whose key cannot be opened here is left out (and named in the log).
    return rows.flatMap((row) => {
      try {
        return [toConfig(row, this.secrets)];
      } catch (err) {
        console.warn(`Docker endpoint ${row.name}: ${(err as Error).message}`);
        return [];
      }
    });
  }

  async get(id: string): Promise<DockerEndpointConfig | undefined> {
    const row = await this.db.selectFrom('docker_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toConfig(row, this.secrets);
  }

  /** Inserts or updates; `tls: undefined` keeps the stored TLS material. A changed address forgets the trusted host key. */
  async save(endpoint: Omit<DockerEndpointConfig, 'tls' | 'sshHostKey'> & { tls?: DockerEndpointConfig['tls'] }): Promise<DockerEndpointConfig> {
    // Whoever saves (settings, policy, first run): plain tcp:// reaches loopback only.
    const stored = await this.get(endpoint.id);
    const tlsAfter = endpoint.tls === undefined ? (stored?.tls ?? null) : endpoint.tls;
    refusePlainTcp(endpoint.url, tlsAfter !== null);
    const tlsColumns =
      endpoint.tls === undefined
        ? {}
        : { tls_ca: endpoint.tls?.ca ?? null, tls_cert: endpoint.tls?.cert ?? null, tls_key: endpoint.tls ? this.secrets.seal(endpoint.tls.key) : null };
    await this.db
      .insertInto('docker_endpoints')
      .values({
        id: endpoint.id,
        name: endpoint.name,
        url: endpoint.url,
        tls_ca: null,
        tls_cert: null,
        tls_key: null,
        ...tlsColumns,
        ssh_host_key: null,
        created_at: new Date().toISOString(),
      })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({ name: endpoint.name, url: endpoint.url, ...tlsColumns, ...(stored?.url !== endpoint.url ? { ssh_host_key: null } : {}) }),
      )
      .execute();
    return (await this.get(endpoint.id))!;
  }

  /** Pins the host key the user trusted for an ssh:// endpoint. */
  async trustHostKey(id: string, key: string): Promise<void> {
    await this.db.updateTable('docker_endpoints').set({ ssh_host_key: key }).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('docker_endpoints').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
