// Make the store and a backend agree, at start-up and whenever the event stream
// reconnects: nothing leaks, nothing stays stuck.
import type { DockerProvider } from '../providers/docker/docker-provider';
import type { InstancesRepository } from '../store/instances-repository';
import type { Lifecycle } from './lifecycle';

export type OrphanPolicy = 'remove' | 'adopt';

export interface ReconcileDeps {
  instances: InstancesRepository;
  lifecycle: Lifecycle;
  /** Creates a running instance for a labelled container that has none (policy "adopt"). */
  adopt(provider: DockerProvider, resource: { resourceId: string; instanceId: string; appId: string }): Promise<boolean>;
}

export async function reconcile(provider: DockerProvider, policy: OrphanPolicy, deps: ReconcileDeps): Promise<void> {
  const { instances, lifecycle } = deps;
  const endpointId = provider.endpoint.id;
  const owned = await provider.listOwned();
  const rows = (await instances.list()).filter((r) => (r.endpointId ?? 'local') === endpointId);
  const byId = new Map(rows.map((r) => [r.id, r]));

  for (const resource of owned) {
    if (lifecycle.isBusy(resource.instanceId)) continue;
    const row = byId.get(resource.instanceId);
    if (row && row.state !== 'stopped' && row.state !== 'failed') continue;
    // A labelled container without a live row: a crash between create and the database
    // write, or a row that was closed while its container lived on.
    const adopted = !row && policy === 'adopt' && resource.running && (await deps.adopt(provider, resource));
    if (!adopted) await provider.remove(resource.instanceId, { force: true });
  }

  for (const row of rows) {
    if (row.state === 'stopped' || row.state === 'failed' || lifecycle.isBusy(row.id)) continue;
    const resource = owned.find((r) => r.instanceId === row.id);
    if (row.state === 'running' && resource?.running) continue;
    let reason: string;
    if (!resource) reason = 'Its container was gone when DaaS Desktop looked.';
    else if (row.state === 'running') reason = 'Its container had stopped outside DaaS Desktop.';
    else reason = `DaaS Desktop was closed while the instance was ${row.state}; it was cleaned up.`;
    if (resource) await provider.remove(row.id, { force: true });
    await lifecycle.transition(row.id, 'stopped', { reason });
  }
}
