// The catalogue window's state: apps, live instances, in-flight actions and errors.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DaasEvent, ViewerOpened } from '../../src-shared/contract';
import type { App, Instance } from '../../src-shared/model';
import { toErrorInfo, type ErrorInfo } from '../../src-shared/errors';
import type { call as callFn } from '../api/call';
import { mergeLoaded, upsertInstance } from './instance-list';
import { STATE_LABELS } from './state-words';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'failed';
export type InstanceAction = 'stopping' | 'opening';

export interface CatalogueState {
  apps: App[];
  instances: Instance[];
  loadStatus: LoadStatus;
  loadError: ErrorInfo | null;
  /** The latest failed action, shown in the dismissible banner. */
  error: ErrorInfo | null;
  /** Apps whose start request is in flight. */
  startingApps: Record<string, true>;
  /** Instances with a stop or open request in flight. */
  instanceActions: Record<string, InstanceAction>;
  /** Polite screen-reader announcement of the latest state change. */
  announcement: string;

  load(): Promise<void>;
  startApp(appId: string): Promise<void>;
  stopInstance(instanceId: string): Promise<void>;
  openInstance(instanceId: string): Promise<void>;
  handleEvent(event: DaasEvent): void;
  dismissError(): void;
}

export interface CatalogueDeps {
  call: typeof callFn;
  /** Opens a viewer URL in a new window (browser mode); returns null when blocked. */
  openWindow: (url: string) => Window | null;
}

const POPUP_BLOCKED: ErrorInfo = {
  code: 'INTERNAL',
  message: 'Your browser blocked the desktop window.',
  action: 'Allow pop-up windows for this page, then click Open again.',
};

export function defaultOpenWindow(url: string): Window | null {
  return window.open(url, '_blank', 'popup,width=1280,height=800');
}

function announce(previous: Instance | undefined, next: Instance): string | null {
  if (previous && previous.state === next.state) return null;
  const reason = next.stateReason ? ` ${next.stateReason}` : '';
  return `${next.name}: ${STATE_LABELS[next.state]}.${reason}`;
}

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _removed, ...rest } = record;
  return rest;
}

export function createCatalogueStore(deps: CatalogueDeps): StoreApi<CatalogueState> {
  let loadSeq = 0;
  // Browser mode: one viewer window per instance, focused again instead of duplicated.
  const viewerWindows = new Map<string, Window>();

  return createStore<CatalogueState>()((set, get) => {
    const applyInstance = (instance: Instance) => {
      const previous = get().instances.find((i) => i.id === instance.id);
      const instances = upsertInstance(get().instances, instance);
      if (instances === get().instances) return;
      const message = announce(previous, instance);
      set(message ? { instances, announcement: message } : { instances });
    };

    const fail = (err: unknown) => set({ error: toErrorInfo(err) });

    return {
      apps: [],
      instances: [],
      loadStatus: 'idle',
      loadError: null,
      error: null,
      startingApps: {},
      instanceActions: {},
      announcement: '',

      async load() {
        const seq = ++loadSeq;
        set({ loadStatus: 'loading' });
        try {
          const [apps, instances] = await Promise.all([
            deps.call('apps.list', {}),
            deps.call('instances.list', {}),
          ]);
          if (seq !== loadSeq) return;
          set({
            apps,
            instances: mergeLoaded(get().instances, instances),
            loadStatus: 'ready',
            loadError: null,
          });
        } catch (err) {
          if (seq !== loadSeq) return;
          set({ loadStatus: 'failed', loadError: toErrorInfo(err) });
        }
      },

      async startApp(appId) {
        if (get().startingApps[appId]) return;
        set({ startingApps: { ...get().startingApps, [appId]: true } });
        try {
          applyInstance(await deps.call('instances.start', { appId }));
        } catch (err) {
          fail(err);
        } finally {
          set({ startingApps: without(get().startingApps, appId) });
        }
      },

      async stopInstance(instanceId) {
        if (get().instanceActions[instanceId]) return;
        set({ instanceActions: { ...get().instanceActions, [instanceId]: 'stopping' } });
        try {
          applyInstance(await deps.call('instances.stop', { instanceId }));
        } catch (err) {
          fail(err);
        } finally {
          set({ instanceActions: without(get().instanceActions, instanceId) });
        }
      },

      async openInstance(instanceId) {
        if (get().instanceActions[instanceId]) return;
        set({ instanceActions: { ...get().instanceActions, [instanceId]: 'opening' } });
        try {
          const opened: ViewerOpened = await deps.call('viewer.open', { instanceId });
          if (opened.kind === 'navigate') {
            const existing = viewerWindows.get(instanceId);
            if (existing && !existing.closed) {
              existing.focus();
            } else {
              const win = deps.openWindow(opened.url);
              if (win) viewerWindows.set(instanceId, win);
              else set({ error: POPUP_BLOCKED });
            }
          }
          // kind 'opened': the Electron shell opened (or focused) a native window itself.
        } catch (err) {
          fail(err);
        } finally {
          set({ instanceActions: without(get().instanceActions, instanceId) });
        }
      },

      handleEvent(event) {
        if (event.event === 'instance.changed') applyInstance(event.payload);
      },

      dismissError() {
        set({ error: null });
      },
    };
  });
}
