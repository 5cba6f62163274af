// Versioned schema migrations. Never edit a shipped migration: add a new one.
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const migrations: Record<string, Migration> = {
  '0001-initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('apps')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('icon', 'text')
        .addColumn('provider', 'text', (c) => c.notNull())
        // The provider-specific part (image, limits, ...) as JSON, validated on read.
        .addColumn('config', 'text', (c) => c.notNull())
        .addColumn('desktop_width', 'integer', (c) => c.notNull())
        .addColumn('desktop_height', 'integer', (c) => c.notNull())
        .addColumn('idle_timeout_minutes', 'integer')
        .addColumn('built_in', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('managed', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        // Deleted apps stay as rows so their instances' history keeps its name.
        .addColumn('deleted_at', 'text')
        .execute();
      await db.schema
        .createTable('instances')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('state_reason', 'text')
        .addColumn('resource_id', 'text')
        .addColumn('provider', 'text', (c) => c.notNull().defaultTo('docker'))
        .addColumn('endpoint_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('instances_by_app').on('instances').column('app_id').execute();
      await db.schema
        .createTable('connections')
        .addColumn('instance_id', 'text', (c) => c.primaryKey().references('instances.id').onDelete('cascade'))
        .addColumn('protocol', 'text', (c) => c.notNull())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('port', 'integer')
        .addColumn('password', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('events')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('instance_id', 'text', (c) => c.notNull().references('instances.id').onDelete('cascade'))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('detail', 'text')
        .execute();
      await sql`CREATE INDEX events_by_instance ON events (instance_id, id)`.execute(db);
      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('docker_endpoints')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        // TLS material; the key is a secret and never leaves the main process.
        .addColumn('tls_ca', 'text')
        .addColumn('tls_cert', 'text')
        .addColumn('tls_key', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('proxmox_endpoints')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        // 'token' (token_id + secret) or 'password' (username + secret).
        .addColumn('auth_kind', 'text', (c) => c.notNull())
        .addColumn('principal', 'text', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        // 'system' CAs, 'pinned' fingerprint, or 'insecure' (explicit opt-in).
        .addColumn('tls_mode', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0002-app-display': {
    async up(db: Kysely<unknown>) {
      // The app's gateway choice (JSON of appDisplaySchema); null = the defaults.
      await db.schema.alterTable('apps').addColumn('display', 'text').execute();
      // A VM app's display password (direct VNC or RDP), sealed by the SecretStore; never
      // part of the config JSON, never sent to a window or written to an exported catalogue.
      await db.schema.alterTable('apps').addColumn('display_password', 'text').execute();
    },
  },
  '0003-events-by-time': {
    async up(db: Kysely<unknown>) {
      // Pruning old events (setting eventRetentionDays) finds them without a table scan.
      await sql`CREATE INDEX events_by_time ON events (at)`.execute(db);
    },
  },
  '0004-docker-ssh-host-key': {
    async up(db: Kysely<unknown>) {
      // The host key a user trusted for an ssh:// endpoint (checked before known_hosts).
      await db.schema.alterTable('docker_endpoints').addColumn('ssh_host_key', 'text').execute();
    },
  },
  '0005-app-tags': {
    async up(db: Kysely<unknown>) {
      // The app's tags (a JSON array of strings) the catalogue filters by; null = none.
      await db.schema.alterTable('apps').addColumn('tags', 'text').execute();
    },
  },
  '0006-warm-pool': {
    async up(db: Kysely<unknown>) {
      // A prepared (warm-pool) instance: the fingerprint of its app's configuration when it was
      // prepared; null for an instance a user started (or was handed).
      await db.schema.alterTable('instances').addColumn('warm', 'text').execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
