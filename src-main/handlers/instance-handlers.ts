// Starting, stopping and watching instances.
import { toPublic, type Lifecycle } from '../lifecycle/lifecycle';
import type { ActivitySource } from '../lifecycle/idle-monitor';
import type { EventBus } from '../lifecycle/instance-events';
import type { InstancesRepository } from '../store/instances-repository';
import type { AreaChannel, Handlers } from './handler-types';

export function instanceHandlers(
  instances: InstancesRepository,
  lifecycle: Lifecycle,
  { activity, bus }: { activity: ActivitySource; bus: EventBus },
): Handlers<Exclude<AreaChannel<'instances'>, 'instances.saveAsApp'>> {
  return {
    // Prepared (warm-pool) instances are nobody's yet: not listed.
    'instances.list': async () => (await instances.list()).filter((r) => !r.warm).map((r) => toPublic(lifecycle.current(r))),
    'instances.start': ({ appId }) => lifecycle.start(appId),
    'instances.stop': ({ instanceId }) => lifecycle.stop(instanceId),
    'instances.forceStop': ({ instanceId }) => lifecycle.stop(instanceId, { force: true }),
    'instances.restart': ({ instanceId }) => lifecycle.restart(instanceId),
    'instances.stopAll': async () => ({ stopping: await lifecycle.stopAll() }),
    'instances.logs': async ({ instanceId, lines, timestamps }) => ({ text: await lifecycle.logs(instanceId, lines, { timestamps }) }),
    'instances.stats': ({ instanceId }) => lifecycle.stats(instanceId),
    'instances.inspect': ({ instanceId }) => lifecycle.inspect(instanceId),
    'instances.activity': async ({ instanceId }) => {
      const last = activity.lastActivityAt(instanceId);
      return { viewers: activity.viewerCount(instanceId), lastActivityAt: last === undefined ? null : new Date(last).toISOString() };
    },
    'instances.remove': async ({ instanceIds }) => {
      // A failed instance may keep its container (with the user's files) for re-attaching:
      // removing its row removes that too, through a force stop that records it.
      for (const id of new Set(instanceIds)) {
        const record = await instances.get(id);
        if (record?.state === 'failed') await lifecycle.stop(id, { force: true });
      }
      const removed = await instances.remove(instanceIds);
      if (removed.length > 0) bus.publish({ event: 'instances.removed', payload: { instanceIds: removed } });
      return { removed };
    },
  };
}
