// "Save as new app…": what an instance holds now (a container's files, a kept VM's disks)
// becomes a new catalogue entry with the instance's app's settings, starting from a committed
// image or a template. The backend does the saving; this names no backend.
import { appConfigSchema, type AppConfig } from '../../src-shared/app-config';
import { DaasError } from '../../src-shared/errors';
import { errorText } from '../../src-shared/error-texts';
import type { App } from '../../src-shared/model';
import type { EventBus } from '../lifecycle/instance-events';
import type { Lifecycle } from '../lifecycle/lifecycle';
import type { AppsRepository } from '../store/apps-repository';
import type { InstancesRepository } from '../store/instances-repository';

export class AppSaver {
  /** Instances being saved: a second click waits for nothing and is refused. */
  private readonly saving = new Set<string>();

  constructor(
    private readonly apps: AppsRepository,
    private readonly instances: InstancesRepository,
    private readonly lifecycle: Lifecycle,
    private readonly bus: EventBus,
  ) {}

  async save(instanceId: string, name: string): Promise<App> {
    const record = await this.instances.get(instanceId);
    if (!record) throw new DaasError('INSTANCE_NOT_FOUND', errorText('error.instance.notFound', { instanceId }), errorText('fix.instance.refreshList'));
    const app = await this.apps.get(record.appId);
    if (!app) throw new DaasError('APP_NOT_FOUND', errorText('error.app.notFound', { appId: record.appId }), errorText('fix.app.refreshCatalogue'));
    if (!['running', 'stopped', 'failed'].includes(record.state) || this.lifecycle.isBusy(instanceId) || this.saving.has(instanceId)) {
      throw new DaasError('INVALID_TRANSITION', errorText('error.save.busy', { name: record.name, state: record.state }), errorText('fix.save.wait'));
    }
    const provider = this.lifecycle.providerOf(record);
    if (!provider.saveAsApp) {
      throw new DaasError('INVALID_REQUEST', errorText('error.save.unsupported', { name: record.name }), errorText('fix.save.unsupported'));
    }
    this.saving.add(instanceId);
    try {
      const section = await provider.saveAsApp({
        instanceId,
        name: record.name,
        state: record.state,
        resourceId: record.resourceId,
        appName: name,
        progress: (text) => this.bus.publish({ event: 'instance.progress', payload: { instanceId, message: text.text, text: { key: text.key, params: text.params } } }),
      });
      const { id: _id, builtIn: _builtIn, managed: _managed, displayPasswordSet: _set, ...config } = app;
      const kind = config.provider;
      const saved = appConfigSchema.parse({ ...config, name, [kind]: { ...(config as Record<string, unknown>)[kind] as object, ...section } }) as AppConfig;
      const created = await this.apps.create(saved);
      await this.apps.copyDisplayPassword(app.id, created.id);
      this.bus.publish({ event: 'apps.changed', payload: await this.apps.list() });
      return (await this.apps.get(created.id)) ?? created;
    } finally {
      this.saving.delete(instanceId);
    }
  }
}
