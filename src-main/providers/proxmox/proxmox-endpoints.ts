// Every configured Proxmox endpoint with its provider (one client, ticket and bridges each).
import { DaasError } from '../../../src-shared/errors';
import { errorText } from '../../../src-shared/error-texts';
import type { ProxmoxEndpointsRepository, StoredProxmoxEndpoint } from '../../store/proxmox-endpoints-repository';
import { ProxmoxProvider, type ProxmoxProviderOptions } from './proxmox-provider';

export class ProxmoxEndpoints {
  private providers = new Map<string, { config: string; provider: ProxmoxProvider }>();

  constructor(
    private readonly repository: ProxmoxEndpointsRepository,
    private readonly options: ProxmoxProviderOptions = {},
  ) {}

  async load(): Promise<void> {
    const next = new Map<string, { config: string; provider: ProxmoxProvider }>();
    for (const endpoint of await this.repository.list()) {
      const config = JSON.stringify(endpoint);
      const existing = this.providers.get(endpoint.id);
      next.set(endpoint.id, existing?.config === config ? existing : { config, provider: this.create(endpoint) });
    }
    for (const [id, old] of this.providers) if (next.get(id) !== old) void old.provider.close();
    this.providers = next;
  }

  create(endpoint: StoredProxmoxEndpoint): ProxmoxProvider {
    return new ProxmoxProvider(endpoint, this.options);
  }

  all(): ProxmoxProvider[] {
    return [...this.providers.values()].map((p) => p.provider);
  }

  get(endpointId: string): ProxmoxProvider {
    const entry = this.providers.get(endpointId);
    if (!entry) {
      throw new DaasError('PROVIDER_FAILED', errorText('error.proxmox.notConfigured', { endpointId }), errorText('fix.endpoint.addOrPickAnother'));
    }
    return entry.provider;
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((p) => p.close()));
  }
}
