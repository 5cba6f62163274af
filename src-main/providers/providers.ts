// Where an app runs and where an instance lives: Docker endpoints and Proxmox endpoints
// behind the one Provider interface.
import type { App } from '../../src-shared/model';
import type { DockerEndpoints } from './docker/docker-endpoints';
import type { Provider } from './provider';
import type { ProxmoxEndpoints } from './proxmox/proxmox-endpoints';

export type ProviderKind = App['provider'];

export interface ProviderEntry {
  kind: ProviderKind;
  endpointId: string;
  provider: Provider;
}

/** What lifecycle asks: the provider an app starts on, and the one an instance lives on. */
export interface ProviderRegistry {
  forApp(app: App): Promise<ProviderEntry>;
  of(kind: ProviderKind, endpointId: string): Provider;
}

export class Providers implements ProviderRegistry {
  constructor(
    readonly docker: DockerEndpoints,
    readonly proxmox: ProxmoxEndpoints,
  ) {}

  async load(): Promise<void> {
    await Promise.all([this.docker.load(), this.proxmox.load()]);
  }

  /** The provider a new instance of the app starts on. */
  async forApp(app: App): Promise<ProviderEntry> {
    if (app.provider === 'docker') {
      const provider = await this.docker.choose(app.docker.endpointId);
      return { kind: 'docker', endpointId: provider.endpoint.id, provider };
    }
    const endpointId = app.proxmox.endpointId;
    return { kind: 'proxmox', endpointId, provider: this.proxmox.get(endpointId) };
  }

  of(kind: ProviderKind, endpointId: string): Provider {
    return kind === 'proxmox' ? this.proxmox.get(endpointId) : this.docker.get(endpointId);
  }

  all(): ProviderEntry[] {
    return [
      ...this.docker.all().map((provider) => ({ kind: 'docker' as const, endpointId: provider.endpoint.id, provider })),
      ...this.proxmox.all().map((provider) => ({ kind: 'proxmox' as const, endpointId: provider.endpoint.id!, provider })),
    ];
  }
}
