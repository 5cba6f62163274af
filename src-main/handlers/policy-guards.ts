// The administrator's editing locks, in one table: which request needs which setting of the
// settings table (src-shared/settings.ts) switched on. Checked after validation, before the
// handler runs.
import type { Channel, RequestOf } from '../../src-shared/contract';
import { DaasError } from '../../src-shared/errors';
import { errorText, type ErrorText } from '../../src-shared/error-texts';
import type { UserSettings } from '../config/user-settings';
import type { AppsRepository } from '../store/apps-repository';

type EditingSetting = 'allowCatalogueEditing' | 'allowEndpointEditing';

interface Guard<C extends Channel> {
  setting: EditingSetting;
  /** The app the request changes: a policy-managed one is refused even with editing on. */
  app?: (payload: RequestOf<C>) => string;
  /** True where the request needs no lock (a user's own secret for a policy endpoint). */
  exempt?: (payload: RequestOf<C>) => boolean;
}

type GuardTable = { [C in Channel]?: Guard<C> };

const REFUSAL: Record<EditingSetting, () => ErrorText> = {
  allowCatalogueEditing: () => errorText('error.policy.catalogueManaged'),
  allowEndpointEditing: () => errorText('error.policy.endpointsManaged'),
};

export interface PolicyGuardDeps {
  userSettings: UserSettings;
  apps: AppsRepository;
  /** Whether the policy manages this Proxmox endpoint. */
  isManagedProxmoxEndpoint(id: string | undefined): boolean;
}

export class PolicyGuards {
  private readonly table: GuardTable;

  constructor(private readonly deps: PolicyGuardDeps) {
    const catalogue = { setting: 'allowCatalogueEditing' } as const;
    const endpoints = { setting: 'allowEndpointEditing' } as const;
    this.table = {
      'apps.create': catalogue,
      'apps.update': { ...catalogue, app: ({ appId }) => appId },
      'apps.duplicate': catalogue,
      'apps.delete': { ...catalogue, app: ({ appId }) => appId },
      'catalogue.previewImport': catalogue,
      'catalogue.import': catalogue,
      'instances.saveAsApp': catalogue,
      'docker.endpoints.save': endpoints,
      // Testing typed values dials wherever they point: only where they could be saved.
      'docker.endpoints.testDraft': endpoints,
      'docker.endpoints.delete': endpoints,
      'docker.endpoints.trustHostKey': endpoints,
      // A policy endpoint's secret is each user's to enter, even where editing is off.
      'proxmox.endpoints.save': { ...endpoints, exempt: (request) => deps.isManagedProxmoxEndpoint(request.id) },
      'proxmox.endpoints.testDraft': { ...endpoints, exempt: (request) => deps.isManagedProxmoxEndpoint(request.id) },
      'proxmox.endpoints.delete': endpoints,
    };
  }

  /** Throws the administrator's refusal when the request is locked. */
  async check<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<void> {
    const guard = this.table[channel] as Guard<C> | undefined;
    if (!guard || guard.exempt?.(payload)) return;
    if (!(await this.deps.userSettings.get())[guard.setting]) {
      throw new DaasError('INVALID_REQUEST', REFUSAL[guard.setting](), errorText('fix.askAdmin'));
    }
    const appId = guard.app?.(payload);
    if (appId && (await this.deps.apps.get(appId))?.managed) {
      throw new DaasError('INVALID_REQUEST', errorText('error.app.managed'), errorText('fix.app.duplicate'));
    }
  }
}
