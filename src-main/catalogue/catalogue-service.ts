// Catalogue management: apps created, edited, duplicated, deleted, imported, exported,
// and their images checked or built. Every change is announced as apps.changed.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ImageStatus, ImportPreview, LayerProgress } from '../../src-shared/contract';
import { isDockerImageName } from '../../src-shared/docker-image-name';
import type { AppConfig, AppInput } from '../../src-shared/app-config';
import { appInputSchema } from '../../src-shared/app-config';
import { DaasError, toErrorInfo } from '../../src-shared/errors';
import { errorText } from '../../src-shared/error-texts';
import { isActive } from '../../src-shared/instance-states';
import type { App } from '../../src-shared/model';
import type { EventBus } from '../lifecycle/instance-events';
import type { DockerEndpoints } from '../providers/docker/docker-endpoints';
import type { ImageBuilder } from '../providers/docker/image-builder';
import type { AppsRepository } from '../store/apps-repository';
import type { InstancesRepository } from '../store/instances-repository';
import { exportCatalogue, parseCatalogue } from './catalogue-file';
import { planImport } from './import-preview';

/** A pull's layer progress is published at most this often (status lines at once). */
const PULL_PROGRESS_MS = 250;

const notFound = (appId: string) =>
  new DaasError('APP_NOT_FOUND', errorText('error.app.notFound', { appId }), errorText('fix.app.refreshCatalogue'));

export class CatalogueService {
  private readonly building = new Set<string>();
  /** Signs import previews; new with every start, so a preview lasts as long as the process. */
  private readonly previewKey = randomBytes(32);

  constructor(
    private readonly apps: AppsRepository,
    private readonly instances: InstancesRepository,
    private readonly endpoints: DockerEndpoints,
    private readonly images: ImageBuilder,
    private readonly bus: EventBus,
  ) {}

  private async changed<T>(result: T): Promise<T> {
    this.bus.publish({ event: 'apps.changed', payload: await this.apps.list() });
    return result;
  }

  private async existing(appId: string): Promise<App> {
    const app = await this.apps.get(appId);
    if (!app) throw notFound(appId);
    return app;
  }

  async create(input: AppInput): Promise<App> {
    return this.changed(await this.apps.create(appInputSchema.parse(input)));
  }

  async update(appId: string, input: AppInput): Promise<App> {
    const updated = await this.apps.update(appId, appInputSchema.parse(input));
    if (!updated) throw notFound(appId);
    return this.changed(updated);
  }

  async duplicate(appId: string): Promise<App> {
    const { id: _id, builtIn: _builtIn, managed: _managed, displayPasswordSet: _set, ...config } = await this.existing(appId);
    const copy = await this.apps.create({ ...config, name: `${config.name} (copy)`.slice(0, 80) } as AppConfig);
    await this.apps.copyDisplayPassword(appId, copy.id);
    return this.changed((await this.apps.get(copy.id)) ?? copy);
  }

  /** Deletes the app; `deleteHomeVolume` removes its home volume too, only if nothing else uses it. */
  async delete(appId: string, options: { deleteHomeVolume?: boolean } = {}): Promise<{ deleted: true }> {
    const app = await this.existing(appId);
    // Prepared (warm-pool) instances are nobody's: the pool discards them once the app is gone.
    const live = (await this.instances.list()).filter((i) => i.appId === appId && !i.warm && isActive(i.state) && i.state !== 'failed');
    if (live.length) {
      throw new DaasError(
        'INVALID_TRANSITION',
        errorText('error.app.instancesRunning', { name: app.name, count: live.length }),
        errorText('fix.app.stopInstancesFirst'),
      );
    }
    const volume = options.deleteHomeVolume && app.provider === 'docker' ? app.docker.homeVolume?.name : undefined;
    // Checked before anything goes: a volume still in use keeps the app too, so the user can decide again.
    if (volume) await this.checkVolumeUnused(app, volume);
    await this.apps.softDelete(appId);
    // Every engine: the app's instances may have run on any of them (least-loaded choice).
    if (volume) for (const provider of this.endpoints.all()) await provider.removeVolume(volume);
    return this.changed({ deleted: true as const });
  }

  /** Refuses (DaasError) when a container or another app still uses the home volume. */
  private async checkVolumeUnused(app: App, volume: string): Promise<void> {
    const containers = (await Promise.all(this.endpoints.all().map((p) => p.volumeUsers(volume)))).flat();
    const apps = (await this.apps.list()).filter((a) => a.id !== app.id && a.provider === 'docker' && a.docker.homeVolume?.name === volume).map((a) => a.name);
    const users = [...containers, ...apps];
    if (users.length) {
      throw new DaasError(
        'INVALID_TRANSITION',
        errorText('error.app.homeVolumeInUse', { volume, name: app.name, users: users.slice(0, 5).join(', ') }),
        errorText('fix.app.homeVolumeInUse'),
      );
    }
  }

  async exportFile(): Promise<{ json: string; fileName: string }> {
    return { json: exportCatalogue(await this.apps.list()), fileName: `daas-catalogue-${new Date().toISOString().slice(0, 10)}.json` };
  }

  /** What importing the file would do; writes nothing. A bad entry is named (DaasError). */
  async previewImport(json: string): Promise<ImportPreview> {
    const { preview } = await this.plan(json);
    return preview;
  }

  /**
   * Applies a file exactly as previewed, or nothing: the plan is worked out again here (the
   * window asking may not be trusted) and must match the token the preview handed out.
   */
  async importFile(json: string, previewToken: string): Promise<{ imported: number }> {
    const { preview, entries } = await this.plan(json);
    const given = Buffer.from(previewToken);
    const expected = Buffer.from(preview.token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new DaasError('INVALID_REQUEST', errorText('error.catalogue.previewStale'), errorText('fix.catalogue.previewAgain'));
    }
    const refused = preview.entries.find((e) => e.action === 'refused');
    if (refused) {
      const key = refused.refused === 'managed' ? 'error.catalogue.replacesManaged' : 'error.catalogue.replacesBuiltIn';
      throw new DaasError('INVALID_REQUEST', errorText(key, { id: refused.id }), errorText('fix.catalogue.renameEntry'));
    }
    const writes = entries.filter((_, i) => preview.entries[i]!.action !== 'unchanged');
    await this.apps.upsertMany(writes);
    return this.changed({ imported: writes.length });
  }

  private async plan(json: string) {
    const entries = parseCatalogue(json);
    const current = new Map((await this.apps.list()).map((app) => [app.id, app]));
    const lines = planImport(entries, current, await this.apps.protectedIds(entries.map((e) => e.id)));
    // Binds the token to this file and this outcome: a changed file or catalogue needs a new preview.
    const digest = createHash('sha256').update(json).digest('base64url');
    const token = createHmac('sha256', this.previewKey).update(digest).update(JSON.stringify(lines)).digest('base64url');
    return { entries, preview: { entries: lines, token } };
  }

  async imageStatus(): Promise<ImageStatus[]> {
    const apps = (await this.apps.list()).filter((a) => a.provider === 'docker');
    return Promise.all(
      apps.map(async (app) => {
        const provider = await this.endpoints.choose(app.docker.endpointId);
        const present = await provider.hasImage(app.docker.image).catch(() => false);
        return { appId: app.id, image: app.docker.image, present, buildable: this.images.canBuild(app.docker.image) };
      }),
    );
  }

  /**
   * Starts a pull and returns at once; per-layer progress (at most every PULL_PROGRESS_MS, and
   * every status line) and the outcome arrive as image.progress events.
   */
  async pullImage(appId: string): Promise<{ image: string }> {
    const app = await this.existing(appId);
    if (app.provider !== 'docker') {
      throw new DaasError('INVALID_REQUEST', errorText('error.app.noImageToBuild', { name: app.name }), errorText('fix.app.buildOnlyContainers'));
    }
    const image = app.docker.image;
    if (!isDockerImageName(image)) throw new DaasError('INVALID_REQUEST', errorText('error.image.badName', { image }), errorText('fix.image.nameRule'));
    if (this.building.has(image)) {
      throw new DaasError('INVALID_TRANSITION', errorText('error.image.alreadyPulling', { image }), errorText('fix.image.waitForBuild'));
    }
    const provider = await this.endpoints.choose(app.docker.endpointId);
    let layers: LayerProgress[] = [];
    let sentAt = 0;
    const publish = (line: string, done = false, error: unknown = null) => {
      sentAt = Date.now();
      this.bus.publish({ event: 'image.progress', payload: { appId, image, line, done, error: error === null ? null : toErrorInfo(error), layers } });
    };
    this.building.add(image);
    void provider
      .pull(image, (line, now) => {
        layers = now;
        if (line || Date.now() - sentAt >= PULL_PROGRESS_MS) publish(line);
      })
      .then(
        () => publish(`Pulled ${image}.`, true),
        (err) => publish(err instanceof Error ? err.message : String(err), true, err),
      )
      .finally(() => this.building.delete(image));
    return { image };
  }

  /** Starts a build and returns at once; progress and the outcome arrive as image.progress events. */
  async buildImage(appId: string): Promise<{ image: string }> {
    const app = await this.existing(appId);
    if (app.provider !== 'docker') {
      throw new DaasError('INVALID_REQUEST', errorText('error.app.noImageToBuild', { name: app.name }), errorText('fix.app.buildOnlyContainers'));
    }
    const image = app.docker.image;
    if (!this.images.canBuild(image)) {
      throw new DaasError('IMAGE_MISSING', errorText('error.image.noRecipe', { image }), errorText('fix.image.pullYourself', { image }));
    }
    if (this.building.has(image)) {
      throw new DaasError('INVALID_TRANSITION', errorText('error.image.alreadyBuilding', { image }), errorText('fix.image.waitForBuild'));
    }
    const provider = await this.endpoints.choose(app.docker.endpointId);
    const progress = (line: string, done = false, error: unknown = null) =>
      this.bus.publish({
        event: 'image.progress',
        payload: { appId, image, line, done, error: error === null ? null : toErrorInfo(error) },
      });
    this.building.add(image);
    void this.images
      .build(provider, image, (line) => progress(line))
      .then(
        () => progress(`Built ${image}.`, true),
        (err) => progress(err instanceof Error ? err.message : String(err), true, err),
      )
      .finally(() => this.building.delete(image));
    return { image };
  }
}
