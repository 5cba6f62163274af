// Settings: Docker endpoints (`dockerEndpoints`) and the lifecycle settings a user may change
// (Proxmox endpoints have their own slice).
import type { DockerEndpointTestResult, DockerEndpointView, RequestOf, SettingsView } from '../../src-shared/contract';
import { toErrorInfo, type ErrorInfo } from '../../src-shared/errors';
import { t } from '../i18n/i18n';
import type { LoadStatus, Outcome, SliceContext } from './slice';

export type DockerEndpointTest =
  | { state: 'testing' }
  | { state: 'ok'; result: DockerEndpointTestResult }
  | { state: 'failed'; error: ErrorInfo };

export interface SettingsSlice {
  settingsOpen: boolean;
  dockerEndpoints: DockerEndpointView[];
  dockerEndpointsStatus: LoadStatus;
  dockerEndpointsError: ErrorInfo | null;
  /** The latest "test connection" per endpoint id. */
  dockerEndpointTests: Record<string, DockerEndpointTest>;
  settings: SettingsView | null;
  settingsStatus: LoadStatus;
  settingsError: ErrorInfo | null;

  openSettings(): void;
  closeSettings(): void;
  loadDockerEndpoints(): Promise<void>;
  loadSettings(): Promise<void>;
  saveDockerEndpoint(request: RequestOf<'docker.endpoints.save'>): Promise<Outcome>;
  deleteDockerEndpoint(endpointId: string): Promise<Outcome>;
  testDockerEndpoint(endpointId: string): Promise<void>;
  /** "Test" in the form: the values as typed, nothing saved. */
  testDockerDraft(request: RequestOf<'docker.endpoints.testDraft'>): Promise<DockerEndpointTest>;
  /** Pins the ssh host key the last test showed (by its fingerprint), then tests again. */
  trustDockerHostKey(endpointId: string, fingerprint: string): Promise<Outcome>;
  updateSettings(change: RequestOf<'settings.update'>): Promise<Outcome>;
}

export function createSettingsSlice({ set, get, deps, announce }: SliceContext): SettingsSlice {
  let dockerEndpointsSeq = 0;
  let settingsSeq = 0;

  return {
    settingsOpen: false,
    dockerEndpoints: [],
    dockerEndpointsStatus: 'idle',
    dockerEndpointsError: null,
    dockerEndpointTests: {},
    settings: null,
    settingsStatus: 'idle',
    settingsError: null,

    openSettings() {
      set({ settingsOpen: true, dockerEndpointTests: {}, proxmoxTests: {} });
      void get().loadDockerEndpoints();
      void get().loadProxmoxEndpoints();
      void get().loadSettings();
    },

    closeSettings() {
      set({ settingsOpen: false });
    },

    async loadDockerEndpoints() {
      const mine = ++dockerEndpointsSeq;
      if (get().dockerEndpointsStatus !== 'ready') set({ dockerEndpointsStatus: 'loading' });
      try {
        const dockerEndpoints = await deps.call('docker.endpoints.list', {});
        if (mine === dockerEndpointsSeq) set({ dockerEndpoints, dockerEndpointsStatus: 'ready', dockerEndpointsError: null });
      } catch (err) {
        if (mine === dockerEndpointsSeq) set({ dockerEndpointsStatus: 'failed', dockerEndpointsError: toErrorInfo(err) });
      }
    },

    async loadSettings() {
      const mine = ++settingsSeq;
      set({ settingsStatus: 'loading' });
      try {
        const settings = await deps.call('settings.get', {});
        if (mine === settingsSeq) set({ settings, settingsStatus: 'ready', settingsError: null });
      } catch (err) {
        if (mine === settingsSeq) set({ settingsStatus: 'failed', settingsError: toErrorInfo(err) });
      }
    },

    async saveDockerEndpoint(request) {
      try {
        const saved = await deps.call('docker.endpoints.save', request);
        const list = get().dockerEndpoints;
        const index = list.findIndex((e) => e.id === saved.id);
        set({ dockerEndpoints: index >= 0 ? list.with(index, saved) : [...list, saved] });
        announce(t('endpoints.savedAnnouncement', { name: saved.name }));
        void get().loadDockerEndpoints();
        return { ok: true };
      } catch (err) {
        return { ok: false, error: toErrorInfo(err) };
      }
    },

    async deleteDockerEndpoint(endpointId) {
      const name = get().dockerEndpoints.find((e) => e.id === endpointId)?.name ?? endpointId;
      try {
        await deps.call('docker.endpoints.delete', { endpointId });
        set({ dockerEndpoints: get().dockerEndpoints.filter((e) => e.id !== endpointId) });
        announce(t('endpoints.deletedAnnouncement', { name }));
        return { ok: true };
      } catch (err) {
        return { ok: false, error: toErrorInfo(err) };
      }
    },

    async testDockerEndpoint(endpointId) {
      if (get().dockerEndpointTests[endpointId]?.state === 'testing') return;
      const put = (test: DockerEndpointTest) => set({ dockerEndpointTests: { ...get().dockerEndpointTests, [endpointId]: test } });
      put({ state: 'testing' });
      try {
        put({ state: 'ok', result: await deps.call('docker.endpoints.test', { endpointId }) });
      } catch (err) {
        put({ state: 'failed', error: toErrorInfo(err) });
      }
    },

    async testDockerDraft(request) {
      try {
        return { state: 'ok', result: await deps.call('docker.endpoints.testDraft', request) };
      } catch (err) {
        return { state: 'failed', error: toErrorInfo(err) };
      }
    },

    async trustDockerHostKey(endpointId, fingerprint) {
      try {
        const trusted = await deps.call('docker.endpoints.trustHostKey', { endpointId, fingerprint });
        const list = get().dockerEndpoints;
        const index = list.findIndex((e) => e.id === trusted.id);
        if (index >= 0) set({ dockerEndpoints: list.with(index, trusted) });
        await get().testDockerEndpoint(endpointId);
        return { ok: true };
      } catch (err) {
        return { ok: false, error: toErrorInfo(err) };
      }
    },

    async updateSettings(change) {
      try {
        const settings = await deps.call('settings.update', change);
        set({ settings });
        announce(t('settings.savedAnnouncement'));
        return { ok: true };
      } catch (err) {
        return { ok: false, error: toErrorInfo(err) };
      }
    },
  };
}
