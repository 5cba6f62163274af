// Where an app runs and where an instance lives: Docker endpoints and Proxmox endpoints
// behind the one Provider interface.
import type { App } from '../../src-shared/model';
import { LOCAL_ENDPOINT_ID } from './docker/docker-endpoint';
import type { DockerEndpoints } from './docker/docker-endpoints';
import type { LaunchSpec, Provider } from './provider';
import { toProxmoxAppConfig } from './proxmox/app-settings';
import type { ProxmoxEndpoints } from './proxmox/proxmox-endpoints';

export type ProviderKind = App['provider'];

export interface ProviderEntry {
  kind: ProviderKind;
  endpointId: string;
  provider: Provider;
}

/** What lifecycle asks: the provider an app starts on, its launch configuration, and the one an instance lives on. */
export interface ProviderRegistry {
  forApp(app: App): Promise<ProviderEntry>;
  launchConfig(app: App, displayPassword: () => Promise<string | undefined>): Promise<Pick<LaunchSpec, 'docker' | 'proxmox'>>;
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

  /**
   * The app's provider section of a launch spec. `displayPassword` reads the app's sealed
   * display password, which only a backend that logs in to the desktop itself asks for.
   */
  async launchConfig(app: App, displayPassword: () => Promise<string | undefined>): Promise<Pick<LaunchSpec, 'docker' | 'proxmox'>> {
    if (app.provider === 'docker') return { docker: app.docker };
    return { proxmox: toProxmoxAppConfig(app.proxmox, await displayPassword()) };
  }

  /**
   * The provider that supplies an instance's display target itself, or undefined where the
   * stored connection is the target (a Docker desktop's, once its endpoint is gone).
   */
  displaySource(kind: ProviderKind, endpointId: string | null): Provider | undefined {
    if (kind === 'proxmox') return this.proxmox.get(endpointId ?? '');
    return this.docker.all().find((p) => p.endpoint.id === (endpointId ?? LOCAL_ENDPOINT_ID));
  }

  of(kind: ProviderKind, endpointId: string): Provider {
    return kind === 'proxmox' ? this.proxmox.get(endpointId) : this.docker.get(endpointId);
  }

  /** Closes what the providers hold open in this process (Proxmox console bridges). */
  async close(): Promise<void> {
    await this.proxmox.close();
  }

  all(): ProviderEntry[] {
    return [
      ...this.docker.all().map((provider) => ({ kind: 'docker' as const, endpointId: provider.endpoint.id, provider })),
      ...this.proxmox.all().map((provider) => ({ kind: 'proxmox' as const, endpointId: provider.endpoint.id!, provider })),
    ];
  }
}
