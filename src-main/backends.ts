// The backends this app runs desktops on, wired to the store: each backend's endpoint
// repository and service, its provider module (providers/<kind>/<kind>-backend.ts) and its
// endpoint handlers. The registry is the one list in `openBackends`; core.ts names none.
import { resourcesDir } from './config/paths';
import { managedDockerEndpoints } from './config/managed-endpoints';
import type { Settings } from './config/settings';
import type { GuacdRunner } from './display/guacd/guacd-runner';
import { DockerEndpointsService } from './endpoints/docker-endpoints-service';
import { ProxmoxEndpointsService } from './endpoints/proxmox-endpoints-service';
import { dockerEndpointHandlers, proxmoxEndpointHandlers, type EndpointHandlerDeps } from './handlers/endpoint-handlers';
import type { AreaChannel, Handlers } from './handlers/handler-types';
import type { PolicyGuardDeps } from './handlers/policy-guards';
import type { EventBus } from './lifecycle/instance-events';
import { dockerBackend } from './providers/docker/docker-backend';
import { LOCAL_ENDPOINT_ID } from './providers/docker/docker-endpoint';
import type { DockerEndpoints } from './providers/docker/docker-endpoints';
import { localGuacdRunner } from './providers/docker/guacd-service';
import { ImageBuilder } from './providers/docker/image-builder';
import { Providers } from './providers/providers';
import { proxmoxBackend } from './providers/proxmox/proxmox-backend';
import type { AppsRepository } from './store/apps-repository';
import type { Db } from './store/database';
import { DockerEndpointsRepository } from './store/docker-endpoints-repository';
import type { InstancesRepository } from './store/instances-repository';
import { ProxmoxEndpointsRepository } from './store/proxmox-endpoints-repository';
import type { SecretStore } from './store/secret-store';

/** What the backends need from the rest of the app. */
export interface BackendContext {
  db: Db;
  secrets: SecretStore;
  settings: Settings;
  /** This data folder's id: it labels what this installation owns. */
  installationId: string;
  bus: EventBus;
  apps: AppsRepository;
  instances: InstancesRepository;
}

/** The channels of the backends' endpoint settings. */
type EndpointChannel = AreaChannel<'docker.endpoints'> | AreaChannel<'proxmox.endpoints'>;

export interface Backends {
  /** The registry of providers, keyed by kind. */
  providers: Providers;
  /** The request handlers of every backend's endpoint settings. */
  endpointHandlers(changes: EndpointHandlerDeps): Handlers<EndpointChannel>;
  /** What the editing locks ask the backends (a policy endpoint's own secret is exempt). */
  guardDeps: Omit<PolicyGuardDeps, 'userSettings' | 'apps'>;
  /** Where the catalogue checks and builds container images. */
  images: { endpoints: DockerEndpoints; builder: ImageBuilder };
  /** Runs guacd for the display layer (setting guacdContainerImage). */
  guacd: GuacdRunner;
  /** Once per data folder: the local Docker endpoint. */
  seed(): Promise<void>;
}

export async function openBackends(context: BackendContext): Promise<Backends> {
  const { db, secrets, settings, installationId, bus, apps, instances } = context;
  const { policy } = settings.policy;
  const dockerRepository = new DockerEndpointsRepository(db, secrets);
  const proxmoxRepository = new ProxmoxEndpointsRepository(db, secrets);
  const docker = dockerBackend({ source: dockerRepository, owner: installationId, managed: await managedDockerEndpoints(policy.dockerEndpoints) });
  const proxmox = proxmoxBackend({
    source: proxmoxRepository,
    provider: {
      installationId,
      onProgress: ({ instanceId, message, text }) => bus.publish({ event: 'instance.progress', payload: { instanceId, message, ...(text ? { text } : {}) } }),
    },
    managed: policy.proxmoxEndpoints,
  });
  // The registration list: one line per backend.
  const providers = new Providers([docker, proxmox]);

  const dockerService = new DockerEndpointsService(dockerRepository, docker.endpoints, instances);
  const proxmoxService = new ProxmoxEndpointsService(proxmoxRepository, proxmox.endpoints, apps, instances);
  return {
    providers,
    endpointHandlers: (changes) => ({ ...dockerEndpointHandlers(dockerService, changes), ...proxmoxEndpointHandlers(proxmoxService, changes) }),
    guardDeps: { isManagedProxmoxEndpoint: (id) => proxmoxService.isManaged(id) },
    images: { endpoints: docker.endpoints, builder: new ImageBuilder(`${resourcesDir()}/images`) },
    guacd: localGuacdRunner({ socketPath: settings.dockerSocket, owner: installationId }),
    async seed() {
      if (await dockerRepository.get(LOCAL_ENDPOINT_ID)) return;
      await dockerRepository.save({ id: LOCAL_ENDPOINT_ID, name: 'This computer', url: `unix://${settings.dockerSocket}`, tls: null });
    },
  };
}
