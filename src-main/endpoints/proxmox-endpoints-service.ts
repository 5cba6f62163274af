// Proxmox endpoints as the settings window manages them.
import { randomBytes } from 'node:crypto';
import type { ProxmoxEndpointView, ProxmoxTestResult, RequestOf } from '../../src-shared/contract';
import { DaasError } from '../../src-shared/errors';
import { errorText } from '../../src-shared/error-texts';
import { isActive } from '../../src-shared/instance-states';
import type { AppsRepository } from '../store/apps-repository';
import type { InstancesRepository } from '../store/instances-repository';
import type { ProxmoxEndpointsRepository, StoredProxmoxEndpoint } from '../store/proxmox-endpoints-repository';
import type { ProxmoxEndpoints } from '../providers/proxmox/proxmox-endpoints';
import { validateEndpoint } from '../providers/proxmox/proxmox-settings';
import type { PolicyProxmoxEndpoint } from '../config/policy-schema';

export function toProxmoxView(endpoint: StoredProxmoxEndpoint, managed = false): ProxmoxEndpointView {
  return {
    managed,
    needsSecret: false,
    id: endpoint.id,
    name: endpoint.name,
    url: endpoint.url,
    authKind: 'tokenId' in endpoint.auth ? 'token' : 'password',
    principal: 'tokenId' in endpoint.auth ? endpoint.auth.tokenId : endpoint.auth.username,
    tls: endpoint.tls?.insecure ? 'insecure' : endpoint.tls?.fingerprintSha256 ? 'pinned' : 'system',
    fingerprint: endpoint.tls?.fingerprintSha256 ?? null,
  };
}

export class ProxmoxEndpointsService {
  constructor(
    private readonly repository: ProxmoxEndpointsRepository,
    private readonly endpoints: ProxmoxEndpoints,
    private readonly apps: AppsRepository,
    private readonly instances: InstancesRepository,
  ) {}

  async list(): Promise<ProxmoxEndpointView[]> {
    const configs = await this.endpoints.configs();
    const views = configs.map((e) => toProxmoxView(e, Boolean(this.endpoints.managed(e.id))));
    // Policy endpoints the user has not entered a secret for yet.
    const waiting = this.endpoints.managedList().filter((m) => !configs.some((e) => e.id === m.id));
    return [...views, ...waiting.map(waitingView)];
  }

  /** A policy endpoint: the user may enter the secret (and, without a policy token id, the principal); the rest is the policy's. */
  isManaged(endpointId: string | undefined): boolean {
    return Boolean(endpointId && this.endpoints.managed(endpointId));
  }

  /** The endpoint a save (or a test before saving) describes: the policy's fields, the stored secret where none is typed. */
  private async resolve(request: RequestOf<'proxmox.endpoints.save'>) {
    const policy = request.id ? this.endpoints.managed(request.id) : undefined;
    if (policy) {
      request = {
        ...request,
        name: policy.name,
        url: policy.url,
        ...(policy.tokenId ? { authKind: 'token' as const, principal: policy.tokenId } : {}),
        tls: policy.fingerprintSha256 ? 'pinned' : 'system',
        fingerprint: policy.fingerprintSha256,
      };
    }
    const existing = request.id ? await this.repository.get(request.id) : undefined;
    if (request.id && !existing && !policy) throw new DaasError('INVALID_REQUEST', errorText('error.proxmox.notFound', { endpointId: request.id }), errorText('fix.refreshSettings'));
    const sameKind = existing && ('tokenId' in existing.auth ? 'token' : 'password') === request.authKind;
    const secret = request.secret ?? (sameKind ? ('tokenId' in existing.auth ? existing.auth.secret : existing.auth.password) : undefined);
    if (!secret) {
      throw new DaasError('INVALID_REQUEST', errorText(request.authKind === 'token' ? 'error.proxmox.tokenSecretMissing' : 'error.proxmox.passwordMissing'), errorText('fix.proxmox.enterAndSave'));
    }
    if (request.tls === 'pinned' && !request.fingerprint) {
      throw new DaasError('INVALID_REQUEST', errorText('error.proxmox.fingerprintMissing'), errorText('fix.proxmox.pasteFingerprint'));
    }
    const validated = validateEndpoint({
      url: request.url,
      auth: request.authKind === 'token' ? { tokenId: request.principal, secret } : { username: request.principal, password: secret },
      tls: request.tls === 'pinned' ? { fingerprintSha256: request.fingerprint! } : request.tls === 'insecure' ? { insecure: true } : {},
    });
    return { request, policy, validated };
  }

  async save(request: RequestOf<'proxmox.endpoints.save'>): Promise<ProxmoxEndpointView> {
    const { request: effective, policy, validated } = await this.resolve(request);
    const saved = await this.repository.save({ ...validated, id: effective.id ?? `pve-${randomBytes(3).toString('hex')}`, name: effective.name });
    await this.endpoints.load();
    return toProxmoxView(saved, Boolean(policy));
  }

  async delete(endpointId: string): Promise<{ deleted: true }> {
    if (this.isManaged(endpointId)) {
      throw new DaasError('INVALID_REQUEST', errorText('error.endpoint.managed', { endpointId }), errorText('fix.askAdmin'));
    }
    const live = (await this.instances.list()).filter((i) => i.provider === 'proxmox' && i.endpointId === endpointId && isActive(i.state) && i.state !== 'failed');
    if (live.length) throw new DaasError('INVALID_TRANSITION', errorText('error.endpoint.instancesRunning', { count: live.length }), errorText('fix.endpoint.stopThemFirst'));
    const users = (await this.apps.list()).filter((a) => a.provider === 'proxmox' && a.proxmox.endpointId === endpointId);
    if (users.length) {
      throw new DaasError('INVALID_TRANSITION', errorText('error.proxmox.endpointInUse', { names: users.map((a) => a.name).join(', '), count: users.length }), errorText('fix.proxmox.changeApps'));
    }
    if (!(await this.repository.delete(endpointId))) {
      throw new DaasError('INVALID_REQUEST', errorText('error.proxmox.notFound', { endpointId }), errorText('fix.refreshSettings'));
    }
    await this.endpoints.load();
    return { deleted: true };
  }

  async test(endpointId: string): Promise<ProxmoxTestResult> {
    const stored = (await this.endpoints.configs()).find((e) => e.id === endpointId);
    if (!stored && this.isManaged(endpointId)) {
      throw new DaasError('INVALID_REQUEST', errorText('error.proxmox.managedNeedsSecret', { endpointId }), errorText('fix.proxmox.enterManagedSecret'));
    }
    if (!stored) throw new DaasError('INVALID_REQUEST', errorText('error.proxmox.notFound', { endpointId }), errorText('fix.refreshSettings'));
    return this.dial(stored);
  }

  /** "Test" before saving: the form's values, nothing stored. */
  async testDraft(request: RequestOf<'proxmox.endpoints.testDraft'>): Promise<ProxmoxTestResult> {
    const { request: effective, validated } = await this.resolve(request);
    return this.dial({ ...validated, id: effective.id ?? 'draft', name: effective.name });
  }

  private async dial(endpoint: StoredProxmoxEndpoint): Promise<ProxmoxTestResult> {
    const provider = this.endpoints.create(endpoint);
    try {
      const report = await provider.testConnection();
      return { version: report.version, summary: report.summary, summaryText: report.summaryText.map(({ key, params }) => ({ key, params })) };
    } finally {
      await provider.close();
    }
  }
}

function waitingView(entry: PolicyProxmoxEndpoint): ProxmoxEndpointView {
  return {
    managed: true,
    needsSecret: true,
    id: entry.id,
    name: entry.name,
    url: entry.url,
    authKind: 'token',
    principal: entry.tokenId ?? '',
    tls: entry.fingerprintSha256 ? 'pinned' : 'system',
    fingerprint: entry.fingerprintSha256 ?? null,
  };
}
