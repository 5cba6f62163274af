// Opening a viewer and the tickets its display connects with.
import { DaasError } from '../../src-shared/errors';
import { errorText } from '../../src-shared/error-texts';
import { canView } from '../../src-shared/instance-states';
import type { DisplayRouting } from '../display/display-routing';
import type { DisplayService } from '../display/display-service';
import type { InstanceRecord, InstancesRepository } from '../store/instances-repository';
import type { AreaChannel, Handlers } from './handler-types';

export function displayHandlers(
  instances: InstancesRepository,
  routing: DisplayRouting,
  display: DisplayService,
): Handlers<AreaChannel<'viewer' | 'display'>> {
  async function viewableInstance(instanceId: string): Promise<InstanceRecord> {
    const instance = await instances.get(instanceId);
    if (!instance) {
      throw new DaasError('INSTANCE_NOT_FOUND', errorText('error.instance.notFound', { instanceId }), errorText('fix.instance.refreshList'));
    }
    if (!canView(instance.state)) {
      throw new DaasError('DISPLAY_UNAVAILABLE', errorText('error.instance.inState', { name: instance.name, state: instance.state }), errorText('fix.instance.openWhenRunning'));
    }
    return instance;
  }
  return {
    'viewer.open': async ({ instanceId }, host) => {
      await viewableInstance(instanceId);
      return host.openViewer(instanceId);
    },
    'display.connect': async ({ instanceId, width, height, readOnly }) =>
      routing.connect(await viewableInstance(instanceId), { width, height }, readOnly),
    'display.usage': async () => display.usage(),
  };
}
