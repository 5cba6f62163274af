// The catalogue window's state: apps, live instances, images, settings, in-flight
// actions and errors. Each part lives in its own slice; this file joins them and
// routes pushed events.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { parseEvent, type DaasEvent } from '../../src-shared/contract';
import { toErrorInfo, type ErrorInfo } from '../../src-shared/errors';
import { createAppsSlice, type AppsSlice } from './apps-slice';
import { createImagesSlice, type ImagesSlice } from './images-slice';
import { mergeLoaded } from './instance-list';
import { createInstancesSlice, type InstancesSlice } from './instances-slice';
import { createProxmoxSlice, type ProxmoxSlice } from './proxmox-slice';
import { createSettingsSlice, type SettingsSlice } from './settings-slice';
import type { CatalogueDeps, LoadStatus, SliceContext } from './slice';

export type { CatalogueDeps, LoadStatus } from './slice';
export type { EditorTarget } from './apps-slice';
export type { InstanceAction } from './instances-slice';

interface PageSlice {
  loadStatus: LoadStatus;
  loadError: ErrorInfo | null;
  /** The latest failed action, shown in the dismissible banner. */
  error: ErrorInfo | null;
  /** Polite screen-reader announcement of the latest change. */
  announcement: string;

  load(): Promise<void>;
  handleEvent(event: DaasEvent): void;
  showError(error: ErrorInfo): void;
  dismissError(): void;
}

export type CatalogueState = PageSlice & AppsSlice & InstancesSlice & ImagesSlice & SettingsSlice & ProxmoxSlice;

export function defaultOpenWindow(url: string): Window | null {
  return window.open(url, '_blank', 'popup,width=1280,height=800');
}

/** Hands text to the browser (or Electron) as a file download. */
export function defaultDownload(fileName: string, text: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function createCatalogueStore(deps: CatalogueDeps): StoreApi<CatalogueState> {
  let loadSeq = 0;

  return createStore<CatalogueState>()((set, get) => {
    const ctx: SliceContext = {
      set,
      get,
      deps,
      fail: (err) => set({ error: toErrorInfo(err) }),
      announce: (message) => set({ announcement: message }),
    };

    return {
      ...createAppsSlice(ctx),
      ...createInstancesSlice(ctx),
      ...createImagesSlice(ctx),
      ...createSettingsSlice(ctx),
      ...createProxmoxSlice(ctx),

      loadStatus: 'idle',
      loadError: null,
      error: null,
      announcement: '',

      async load() {
        const seq = ++loadSeq;
        set({ loadStatus: 'loading' });
        // Language, theme and what the administrator allows come with the settings.
        void get().loadSettings();
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
          void get().refreshImages();
          // VM app cards name their endpoint.
          if (apps.some((app) => app.provider === 'proxmox')) void get().loadProxmoxEndpoints();
        } catch (err) {
          if (seq !== loadSeq) return;
          set({ loadStatus: 'failed', loadError: toErrorInfo(err) });
        }
      },

      handleEvent(received) {
        const event = parseEvent(received.event, received.payload);
        if (!event) return console.warn(`DaaS Desktop: ignored a malformed ${received.event} event.`);
        switch (event.event) {
          case 'instance.changed':
            get().applyInstance(event.payload);
            break;
          case 'instances.removed':
            get().applyRemoved(event.payload.instanceIds);
            break;
          case 'apps.changed':
            get().applyApps(event.payload);
            break;
          case 'image.progress':
            get().applyImageProgress(event.payload);
            break;
          case 'instance.progress':
            get().applyInstanceProgress(event.payload);
            break;
          case 'settings.changed':
            // Another window (or this one) saved: theme and language follow at once (main.tsx).
            set({ settings: event.payload, settingsStatus: 'ready', settingsError: null });
            break;
          case 'endpoints.changed':
            void (event.payload.kind === 'docker' ? get().loadDockerEndpoints() : get().loadProxmoxEndpoints());
            break;
        }
      },

      showError(error) {
        set({ error });
      },

      dismissError() {
        set({ error: null });
      },
    };
  });
}
