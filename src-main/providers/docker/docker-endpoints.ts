// Every configured Docker endpoint with its provider; picks where a new instance runs.
import { DaasError } from '../../../src-shared/errors';
import { errorText } from '../../../src-shared/error-texts';
import { DockerProvider } from './docker-provider';
import type { DockerEndpointConfig } from './docker-endpoint';
import type { ManagedDockerEndpoint } from '../../config/managed-endpoints';

/** Where the user's endpoints are kept (the store); providers read them, never a repository. */
export interface DockerEndpointSource {
  list(): Promise<DockerEndpointConfig[]>;
}

export class DockerEndpoints {
  private providers = new Map<string, DockerProvider>();

  constructor(
    private readonly repository: DockerEndpointSource,
    /** The installation id that labels this app's containers. */
    readonly owner: string,
    /** The policy's endpoints: listed besides the stored ones, winning over a stored one with their id. */
    private readonly managedEndpoints: readonly ManagedDockerEndpoint[] = [],
  ) {}

  /** The policy's endpoint with this id, if it is one. */
  managed(endpointId: string): ManagedDockerEndpoint | undefined {
    return this.managedEndpoints.find((m) => m.config.id === endpointId);
  }

  /** Stored endpoints, then the policy's. */
  async configs(): Promise<DockerEndpointConfig[]> {
    const stored = (await this.repository.list()).filter((e) => !this.managed(e.id));
    return [...stored, ...this.managedEndpoints.map((m) => m.config)];
  }

  /** Endpoints that cannot be dialled (plain tcp:// beyond loopback, a policy TLS file unreadable), with the reason. */
  private refused = new Map<string, DaasError>();

  /** Re-reads the endpoints from the store (after a settings change). */
  async load(): Promise<void> {
    const next = new Map<string, DockerProvider>();
    const refused = new Map<string, DaasError>();
    for (const endpoint of await this.configs()) {
      const existing = this.providers.get(endpoint.id);
      const unusable = this.managed(endpoint.id)?.refusal;
      if (unusable) {
        refused.set(endpoint.id, unusable);
        continue;
      }
      try {
        next.set(endpoint.id, existing && sameEndpoint(existing.endpoint, endpoint) ? existing : new DockerProvider(endpoint, this.owner));
      } catch (err) {
        if (!(err instanceof DaasError)) throw err;
        refused.set(endpoint.id, err);
      }
    }
    this.providers = next;
    this.refused = refused;
  }

  all(): DockerProvider[] {
    return [...this.providers.values()];
  }

  get(endpointId: string): DockerProvider {
    const provider = this.providers.get(endpointId);
    const refusal = this.refused.get(endpointId);
    if (refusal) throw refusal;
    if (!provider) {
      throw new DaasError('PROVIDER_FAILED', errorText('error.docker.notConfigured', { endpointId }), errorText('fix.endpoint.addOrPickAnother'));
    }
    return provider;
  }

  /** The app's own endpoint, or the reachable one running the fewest instances. */
  async choose(endpointId: string | null): Promise<DockerProvider> {
    if (endpointId) return this.get(endpointId);
    const candidates = this.all();
    if (candidates.length === 1) return candidates[0]!;
    const loads = await Promise.all(candidates.map((p) => p.runningCount().then((n) => ({ p, n }), () => undefined)));
    const reachable = loads.filter((l) => l !== undefined).sort((a, b) => a.n - b.n);
    // None reachable: the first endpoint's own preflight explains what is wrong.
    return reachable[0]?.p ?? candidates[0]!;
  }
}

function sameEndpoint(a: DockerEndpointConfig, b: DockerEndpointConfig): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
