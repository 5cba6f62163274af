// Docker endpoints (`docker.endpoints.*`) and Proxmox endpoints (`proxmox.endpoints.*`). A change restarts
// the event watchers and tells every window.
import type { EventBus } from '../lifecycle/instance-events';
import type { DockerEndpointsService } from '../endpoints/docker-endpoints-service';
import type { ProxmoxEndpointsService } from '../endpoints/proxmox-endpoints-service';
import type { AreaChannel, Handlers } from './handler-types';

export interface EndpointHandlerDeps {
  bus: EventBus;
  /** Follows the configured endpoints with one event watcher each. */
  syncWatchers(): void;
}

export function dockerEndpointHandlers(service: DockerEndpointsService, { bus, syncWatchers }: EndpointHandlerDeps): Handlers<AreaChannel<'docker.endpoints'>> {
  const changed = () => bus.publish({ event: 'endpoints.changed', payload: { kind: 'docker' } });
  return {
    'docker.endpoints.list': () => service.list(),
    'docker.endpoints.save': async (request) => {
      const saved = await service.save(request);
      syncWatchers();
      changed();
      return saved;
    },
    'docker.endpoints.delete': async ({ endpointId }) => {
      const deleted = await service.delete(endpointId);
      syncWatchers();
      changed();
      return deleted;
    },
    'docker.endpoints.test': ({ endpointId }) => service.test(endpointId),
    'docker.endpoints.testDraft': (request) => service.testDraft(request),
    'docker.endpoints.trustHostKey': async ({ endpointId, fingerprint }) => {
      const trusted = await service.trustHostKey(endpointId, fingerprint);
      changed();
      return trusted;
    },
  };
}

export function proxmoxEndpointHandlers(service: ProxmoxEndpointsService, { bus, syncWatchers }: EndpointHandlerDeps): Handlers<AreaChannel<'proxmox.endpoints'>> {
  const changed = () => bus.publish({ event: 'endpoints.changed', payload: { kind: 'proxmox' } });
  return {
    'proxmox.endpoints.list': () => service.list(),
    'proxmox.endpoints.save': async (request) => {
      const saved = await service.save(request);
      syncWatchers();
      changed();
      return saved;
    },
    'proxmox.endpoints.delete': async ({ endpointId }) => {
      const deleted = await service.delete(endpointId);
      syncWatchers();
      changed();
      return deleted;
    },
    'proxmox.endpoints.test': ({ endpointId }) => service.test(endpointId),
    'proxmox.endpoints.testDraft': (request) => service.testDraft(request),
  };
}
