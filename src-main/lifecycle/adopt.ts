// Adopting a labelled resource that has no instance row (orphan policy "adopt"): it
// becomes a running instance, reachable with the password its backend reports.
import type { ProviderEntry } from '../providers/providers';
import type { AppsRepository } from '../store/apps-repository';
import type { InstancesRepository } from '../store/instances-repository';
import type { Lifecycle } from './lifecycle';
import { errorText, stateReason } from '../../src-shared/error-texts';

export async function adoptResource(
  entry: ProviderEntry,
  resource: { resourceId: string; instanceId: string; appId: string },
  apps: AppsRepository,
  instances: InstancesRepository,
  lifecycle: Lifecycle,
): Promise<boolean> {
  const app = await apps.get(resource.appId);
  if (!app || app.provider !== entry.kind) return false;
  if (!/^[A-Za-z0-9_-]+$/.test(resource.instanceId) || (await instances.get(resource.instanceId))) return false;
  const connection = await entry.provider.connectionOf(resource.resourceId);
  await instances.create({
    id: resource.instanceId,
    appId: app.id,
    name: `${app.name} (adopted)`,
    provider: entry.kind,
    endpointId: entry.endpointId,
    connection: { protocol: 'vnc', ...connection },
  });
  const reason = stateReason([errorText('reason.adopted')]);
  await lifecycle.transition(resource.instanceId, 'starting', { resourceId: resource.resourceId, connectionPort: connection.port, reason });
  await lifecycle.transition(resource.instanceId, 'running', { reason });
  return true;
}
