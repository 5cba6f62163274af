// The Proxmox backend as the registry sees it: its endpoints (stored, with the policy
// applied), the app's own endpoint, and the app's VM settings (with its sealed display
// password) as its launch configuration.
import type { PolicyProxmoxEndpoint } from '../../config/policy-schema';
import type { ProviderBackend, ProviderEntry } from '../providers';
import { toProxmoxAppConfig } from './app-settings';
import { ProxmoxEndpoints, type ProxmoxEndpointSource } from './proxmox-endpoints';
import type { ProxmoxProvider, ProxmoxProviderOptions } from './proxmox-provider';

export interface ProxmoxBackendOptions {
  /** Where the user's endpoints are kept (the wiring passes the repository). */
  source: ProxmoxEndpointSource;
  /** The installation id and where start/stop steps are reported. */
  provider: ProxmoxProviderOptions;
  /** The policy's endpoints: their fields win over what is stored under their id. */
  managed?: readonly PolicyProxmoxEndpoint[];
}

export interface ProxmoxBackend extends ProviderBackend<'proxmox'> {
  /** The endpoint collection: the endpoint service uses it too. */
  readonly endpoints: ProxmoxEndpoints;
}

const entry = (provider: ProxmoxProvider): ProviderEntry => ({ kind: 'proxmox', endpointId: provider.endpoint.id!, provider });

export function proxmoxBackend(options: ProxmoxBackendOptions): ProxmoxBackend {
  const endpoints = new ProxmoxEndpoints(options.source, options.provider, options.managed);
  return {
    kind: 'proxmox',
    endpoints,
    load: () => endpoints.load(),
    forApp: async (app) => ({ kind: 'proxmox', endpointId: app.proxmox.endpointId, provider: endpoints.get(app.proxmox.endpointId) }),
    launchConfig: async (app, displayPassword) => toProxmoxAppConfig(app.proxmox, await displayPassword()),
    of: (endpointId) => endpoints.get(endpointId),
    // A VM's screen is reached through what this process opens (a console bridge) or its guest's address.
    displaySource: (endpointId) => endpoints.get(endpointId ?? ''),
    all: () => endpoints.all().map(entry),
    close: () => endpoints.close(),
  };
}
