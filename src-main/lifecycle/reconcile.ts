// At start-up, make the store and the backend agree: nothing leaks, nothing stays stuck.
import type { Provider } from '../providers/provider';
import type { InstancesRepository } from '../store/instances-repository';
import type { EventBus } from './instance-events';
import { toPublic } from './lifecycle';

export async function reconcileAtStartup(instances: InstancesRepository, provider: Provider, bus: EventBus): Promise<void> {
  const owned = await provider.listOwned();
  const rows = await instances.list();
  const byId = new Map(rows.map((r) => [r.id, r]));

  // Resources with no live row (a crash between create and the database write, or a
  // row already stopped): remove them.
  for (const resource of owned) {
    const row = byId.get(resource.instanceId);
    if (!row || row.state === 'stopped' || row.state === 'failed') await provider.remove(resource.instanceId);
  }

  for (const row of rows) {
    if (row.state === 'stopped' || row.state === 'failed') continue;
    const resource = owned.find((r) => r.instanceId === row.id);
    let record;
    if (row.state === 'running' && resource?.running) continue;
    if (row.state === 'running' || !resource) {
      record = await instances.transition(row.id, 'stopped', { reason: 'Its container was gone when DaaS Desktop started.' });
    } else {
      // Interrupted mid-start or mid-stop: finish the job rather than guess.
      await provider.remove(row.id);
      record = await instances.transition(row.id, 'stopped', {
        reason: `DaaS Desktop was closed while the instance was ${row.state}; it was cleaned up.`,
      });
    }
    bus.publish({ event: 'instance.changed', payload: toPublic(record) });
  }
}
