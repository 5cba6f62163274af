// Apps: the catalogue rows. Provider configuration is stored as JSON and validated on
// the way in and on the way out, so a hand-edited database cannot feed bad values on.
//
// A VM app's display password is write-only: it arrives in the config (proxmox.display.password),
// is sealed by the SecretStore into its own column, and is never part of the config JSON or of
// an App (which only says displayPasswordSet).
import { randomBytes } from 'node:crypto';
import { appConfigSchema, type AppConfig } from '../../src-shared/app-config';
import type { App } from '../../src-shared/model';
import { PlainSecretStore, type SecretStore } from './secret-store';
import type { Db } from './database';
import type { Selectable } from 'kysely';
import type { AppsTable } from './schema';

function toApp(row: Selectable<AppsTable>): App {
  const config = appConfigSchema.parse({
    name: row.name,
    description: row.description,
    ...(row.tags ? { tags: JSON.parse(row.tags) } : {}),
    icon: row.icon,
    provider: row.provider,
    [row.provider]: JSON.parse(row.config),
    desktopWidth: row.desktop_width,
    desktopHeight: row.desktop_height,
    idleTimeoutMinutes: row.idle_timeout_minutes,
    ...(row.display ? { display: JSON.parse(row.display) } : {}),
  });
  if (config.provider === 'proxmox' && config.proxmox.display.kind !== 'vncproxy') {
    // Never handed out, even if a hand-edited row put one into the JSON.
    delete config.proxmox.display.password;
  }
  return {
    id: row.id,
    builtIn: row.built_in === 1,
    managed: row.managed === 1,
    ...config,
    ...(config.provider === 'proxmox' ? { displayPasswordSet: row.display_password !== null } : {}),
  };
}

function toColumns(config: AppConfig) {
  let providerConfig: object = config.provider === 'docker' ? config.docker : config.proxmox;
  if (config.provider === 'proxmox' && config.proxmox.display.kind !== 'vncproxy') {
    // The password never goes into the JSON.
    const { password: _password, ...display } = config.proxmox.display;
    providerConfig = { ...config.proxmox, display };
  }
  return {
    name: config.name,
    description: config.description,
    tags: config.tags.length > 0 ? JSON.stringify(config.tags) : null,
    icon: config.icon,
    provider: config.provider,
    config: JSON.stringify(providerConfig),
    desktop_width: config.desktopWidth,
    desktop_height: config.desktopHeight,
    idle_timeout_minutes: config.idleTimeoutMinutes,
    display: JSON.stringify(config.display),
  };
}

/**
 * The display password column for a write: absent = keep what is stored (undefined), null or
 * '' = remove, text = seal it. A display that needs no password drops a stored one.
 */
function passwordColumn(config: AppConfig, secrets: SecretStore): { display_password?: string | null } {
  if (config.provider !== 'proxmox' || config.proxmox.display.kind === 'vncproxy') return { display_password: null };
  const password = config.proxmox.display.password;
  if (password === undefined) return {};
  return { display_password: password ? secrets.seal(password) : null };
}

/** A readable, unique-enough id from a name: "Firefox kiosk" -> "firefox-kiosk-3f9a". */
export function newAppId(name: string, suffix = randomBytes(2).toString('hex')): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${slug || 'app'}-${suffix}`;
}

export class AppsRepository {
  constructor(
    private readonly db: Db,
    /** Seals display passwords (the OS keychain in Electron). */
    private readonly secrets: SecretStore = new PlainSecretStore(),
  ) {}

  /** The app's display password (direct VNC or RDP), for the main process's display path only. */
  async displayPassword(id: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('apps').select('display_password').where('id', '=', id).executeTakeFirst();
    return row?.display_password ? this.secrets.open(row.display_password) : undefined;
  }

  /** Copies the sealed display password (duplicating an app). */
  async copyDisplayPassword(fromId: string, toId: string): Promise<void> {
    const row = await this.db.selectFrom('apps').select('display_password').where('id', '=', fromId).executeTakeFirst();
    await this.db.updateTable('apps').set({ display_password: row?.display_password ?? null }).where('id', '=', toId).execute();
  }

  async list(): Promise<App[]> {
    const rows = await this.db.selectFrom('apps').selectAll().where('deleted_at', 'is', null).orderBy('name').execute();
    return rows.map(toApp);
  }

  async get(id: string): Promise<App | undefined> {
    const row = await this.db
      .selectFrom('apps')
      .selectAll()
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return row && toApp(row);
  }

  async create(config: AppConfig, options: { id?: string; builtIn?: boolean } = {}): Promise<App> {
    // A user's app (new, or a copy of an administrator's) gets the default confinement.
    if (config.provider === 'docker' && config.docker.security) {
      const { security: _security, ...docker } = config.docker;
      config = { ...config, docker };
    }
    const now = new Date().toISOString();
    const id = options.id ?? newAppId(config.name);
    await this.db
      .insertInto('apps')
      .values({
        id,
        ...toColumns(config),
        ...passwordColumn(config, this.secrets),
        built_in: options.builtIn ? 1 : 0,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      })
      .execute();
    return (await this.get(id))!;
  }

  /** Updates an app in place; running instances keep the configuration they started with. */
  async update(id: string, config: AppConfig): Promise<App | undefined> {
    // A password kept for one kind of display (VNC) is not silently reused for another (RDP).
    const before = await this.get(id);
    const kindBefore = before?.provider === 'proxmox' ? before.proxmox.display.kind : undefined;
    const kindNow = config.provider === 'proxmox' ? config.proxmox.display.kind : undefined;
    const password = kindBefore !== kindNow ? { display_password: null, ...passwordColumn(config, this.secrets) } : passwordColumn(config, this.secrets);
    // docker.security is the administrator's (packaged catalogue), granted for its image: the
    // editor cannot send it; an edit keeps it while the image stays the same.
    if (before?.provider === 'docker' && config.provider === 'docker' && before.docker.security && before.docker.image === config.docker.image) {
      config = { ...config, docker: { ...config.docker, security: before.docker.security } };
    }
    const result = await this.db
      .updateTable('apps')
      .set({ ...toColumns(config), ...password, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows ? this.get(id) : undefined;
  }

  async softDelete(id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('apps')
      .set({ deleted_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Which of these ids are built-in or managed apps, deleted ones included: an import may touch neither. */
  async protectedIds(ids: readonly string[]): Promise<Map<string, 'builtIn' | 'managed'>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('apps')
      .select(['id', 'built_in', 'managed'])
      .where('id', 'in', [...ids])
      .where((eb) => eb.or([eb('built_in', '=', 1), eb('managed', '=', 1)]))
      .execute();
    return new Map(rows.map((row) => [row.id, row.managed === 1 ? 'managed' : 'builtIn']));
  }

  /**
   * Replaces or adds the given apps in one transaction (catalogue import). A deleted
   * app with the same id comes back.
   */
  async upsertMany(entries: { id: string; config: AppConfig }[]): Promise<void> {
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (tx) => {
      for (const { id, config } of entries) {
        await tx
          .insertInto('apps')
          .values({ id, ...toColumns(config), ...passwordColumn(config, this.secrets), built_in: 0, created_at: now, updated_at: now, deleted_at: null })
          .onConflict((oc) =>
            oc.column('id').doUpdateSet({ ...toColumns(config), ...passwordColumn(config, this.secrets), updated_at: now, deleted_at: null }),
          )
          .execute();
      }
    });
  }

  /**
   * The administrator's apps, written at every start: added or overwritten, marked
   * managed; apps that left the policy stop being managed (and stay as the user's).
   */
  async syncManaged(entries: readonly { id: string; config: AppConfig }[]): Promise<void> {
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (tx) => {
      await tx.updateTable('apps').set({ managed: 0 }).where('managed', '=', 1).execute();
      for (const { id, config } of entries) {
        await tx
          .insertInto('apps')
          .values({
            id,
            ...toColumns(config),
            ...passwordColumn(config, this.secrets),
            built_in: 0,
            managed: 1,
            created_at: now,
            updated_at: now,
            deleted_at: null,
          })
          .onConflict((oc) =>
            oc.column('id').doUpdateSet({ ...toColumns(config), ...passwordColumn(config, this.secrets), managed: 1, updated_at: now, deleted_at: null }),
          )
          .execute();
      }
    });
  }

  /** Adds the packaged apps; never overwrites an app the user changed. */
  async seed(apps: readonly { id: string; config: AppConfig }[]): Promise<void> {
    const now = new Date().toISOString();
    for (const { id, config } of apps) {
      await this.db
        .insertInto('apps')
        .values({ id, ...toColumns(config), ...passwordColumn(config, this.secrets), built_in: 1, created_at: now, updated_at: now, deleted_at: null })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
  }
}
