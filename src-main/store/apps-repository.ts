// Apps: the catalogue rows.
import type { App } from '../../src-shared/model';
import type { Db } from './database';
import type { AppsTable } from './schema';

function toApp(row: AppsTable): App {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    provider: row.provider,
    image: row.image,
    vncPort: row.vnc_port,
    desktopWidth: row.desktop_width,
    desktopHeight: row.desktop_height,
    builtIn: row.built_in === 1,
  };
}

export class AppsRepository {
  constructor(private readonly db: Db) {}

  async list(): Promise<App[]> {
    const rows = await this.db.selectFrom('apps').selectAll().orderBy('name').execute();
    return rows.map(toApp);
  }

  async get(id: string): Promise<App | undefined> {
    const row = await this.db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toApp(row);
  }

  /** Adds the packaged built-in apps that are not in the catalogue yet; never overwrites. */
  async seed(apps: readonly App[]): Promise<void> {
    const now = new Date().toISOString();
    for (const app of apps) {
      await this.db
        .insertInto('apps')
        .values({
          id: app.id,
          name: app.name,
          description: app.description,
          provider: app.provider,
          image: app.image,
          vnc_port: app.vncPort,
          desktop_width: app.desktopWidth,
          desktop_height: app.desktopHeight,
          built_in: app.builtIn ? 1 : 0,
          created_at: now,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
  }
}
