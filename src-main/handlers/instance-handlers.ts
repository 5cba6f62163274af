// Starting, stopping and watching instances.
import { toPublic, type Lifecycle } from '../lifecycle/lifecycle';
import type { InstancesRepository } from '../store/instances-repository';
import type { AreaChannel, Handlers } from './handler-types';

export function instanceHandlers(instances: InstancesRepository, lifecycle: Lifecycle): Handlers<AreaChannel<'instances'>> {
  return {
    'instances.list': async () => (await instances.list()).map((r) => toPublic(lifecycle.current(r))),
    'instances.start': ({ appId }) => lifecycle.start(appId),
    'instances.stop': ({ instanceId }) => lifecycle.stop(instanceId),
    'instances.forceStop': ({ instanceId }) => lifecycle.stop(instanceId, { force: true }),
    'instances.restart': ({ instanceId }) => lifecycle.restart(instanceId),
    'instances.stopAll': async () => ({ stopping: await lifecycle.stopAll() }),
    'instances.logs': async ({ instanceId, lines }) => ({ text: await lifecycle.logs(instanceId, lines) }),
    'instances.stats': ({ instanceId }) => lifecycle.stats(instanceId),
  };
}
