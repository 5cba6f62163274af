// Docker endpoints. TLS material is stored here and never sent to a window; the private
// key is sealed by the SecretStore.
import { PlainSecretStore, type SecretStore } from '../config/secret-store';
import type { DockerEndpointConfig } from '../providers/docker/docker-endpoint';
import type { Db } from './database';
import type { DockerEndpointsTable } from './schema';

function toConfig(row: DockerEndpointsTable, secrets: SecretStore): DockerEndpointConfig {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    tls: row.tls_ca && row.tls_cert && row.tls_key ? { ca: row.tls_ca, cert: row.tls_cert, key: secrets.open(row.tls_key) } : null,
  };
}

export class EndpointsRepository {
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

  /** Inserts or updates; `tls: undefined` keeps the stored TLS material. */
  async save(endpoint: Omit<DockerEndpointConfig, 'tls'> & { tls?: DockerEndpointConfig['tls'] }): Promise<DockerEndpointConfig> {
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
        created_at: new Date().toISOString(),
      })
      .onConflict((oc) => oc.column('id').doUpdateSet({ name: endpoint.name, url: endpoint.url, ...tlsColumns }))
      .execute();
    return (await this.get(endpoint.id))!;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('docker_endpoints').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
