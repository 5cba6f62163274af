// Make the store and a backend agree, at start-up and whenever its event stream
// reconnects: nothing leaks, nothing stays stuck, and nothing with the user's files in it
// is removed just because it stopped (an engine restart stops every container).
import type { OwnedResource } from '../providers/provider';
import { waitForVncBanner } from '../providers/vnc-readiness';
import type { ProviderEntry } from '../providers/providers';
import type { InstanceRecord, InstancesRepository } from '../store/instances-repository';
import type { Lifecycle } from './lifecycle';
import { errorText, stateReason } from '../../src-shared/error-texts';
import { keptAfterStopping } from '../../src-shared/instance-states';

export type OrphanPolicy = 'remove' | 'adopt';

export interface ReconcileOptions {
  orphanPolicy: OrphanPolicy;
  /** How long a failed instance's stopped resource is kept; null: until the user removes it. */
  keepFailedHours: number | null;
  /** How long a re-attached desktop may take to answer. */
  readinessTimeoutMs: number;
  now?: Date;
}

export interface ReconcileDeps {
  instances: InstancesRepository;
  lifecycle: Lifecycle;
  /** Creates a running instance for a labelled resource that has none (policy "adopt"). */
  adopt(entry: ProviderEntry, resource: OwnedResource): Promise<boolean>;
  /** Re-opens what only lived in the previous process (e.g. a Proxmox console bridge). */
  resume?(entry: ProviderEntry, instanceId: string): Promise<void>;
}

export async function reconcile(entry: ProviderEntry, options: ReconcileOptions, deps: ReconcileDeps): Promise<void> {
  const { instances, lifecycle } = deps;
  const { provider } = entry;
  const owned = await provider.listOwned();
  const rows = (await instances.list()).filter((r) => r.provider === entry.kind && (r.endpointId ?? 'local') === entry.endpointId);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const now = (options.now ?? new Date()).getTime();
  const expired = (row: InstanceRecord) => options.keepFailedHours !== null && now - Date.parse(row.updatedAt) >= options.keepFailedHours * 3_600_000;

  for (const resource of owned) {
    if (lifecycle.isBusy(resource.instanceId)) continue;
    const row = byId.get(resource.instanceId);
    if (row && row.state !== 'stopped' && row.state !== 'failed') continue;
    // Without an owner mark and without a row here, it may be another installation's.
    if (!row && resource.ownerUnknown) continue;
    if (row && keptAfterStopping(row)) {
      // Its engine started it again (restart policy, or the user): it is a desktop again.
      if (resource.running && (await reattach(entry, row, resource, options.readinessTimeoutMs, deps))) continue;
      // Kept with its files until the user removes the instance, or the setting's time is up.
      if (!expired(row)) continue;
      await provider.remove(row.id, { force: true, resourceId: resource.resourceId });
      await lifecycle.transition(row.id, 'stopped', { reason: stateReason([errorText('reason.failedExpired', { hours: options.keepFailedHours ?? 0 })]) });
      continue;
    }
    // A labelled resource without a live row: a crash between create and the database
    // write, or a row that was closed while its resource lived on.
    const adopted = !row && options.orphanPolicy === 'adopt' && resource.running && (await deps.adopt(entry, resource));
    if (!adopted) await provider.remove(resource.instanceId, { force: true, resourceId: resource.resourceId });
  }

  for (const row of rows) {
    if (row.state === 'stopped' || row.state === 'failed' || lifecycle.isBusy(row.id)) continue;
    const resource = owned.find((r) => r.instanceId === row.id);
    if (row.state === 'running' && resource?.running) {
      await deps.resume?.(entry, row.id);
      await refreshAddress(entry, row.id, deps);
      continue;
    }
    if (row.state === 'running' && resource) {
      // Stopped while we were away or its engine was (an engine restart without a restart
      // policy, or one that did not bring it back): failed, and kept with its files.
      await lifecycle.transition(row.id, 'failed', { reason: stateReason([errorText('reason.stoppedWhileAwayKept')]), resourceKept: true });
      continue;
    }
    const reason = stateReason([!resource ? errorText('reason.goneWhenLooked') : errorText('reason.closedWhile', { state: row.state })]);
    if (resource || row.resourceId) await provider.remove(row.id, { force: true, resourceId: row.resourceId ?? undefined });
    await lifecycle.transition(row.id, 'stopped', { reason });
  }
}

/** An engine that restarted a container may publish its desktop on another port. */
async function refreshAddress(entry: ProviderEntry, instanceId: string, deps: ReconcileDeps): Promise<void> {
  // No address yet (the engine is still starting it): the viewer's next ticket finds out.
  const address = await entry.provider.currentAddress?.(instanceId).catch(() => undefined);
  const connection = await deps.instances.getConnection(instanceId);
  if (address && connection && address.port !== connection.port) await deps.instances.setConnectionPort(instanceId, address.port);
}

/**
 * A failed instance whose resource runs again becomes running, at the resource's address now,
 * once its desktop answers; if it does not, it is failed and kept again.
 */
async function reattach(entry: ProviderEntry, row: InstanceRecord, resource: OwnedResource, timeoutMs: number, deps: ReconcileDeps): Promise<boolean> {
  const address = await entry.provider.currentAddress?.(row.id).catch(() => undefined);
  if (!address) return false;
  const reason = stateReason([errorText('reason.reattached')]);
  await deps.lifecycle.transition(row.id, 'starting', { resourceId: resource.resourceId, connectionPort: address.port, reason });
  try {
    await waitForVncBanner(address.host, address.port, timeoutMs);
  } catch {
    await deps.lifecycle.transition(row.id, 'failed', { reason: stateReason([errorText('reason.stoppedWhileAwayKept')]), resourceKept: true });
    return true;
  }
  await deps.lifecycle.transition(row.id, 'running', { reason });
  return true;
}
