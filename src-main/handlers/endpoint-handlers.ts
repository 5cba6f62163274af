// Docker endpoints (`endpoints.*`) and Proxmox endpoints (`proxmox.*`). A change restarts
// the event watchers and tells every window.
import type { EventBus } from '../lifecycle/instance-events';
import type { EndpointsService } from '../endpoints/docker-endpoints-service';
import type { ProxmoxEndpointsService } from '../endpoints/proxmox-endpoints-service';
import type { AreaChannel, Handlers } from './handler-types';

export interface EndpointHandlerDeps {
  bus: EventBus;
  /** Follows the configured endpoints with one event watcher each. */
  syncWatchers(): void;
}

export function dockerEndpointHandlers(service: EndpointsService, { bus, syncWatchers }: EndpointHandlerDeps): Handlers<AreaChannel<'endpoints'>> {
  const changed = () => bus.publish({ event: 'endpoints.changed', payload: { kind: 'docker' } });
  return {
    'endpoints.list': () => service.list(),
    'endpoints.save': async (request) => {
      const saved = await service.save(request);
      syncWatchers();
      changed();
      return saved;
    },
    'endpoints.delete': async ({ endpointId }) => {
      const deleted = await service.delete(endpointId);
      syncWatchers();
      changed();
      return deleted;
    },
    'endpoints.test': ({ endpointId }) => service.test(endpointId),
    'endpoints.trustHostKey': async ({ endpointId, fingerprint }) => {
      const trusted = await service.trustHostKey(endpointId, fingerprint);
      changed();
      return trusted;
    },
  };
}

export function proxmoxEndpointHandlers(service: ProxmoxEndpointsService, { bus, syncWatchers }: EndpointHandlerDeps): Handlers<AreaChannel<'proxmox'>> {
  const changed = () => bus.publish({ event: 'endpoints.changed', payload: { kind: 'proxmox' } });
  return {
    'proxmox.list': () => service.list(),
    'proxmox.save': async (request) => {
      const saved = await service.save(request);
      syncWatchers();
      changed();
      return saved;
    },
    'proxmox.delete': async ({ endpointId }) => {
      const deleted = await service.delete(endpointId);
      syncWatchers();
      changed();
      return deleted;
    },
    'proxmox.test': ({ endpointId }) => service.test(endpointId),
  };
}
