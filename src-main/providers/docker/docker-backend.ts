// The Docker backend as the registry sees it: its endpoints (stored and the policy's), the
// least-loaded choice for an app, and the app's docker section as its launch configuration.
import { parseByteSize } from '../../../src-shared/app-config';
import type { ManagedDockerEndpoint } from '../../config/managed-endpoints';
import type { ProviderBackend, ProviderEntry } from '../providers';
import { LOCAL_ENDPOINT_ID } from './docker-endpoint';
import type { DockerProvider } from './docker-provider';
import { DockerEndpoints, type DockerEndpointSource } from './docker-endpoints';

export interface DockerBackendOptions {
  /** Where the user's endpoints are kept (the wiring passes the repository). */
  source: DockerEndpointSource;
  /** The installation id that labels this app's containers. */
  owner: string;
  /** The policy's endpoints (config/managed-endpoints.ts). */
  managed?: readonly ManagedDockerEndpoint[];
}

export interface DockerBackend extends ProviderBackend<'docker'> {
  /** The endpoint collection: the endpoint service and image builds use it too. */
  readonly endpoints: DockerEndpoints;
}

const entry = (provider: DockerProvider): ProviderEntry => ({ kind: 'docker', endpointId: provider.endpoint.id, provider });

export function dockerBackend(options: DockerBackendOptions): DockerBackend {
  const endpoints = new DockerEndpoints(options.source, options.owner, options.managed);
  return {
    kind: 'docker',
    endpoints,
    load: () => endpoints.load(),
    forApp: async (app) => entry(await endpoints.choose(app.docker.endpointId)),
    launchConfig: async (app) => app.docker,
    of: (endpointId) => endpoints.get(endpointId),
    // Its memory limit; a container without one may take all the machine has.
    warmPool: (app) => app.docker.warmPool,
    transferFolder: (app) => app.docker.transferFolder,
    // The home volume, where files outlive the instance; without one the desktop user's home.
    homeFolder: (app) => app.docker.homeVolume?.mountPath ?? '~',
    memoryClaim: (app) => (app.docker.memory ? (parseByteSize(app.docker.memory) ?? 'unlimited') : 'unlimited'),
    // The engine says where a container's desktop is now; with its endpoint gone, the
    // stored connection is all there is.
    displaySource: (endpointId) => endpoints.all().find((p) => p.endpoint.id === (endpointId ?? LOCAL_ENDPOINT_ID)),
    all: () => endpoints.all().map(entry),
    // Nothing held open: every call dials the engine afresh.
    close: async () => undefined,
  };
}
