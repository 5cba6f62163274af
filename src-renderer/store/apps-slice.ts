// The catalogue: apps, the editor, import/export and starting instances.
import type { AppConfig } from '../../src-shared/app-config';
import type { ImportPreview } from '../../src-shared/contract';
import { DaasError, toErrorInfo, type ErrorInfo } from '../../src-shared/errors';
import type { App } from '../../src-shared/model';
import { t } from '../i18n/i18n';
import { without, type Outcome, type SliceContext } from './slice';
import { errorAction, errorMessage } from '../i18n/error-text';

export type EditorTarget = { kind: 'new' } | { kind: 'edit'; appId: string };
export type AppAction = 'duplicating' | 'deleting';

/** The largest catalogue file the main process accepts. */
export const MAX_CATALOGUE_BYTES = 5 * 1024 * 1024;

export interface PendingImport {
  fileName: string;
  json: string;
  preview: ImportPreview;
}

export interface AppsSlice {
  apps: App[];
  /** Apps whose start request is in flight. */
  startingApps: Record<string, true>;
  /** Why the latest start of an app failed, shown on its card until dismissed or started again. */
  startErrors: Record<string, ErrorInfo>;
  appActions: Record<string, AppAction>;
  /** The app being edited, or null when the editor is closed. */
  editor: EditorTarget | null;
  catalogueBusy: 'importing' | 'exporting' | null;
  /** A read catalogue file and what the main process says importing it would do; shown until confirmed or cancelled. */
  importPreview: PendingImport | null;

  startApp(appId: string): Promise<void>;
  dismissStartError(appId: string): void;
  openEditor(target: EditorTarget): void;
  closeEditor(): void;
  /** Creates (appId null) or updates an app; closes the editor when it worked. */
  saveApp(appId: string | null, input: AppConfig): Promise<Outcome>;
  duplicateApp(appId: string): Promise<void>;
  /** deleteHomeVolume: its home volume goes too (the main process refuses while anything uses it). */
  deleteApp(appId: string, options?: { deleteHomeVolume?: boolean }): Promise<void>;
  /** Asks what the file would change and shows it (importPreview); writes nothing. */
  importCatalogue(fileName: string, json: string): Promise<void>;
  /** Applies the shown preview; the main process checks the file again. */
  confirmImport(): Promise<void>;
  cancelImport(): void;
  exportCatalogue(): Promise<void>;
  /** The catalogue changed elsewhere (`apps.changed`). */
  applyApps(apps: App[]): void;
}

function upsertApp(list: readonly App[], app: App): App[] {
  const index = list.findIndex((a) => a.id === app.id);
  return index >= 0 ? list.with(index, app) : [...list, app];
}

export function createAppsSlice({ set, get, deps, fail, announce }: SliceContext): AppsSlice {
  const appName = (appId: string) => get().apps.find((a) => a.id === appId)?.name ?? appId;
  const failImport = (fileName: string, err: unknown) => {
    const info = toErrorInfo(err);
    fail(new DaasError(info.code, t('apps.importFailed', { fileName, message: errorMessage(info) }), errorAction(info)));
  };

  return {
    apps: [],
    startingApps: {},
    startErrors: {},
    appActions: {},
    editor: null,
    catalogueBusy: null,
    importPreview: null,

    async startApp(appId) {
      if (get().startingApps[appId]) return;
      set({ startingApps: { ...get().startingApps, [appId]: true }, startErrors: without(get().startErrors, appId) });
      try {
        get().applyInstance(await deps.call('instances.start', { appId }));
      } catch (err) {
        // On the card that was used, and in the toast that stays in view.
        set({ startErrors: { ...get().startErrors, [appId]: toErrorInfo(err) } });
        fail(err);
      } finally {
        set({ startingApps: without(get().startingApps, appId) });
      }
    },

    dismissStartError(appId) {
      set({ startErrors: without(get().startErrors, appId) });
    },

    openEditor(target) {
      set({ editor: target });
      // The endpoint pickers need the current lists.
      void get().loadDockerEndpoints();
      void get().loadProxmoxEndpoints();
    },

    closeEditor() {
      set({ editor: null });
    },

    async saveApp(appId, input) {
      try {
        const app =
          appId === null
            ? await deps.call('apps.create', { app: input })
            : await deps.call('apps.update', { appId, app: input });
        set({ apps: upsertApp(get().apps, app), editor: null });
        announce(appId === null ? t('apps.created', { name: app.name }) : t('apps.saved', { name: app.name }));
        void get().refreshImages();
        return { ok: true };
      } catch (err) {
        return { ok: false, error: toErrorInfo(err) };
      }
    },

    async duplicateApp(appId) {
      if (get().appActions[appId]) return;
      set({ appActions: { ...get().appActions, [appId]: 'duplicating' } });
      try {
        const copy = await deps.call('apps.duplicate', { appId });
        set({ apps: upsertApp(get().apps, copy) });
        announce(t('apps.duplicated', { name: appName(appId), copy: copy.name }));
        void get().refreshImages();
      } catch (err) {
        fail(err);
      } finally {
        set({ appActions: without(get().appActions, appId) });
      }
    },

    async deleteApp(appId, options = {}) {
      if (get().appActions[appId]) return;
      const name = appName(appId);
      set({ appActions: { ...get().appActions, [appId]: 'deleting' } });
      try {
        await deps.call('apps.delete', { appId, ...(options.deleteHomeVolume ? { deleteHomeVolume: true } : {}) });
        set({ apps: get().apps.filter((a) => a.id !== appId) });
        announce(t('apps.deleted', { name }));
      } catch (err) {
        fail(err);
      } finally {
        set({ appActions: without(get().appActions, appId) });
      }
    },

    async importCatalogue(fileName, json) {
      if (get().catalogueBusy) return;
      set({ catalogueBusy: 'importing' });
      try {
        const preview = await deps.call('catalogue.previewImport', { json });
        set({ importPreview: { fileName, json, preview }, error: null });
      } catch (err) {
        failImport(fileName, err);
      } finally {
        set({ catalogueBusy: null });
      }
    },

    async confirmImport() {
      const pending = get().importPreview;
      if (!pending || get().catalogueBusy) return;
      const { fileName, json, preview } = pending;
      set({ catalogueBusy: 'importing' });
      try {
        const { imported } = await deps.call('catalogue.import', { json, previewToken: preview.token });
        // apps.changed follows as well; this keeps the window right if it was missed.
        set({ apps: await deps.call('apps.list', {}), error: null });
        announce(t('apps.imported', { count: imported, fileName }));
        void get().refreshImages();
      } catch (err) {
        failImport(fileName, err);
      } finally {
        set({ catalogueBusy: null, importPreview: null });
      }
    },

    cancelImport() {
      set({ importPreview: null });
    },

    async exportCatalogue() {
      if (get().catalogueBusy) return;
      set({ catalogueBusy: 'exporting' });
      try {
        const { json, fileName } = await deps.call('catalogue.export', {});
        deps.download(fileName, json, 'application/json');
        announce(t('apps.exported', { fileName }));
      } catch (err) {
        fail(err);
      } finally {
        set({ catalogueBusy: null });
      }
    },

    applyApps(apps) {
      const hadVmApps = get().apps.some((app) => app.provider === 'proxmox');
      set({ apps });
      void get().refreshImages();
      if (!hadVmApps && apps.some((app) => app.provider === 'proxmox')) void get().loadProxmoxEndpoints();
    },
  };
}
