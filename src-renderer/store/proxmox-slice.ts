// Proxmox VE endpoints: the clusters VM apps run on. Listed for settings, the app
// editor and the cards (which name an app's endpoint).
import type { ProxmoxEndpointView, ProxmoxTestResult, RequestOf } from '../../src-shared/contract';
import { toErrorInfo, type ErrorInfo } from '../../src-shared/errors';
import { t } from '../i18n/i18n';
import { without, type LoadStatus, type Outcome, type SliceContext } from './slice';
import { errorMessage } from '../i18n/error-text';

export type ProxmoxTest =
  | { state: 'testing' }
  | { state: 'ok'; result: ProxmoxTestResult }
  | { state: 'failed'; error: ErrorInfo };

export interface ProxmoxSlice {
  proxmoxEndpoints: ProxmoxEndpointView[];
  proxmoxStatus: LoadStatus;
  proxmoxError: ErrorInfo | null;
  /** The latest "test connection" per endpoint id. */
  proxmoxTests: Record<string, ProxmoxTest>;

  loadProxmoxEndpoints(): Promise<void>;
  saveProxmoxEndpoint(request: RequestOf<'proxmox.endpoints.save'>): Promise<Outcome & { endpoint?: ProxmoxEndpointView }>;
  deleteProxmoxEndpoint(endpointId: string): Promise<Outcome>;
  testProxmoxEndpoint(endpointId: string): Promise<void>;
  /** "Test" in the form: the values as typed, nothing saved. */
  testProxmoxDraft(request: RequestOf<'proxmox.endpoints.testDraft'>): Promise<ProxmoxTest>;
}

export function createProxmoxSlice({ set, get, deps, announce }: SliceContext): ProxmoxSlice {
  let seq = 0;

  return {
    proxmoxEndpoints: [],
    proxmoxStatus: 'idle',
    proxmoxError: null,
    proxmoxTests: {},

    async loadProxmoxEndpoints() {
      const mine = ++seq;
      if (get().proxmoxStatus !== 'ready') set({ proxmoxStatus: 'loading' });
      try {
        const proxmoxEndpoints = await deps.call('proxmox.endpoints.list', {});
        if (mine === seq) set({ proxmoxEndpoints, proxmoxStatus: 'ready', proxmoxError: null });
      } catch (err) {
        if (mine === seq) set({ proxmoxStatus: 'failed', proxmoxError: toErrorInfo(err) });
      }
    },

    async saveProxmoxEndpoint(request) {
      try {
        const saved = await deps.call('proxmox.endpoints.save', request);
        const list = get().proxmoxEndpoints;
        const index = list.findIndex((e) => e.id === saved.id);
        set({
          proxmoxEndpoints: index >= 0 ? list.with(index, saved) : [...list, saved],
          // A test of the old settings says nothing about the new ones.
          proxmoxTests: without(get().proxmoxTests, saved.id),
        });
        announce(t('proxmox.savedAnnouncement', { name: saved.name }));
        void get().loadProxmoxEndpoints();
        return { ok: true, endpoint: saved };
      } catch (err) {
        return { ok: false, error: toErrorInfo(err) };
      }
    },

    async deleteProxmoxEndpoint(endpointId) {
      const name = get().proxmoxEndpoints.find((e) => e.id === endpointId)?.name ?? endpointId;
      try {
        await deps.call('proxmox.endpoints.delete', { endpointId });
        set({
          proxmoxEndpoints: get().proxmoxEndpoints.filter((e) => e.id !== endpointId),
          proxmoxTests: without(get().proxmoxTests, endpointId),
        });
        announce(t('proxmox.deletedAnnouncement', { name }));
        return { ok: true };
      } catch (err) {
        return { ok: false, error: toErrorInfo(err) };
      }
    },

    async testProxmoxDraft(request) {
      try {
        return { state: 'ok', result: await deps.call('proxmox.endpoints.testDraft', request) };
      } catch (err) {
        return { state: 'failed', error: toErrorInfo(err) };
      }
    },

    async testProxmoxEndpoint(endpointId) {
      if (get().proxmoxTests[endpointId]?.state === 'testing') return;
      const name = get().proxmoxEndpoints.find((e) => e.id === endpointId)?.name ?? endpointId;
      const put = (test: ProxmoxTest) => set({ proxmoxTests: { ...get().proxmoxTests, [endpointId]: test } });
      put({ state: 'testing' });
      try {
        const result = await deps.call('proxmox.endpoints.test', { endpointId });
        put({ state: 'ok', result });
        announce(t('proxmox.connectedAnnouncement', { name, version: result.version }));
      } catch (err) {
        const error = toErrorInfo(err);
        put({ state: 'failed', error });
        announce(`${name}: ${errorMessage(error)}`);
      }
    },
  };
}
