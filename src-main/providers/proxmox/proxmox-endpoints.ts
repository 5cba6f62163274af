// Every configured Proxmox endpoint with its provider (one client, ticket and bridges each).
import { DaasError } from '../../../src-shared/errors';
import { errorText } from '../../../src-shared/error-texts';
import type { StoredProxmoxEndpoint } from '../../../src-shared/endpoint-config';
import { ProxmoxProvider, type ProxmoxProviderOptions } from './proxmox-provider';
import { applyProxmoxPolicy } from '../../config/managed-endpoints';
import type { PolicyProxmoxEndpoint } from '../../config/policy-schema';

/** Where the user's endpoints are kept (the store); providers read them, never a repository. */
export interface ProxmoxEndpointSource {
  list(): Promise<StoredProxmoxEndpoint[]>;
}

export class ProxmoxEndpoints {
  private providers = new Map<string, { config: string; provider: ProxmoxProvider }>();

  constructor(
    private readonly repository: ProxmoxEndpointSource,
    private readonly options: ProxmoxProviderOptions = {},
    /** The policy's endpoints: their fields win over what is stored under their id. */
    private readonly managedEntries: readonly PolicyProxmoxEndpoint[] = [],
  ) {}

  managed(endpointId: string): PolicyProxmoxEndpoint | undefined {
    return this.managedEntries.find((m) => m.id === endpointId);
  }

  managedList(): readonly PolicyProxmoxEndpoint[] {
    return this.managedEntries;
  }

  /** Stored endpoints with the policy applied; a policy endpoint without a secret yet is left out. */
  async configs(): Promise<StoredProxmoxEndpoint[]> {
    const stored = await this.repository.list();
    const own = stored.filter((e) => !this.managed(e.id));
    const managed = this.managedEntries.flatMap((m) => applyProxmoxPolicy(m, stored.find((e) => e.id === m.id)) ?? []);
    return [...own, ...managed];
  }

  async load(): Promise<void> {
    const next = new Map<string, { config: string; provider: ProxmoxProvider }>();
    for (const endpoint of await this.configs()) {
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
    if (!entry && this.managed(endpointId)) {
      throw new DaasError('PROVIDER_FAILED', errorText('error.proxmox.managedNeedsSecret', { endpointId }), errorText('fix.proxmox.enterManagedSecret'));
    }
    if (!entry) {
      throw new DaasError('PROVIDER_FAILED', errorText('error.proxmox.notConfigured', { endpointId }), errorText('fix.endpoint.addOrPickAnother'));
    }
    return entry.provider;
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((p) => p.close()));
  }
}
