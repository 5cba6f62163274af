// Adopting a labelled container that has no instance row (orphan policy "adopt"):
// it becomes a running instance, with the password it was started with.
import type { DockerProvider } from '../providers/docker/docker-provider';
import type { AppsRepository } from '../store/apps-repository';
import type { InstancesRepository } from '../store/instances-repository';
import type { Lifecycle } from './lifecycle';

export async function adoptContainer(
  provider: DockerProvider,
  resource: { resourceId: string; instanceId: string; appId: string },
  apps: AppsRepository,
  instances: InstancesRepository,
  lifecycle: Lifecycle,
): Promise<boolean> {
  const app = await apps.get(resource.appId);
  if (!app || !/^[A-Za-z0-9_-]+$/.test(resource.instanceId) || (await instances.get(resource.instanceId))) return false;
  const connection = await provider.connectionOf(resource.resourceId);
  await instances.create({
    id: resource.instanceId,
    appId: app.id,
    name: `${app.name} (adopted)`,
    endpointId: provider.endpoint.id,
    connection: { protocol: 'vnc', ...connection },
  });
  await lifecycle.transition(resource.instanceId, 'starting', {
    resourceId: resource.resourceId,
    connectionPort: connection.port,
    reason: 'Adopted after DaaS Desktop restarted.',
  });
  await lifecycle.transition(resource.instanceId, 'running', { reason: 'Adopted after DaaS Desktop restarted.' });
  return true;
}
