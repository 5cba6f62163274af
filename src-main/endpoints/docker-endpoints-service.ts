// Docker endpoints as the settings window manages them.
import { randomBytes } from 'node:crypto';
import type { DockerEndpointTestResult, DockerEndpointView, RequestOf } from '../../src-shared/contract';
import { DaasError } from '../../src-shared/errors';
import { errorText } from '../../src-shared/error-texts';
import { isActive } from '../../src-shared/instance-states';
import type { DockerEndpointsRepository } from '../store/docker-endpoints-repository';
import type { InstancesRepository } from '../store/instances-repository';
import { LOCAL_ENDPOINT_ID, type DockerEndpointConfig } from '../providers/docker/docker-endpoint';
import type { DockerEndpoints } from '../providers/docker/docker-endpoints';
import { DockerProvider } from '../providers/docker/docker-provider';
import { fingerprintOf, type OfferedKey } from '../providers/docker/ssh-host-key';

export function toDockerView(endpoint: DockerEndpointConfig, managed = false): DockerEndpointView {
  const pinned = endpoint.sshHostKey?.split(' ')[1];
  return {
    id: endpoint.id,
    name: endpoint.name,
    url: endpoint.url,
    hasTls: endpoint.tls !== null,
    hostKeyFingerprint: pinned ? fingerprintOf(Buffer.from(pinned, 'base64')) : null,
    managed,
  };
}

export class DockerEndpointsService {
  /** The unknown ssh:// host key each endpoint's last test was offered: what "trust" may pin. */
  private readonly offered = new Map<string, OfferedKey>();

  constructor(
    private readonly repository: DockerEndpointsRepository,
    private readonly endpoints: DockerEndpoints,
    private readonly instances: InstancesRepository,
  ) {}

  async list(): Promise<DockerEndpointView[]> {
    return (await this.endpoints.configs()).map((e) => toDockerView(e, Boolean(this.endpoints.managed(e.id))));
  }

  /** The policy's endpoints are changed in the policy only. */
  private refuseManaged(endpointId: string | undefined): void {
    if (endpointId && this.endpoints.managed(endpointId)) {
      throw new DaasError('INVALID_REQUEST', errorText('error.endpoint.managed', { endpointId }), errorText('fix.askAdmin'));
    }
  }

  async save(request: RequestOf<'docker.endpoints.save'>): Promise<DockerEndpointView> {
    this.refuseManaged(request.id);
    const id = request.id ?? `docker-${randomBytes(3).toString('hex')}`;
    // The store refuses plain tcp:// beyond loopback (refusePlainTcp), however TLS is given or kept.
    const saved = await this.repository.save({ id, name: request.name, url: request.url, tls: request.tls });
    await this.endpoints.load();
    return toDockerView(saved);
  }

  async delete(endpointId: string): Promise<{ deleted: true }> {
    this.refuseManaged(endpointId);
    if (endpointId === LOCAL_ENDPOINT_ID) {
      throw new DaasError('INVALID_REQUEST', errorText('error.endpoint.localUndeletable'), errorText('fix.endpoint.changeAddress'));
    }
    const live = (await this.instances.list()).filter((i) => i.endpointId === endpointId && isActive(i.state) && i.state !== 'failed');
    if (live.length) {
      throw new DaasError('INVALID_TRANSITION', errorText('error.endpoint.instancesRunning', { count: live.length }), errorText('fix.endpoint.stopThemFirst'));
    }
    if (!(await this.repository.delete(endpointId))) {
      throw new DaasError('INVALID_REQUEST', errorText('error.endpoint.notFound', { endpointId }), errorText('fix.refreshSettings'));
    }
    await this.endpoints.load();
    return { deleted: true };
  }

  /** "Test connection": the engine's version and how many of our containers run there. */
  async test(endpointId: string): Promise<DockerEndpointTestResult> {
    const managed = this.endpoints.managed(endpointId);
    if (managed?.refusal) throw managed.refusal;
    const config = managed?.config ?? (await this.repository.get(endpointId));
    if (!config) throw new DaasError('INVALID_REQUEST', errorText('error.endpoint.notFound', { endpointId }), errorText('fix.refreshSettings'));
    return this.dial(config);
  }

  /** "Test" before saving: the form's values, with the stored TLS and host key where the form keeps them. */
  async testDraft(request: RequestOf<'docker.endpoints.testDraft'>): Promise<DockerEndpointTestResult> {
    this.refuseManaged(request.id);
    const stored = request.id ? await this.repository.get(request.id) : undefined;
    if (request.id && !stored) {
      throw new DaasError('INVALID_REQUEST', errorText('error.endpoint.notFound', { endpointId: request.id }), errorText('fix.refreshSettings'));
    }
    const tls = request.tls === undefined ? (stored?.tls ?? null) : request.tls;
    // A draft's ssh host key is not offered for trust: that needs the saved endpoint.
    return this.dial({ id: request.id ?? 'draft', name: request.name, url: request.url, tls, sshHostKey: stored?.sshHostKey ?? null });
  }

  private async dial(config: DockerEndpointConfig): Promise<DockerEndpointTestResult> {
    const endpointId = config.id;
    const provider = new DockerProvider(config, this.endpoints.owner);
    try {
      const { version, apiVersion } = await provider.version();
      return { version, apiVersion, runningContainers: await provider.runningCount() };
    } catch (err) {
      const { refusal, offered } = provider.hostKeys ?? {};
      if (offered && refusal?.messageText?.key === 'error.ssh.hostUnknown') this.offered.set(endpointId, offered);
      throw err;
    }
  }

  /** Pins the host key the last test was offered, when the user confirms its fingerprint. */
  async trustHostKey(endpointId: string, fingerprint: string): Promise<DockerEndpointView> {
    // A managed ssh:// endpoint's key comes from known_hosts (the administrator deploys it).
    this.refuseManaged(endpointId);
    const offered = this.offered.get(endpointId);
    if (!offered || offered.fingerprint !== fingerprint) {
      throw new DaasError('INVALID_REQUEST', errorText('error.ssh.nothingToTrust', { fingerprint }), errorText('fix.ssh.testFirst'));
    }
    await this.repository.trustHostKey(endpointId, offered.key);
    this.offered.delete(endpointId);
    await this.endpoints.load();
    return toDockerView((await this.repository.get(endpointId))!);
  }
}
