// Make the store and a backend agree, at start-up and whenever its event stream
// reconnects: nothing leaks, nothing stays stuck.
import type { OwnedResource } from '../providers/provider';
import type { ProviderEntry } from '../providers/providers';
import type { InstancesRepository } from '../store/instances-repository';
import type { Lifecycle } from './lifecycle';
import { errorText, stateReason } from '../../src-shared/error-texts';

export type OrphanPolicy = 'remove' | 'adopt';

export interface ReconcileDeps {
  instances: InstancesRepository;
  lifecycle: Lifecycle;
  /** Creates a running instance for a labelled resource that has none (policy "adopt"). */
  adopt(entry: ProviderEntry, resource: OwnedResource): Promise<boolean>;
  /** Re-opens what only lived in the previous process (e.g. a Proxmox console bridge). */
  resume?(entry: ProviderEntry, instanceId: string): Promise<void>;
}

export async function reconcile(entry: ProviderEntry, policy: OrphanPolicy, deps: ReconcileDeps): Promise<void> {
  const { instances, lifecycle } = deps;
  const { provider } = entry;
  const owned = await provider.listOwned();
  const rows = (await instances.list()).filter((r) => r.provider === entry.kind && (r.endpointId ?? 'local') === entry.endpointId);
  const byId = new Map(rows.map((r) => [r.id, r]));

  for (const resource of owned) {
    if (lifecycle.isBusy(resource.instanceId)) continue;
    const row = byId.get(resource.instanceId);
    if (row && row.state !== 'stopped' && row.state !== 'failed') continue;
    // Without an owner mark and without a row here, it may be another installation's.
    if (!row && resource.ownerUnknown) continue;
    // A labelled resource without a live row: a crash between create and the database
    // write, or a row that was closed while its resource lived on.
    const adopted = !row && policy === 'adopt' && resource.running && (await deps.adopt(entry, resource));
    if (!adopted) await provider.remove(resource.instanceId, { force: true, resourceId: resource.resourceId });
  }

  for (const row of rows) {
    if (row.state === 'stopped' || row.state === 'failed' || lifecycle.isBusy(row.id)) continue;
    const resource = owned.find((r) => r.instanceId === row.id);
    if (row.state === 'running' && resource?.running) {
      await deps.resume?.(entry, row.id);
      continue;
    }
    const reason = stateReason([
      !resource ? errorText('reason.goneWhenLooked')
      : row.state === 'running' ? errorText('reason.stoppedWhileAway')
      : errorText('reason.closedWhile', { state: row.state }),
    ]);
    if (resource || row.resourceId) await provider.remove(row.id, { force: true, resourceId: row.resourceId ?? undefined });
    await lifecycle.transition(row.id, 'stopped', { reason });
  }
}
