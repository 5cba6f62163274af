// Settings: Docker endpoints and the lifecycle settings a user may change (Proxmox
// endpoints have their own slice).
import type { EndpointTestResult, EndpointView, RequestOf, SettingsView } from '../../src-shared/contract';
import { toErrorInfo, type ErrorInfo } from '../../src-shared/errors';
import { t } from '../i18n/i18n';
import type { LoadStatus, Outcome, SliceContext } from './slice';

export type EndpointTest =
  | { state: 'testing' }
  | { state: 'ok'; result: EndpointTestResult }
  | { state: 'failed'; error: ErrorInfo };

export interface SettingsSlice {
  settingsOpen: boolean;
  endpoints: EndpointView[];
  endpointsStatus: LoadStatus;
  endpointsError: ErrorInfo | null;
  /** The latest "test connection" per endpoint id. */
  endpointTests: Record<string, EndpointTest>;
  settings: SettingsView | null;
  settingsStatus: LoadStatus;
  settingsError: ErrorInfo | null;

  openSettings(): void;
  closeSettings(): void;
  loadEndpoints(): Promise<void>;
  loadSettings(): Promise<void>;
  saveEndpoint(request: RequestOf<'endpoints.save'>): Promise<Outcome>;
  deleteEndpoint(endpointId: string): Promise<Outcome>;
  testEndpoint(endpointId: string): Promise<void>;
  /** Pins the ssh host key the last test showed (by its fingerprint), then tests again. */
  trustHostKey(endpointId: string, fingerprint: string): Promise<Outcome>;
  updateSettings(change: RequestOf<'settings.update'>): Promise<Outcome>;
}

export function createSettingsSlice({ set, get, deps, announce }: SliceContext): SettingsSlice {
  let endpointsSeq = 0;
  let settingsSeq = 0;

  return {
    settingsOpen: false,
    endpoints: [],
    endpointsStatus: 'idle',
    endpointsError: null,
    endpointTests: {},
    settings: null,
    settingsStatus: 'idle',
    settingsError: null,

    openSettings() {
      set({ settingsOpen: true, endpointTests: {}, proxmoxTests: {} });
      void get().loadEndpoints();
      void get().loadProxmoxEndpoints();
      void get().loadSettings();
    },

    closeSettings() {
      set({ settingsOpen: false });
    },

    async loadEndpoints() {
      const mine = ++endpointsSeq;
      if (get().endpointsStatus !== 'ready') set({ endpointsStatus: 'loading' });
      try {
        const endpoints = await deps.call('endpoints.list', {});
        if (mine === endpointsSeq) set({ endpoints, endpointsStatus: 'ready', endpointsError: null });
      } catch (err) {
        if (mine === endpointsSeq) set({ endpointsStatus: 'failed', endpointsError: toErrorInfo(err) });
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

    async saveEndpoint(request) {
      try {
        const saved = await deps.call('endpoints.save', request);
        const list = get().endpoints;
        const index = list.findIndex((e) => e.id === saved.id);
        set({ endpoints: index >= 0 ? list.with(index, saved) : [...list, saved] });
        announce(t('endpoints.savedAnnouncement', { name: saved.name }));
        void get().loadEndpoints();
        return { ok: true };
      } catch (err) {
        return { ok: false, error: toErrorInfo(err) };
      }
    },

    async deleteEndpoint(endpointId) {
      const name = get().endpoints.find((e) => e.id === endpointId)?.name ?? endpointId;
      try {
        await deps.call('endpoints.delete', { endpointId });
        set({ endpoints: get().endpoints.filter((e) => e.id !== endpointId) });
        announce(t('endpoints.deletedAnnouncement', { name }));
        return { ok: true };
      } catch (err) {
        return { ok: false, error: toErrorInfo(err) };
      }
    },

    async testEndpoint(endpointId) {
      if (get().endpointTests[endpointId]?.state === 'testing') return;
      const put = (test: EndpointTest) => set({ endpointTests: { ...get().endpointTests, [endpointId]: test } });
      put({ state: 'testing' });
      try {
        put({ state: 'ok', result: await deps.call('endpoints.test', { endpointId }) });
      } catch (err) {
        put({ state: 'failed', error: toErrorInfo(err) });
      }
    },

    async trustHostKey(endpointId, fingerprint) {
      try {
        const trusted = await deps.call('endpoints.trustHostKey', { endpointId, fingerprint });
        const list = get().endpoints;
        const index = list.findIndex((e) => e.id === trusted.id);
        if (index >= 0) set({ endpoints: list.with(index, trusted) });
        await get().testEndpoint(endpointId);
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
