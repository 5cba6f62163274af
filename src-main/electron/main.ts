// Electron entry: wires the core to windows, tray, menu, notifications and deep links.
// Thin on purpose: each rule lives in an Electron-free module tested under Node.
import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, safeStorage, session, shell, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { createSecretStore } from './safe-storage-secret-store';
import { IPC_EVENT, IPC_REQUEST, type Channel, type RequestOf, type Result } from '../../src-shared/contract';
import { errorText } from '../../src-shared/error-texts';
import { DaasError } from '../../src-shared/errors';
import type { Instance } from '../../src-shared/model';
import { resourcesDir, rendererDir } from '../config/paths';
import { KeyFileSecretStore } from '../store/secret-store';
import { loadSettings } from '../config/settings';
import type { SettingsState } from '../config/user-settings';
import { Core, type HostActions } from '../core';
import type { ClientLink } from '../handlers/handler-types';
import { installProcessGuard } from '../process-guard';
import { appMenuTemplate } from './app-menu';
import { quitPlan, shouldAskOnViewerClose, viewerCloseChoice, viewerCloseQuestion } from './close-behaviour';
import { DEEP_LINK_SCHEME, deepLinkFromArgv, parseDeepLink, type DeepLink } from './deep-link';
import { isDownloadAllowed } from './downloads';
import { isAllowedNavigation, windowOpenDecision } from './navigation';
import { notificationFor, refusedStartNotification, type NotificationContent } from './notification-policy';
import { openExternal } from './open-external';
import { permissionHandlers } from './permission-handlers';
import { resolveShellLocale, shellTranslator, type ShellTranslator } from './shell-texts';
import { AppTray } from './tray';
import { followInstances } from './tray-model';
import { isTrustedIpcSender } from './trusted-sender';
import { WindowRegistry } from './window-registry';
import { WindowStateStore } from './window-state';
import { createCatalogueWindow, createViewerWindow, handleOf, type WindowFactoryOptions } from './windows';

const RENDERER_DIR = rendererDir();
const PRELOAD = path.join(__dirname, 'preload.js');

function trayIcon(): string | undefined {
  const name = process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png';
  const root = resourcesDir();
  return [path.join(root, 'tray', name), path.join(root, 'build', 'tray', name)].find((file) => fs.existsSync(file));
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) return app.quit();
  // Without it Electron shows an error dialog for an uncaught exception and may go down with every window.
  installProcessGuard();
  app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);

  // Links arriving before the core is ready wait here.
  const pendingLinks: string[] = [];
  let handleLink: (url: string) => void = (url) => void pendingLinks.push(url);
  app.on('open-url', (event, url) => {
    event.preventDefault();
    handleLink(url);
  });
  const firstLink = deepLinkFromArgv(process.argv);
  if (firstLink) pendingLinks.push(firstLink);

  await app.whenReady();
  // Packaged, the policy beats every DAAS_* variable (they are for development and tests).
  const settings = loadSettings(app.getPath('userData'), process.env, { packaged: app.isPackaged });
  for (const problem of settings.problems) console.warn(`policy: ${problem}`);
  if (settings.ignoredEnv?.length) console.warn(`packaged: ignored ${settings.ignoredEnv.join(', ')} (development only)`);
  // Credentials are sealed with the OS keychain where the system offers one, else with a key file.
  const core = await Core.open(settings, { secrets: createSecretStore(safeStorage, process.platform, await KeyFileSecretStore.open(settings.dataDir)) });
  let current: SettingsState = await core.userSettings.get();
  // The shell speaks the windows' language: the setting, else the system's preferred languages.
  const systemLanguages = () => {
    const preferred = app.getPreferredSystemLanguages();
    return preferred.length ? preferred : [app.getLocale()];
  };
  let texts: ShellTranslator = shellTranslator(resolveShellLocale(current.language, systemLanguages()));

  const windowState = new WindowStateStore(app.getPath('userData'));
  await windowState.load();
  const factory: WindowFactoryOptions = { rendererDir: RENDERER_DIR, preload: PRELOAD, windowState };
  const instances = new Map<string, Instance>();
  let quitting = false;

  const request = <C extends Channel>(channel: C, payload: RequestOf<C>): Promise<Result<unknown>> => core.handle(channel, payload, hostActions);
  const hostActions: HostActions = {
    openViewer: async (instanceId) => {
      windows.openViewer(instanceId);
      return { kind: 'opened' };
    },
  };

  const windows: WindowRegistry = new WindowRegistry(
    () => handleOf(createCatalogueWindow(factory)),
    (instanceId) => {
      const instance = instances.get(instanceId);
      const window = createViewerWindow(factory, instanceId, { appId: instance?.appId ?? 'unknown', title: instance?.name ?? 'DaaS Desktop' });
      window.on('close', (event) => {
        const state = instances.get(instanceId)?.state;
        if (!shouldAskOnViewerClose(current, state, quitting)) return;
        event.preventDefault();
        const question = viewerCloseQuestion(instance?.name, texts);
        void dialog.showMessageBox(window, { type: 'question', ...question, buttons: [...question.buttons] }).then(async ({ response, checkboxChecked }) => {
          const choice = viewerCloseChoice(response);
          if (choice === 'cancel') return;
          if (checkboxChecked && !current.managed.includes('viewerCloseBehaviour')) {
            await request('settings.update', { viewerCloseBehaviour: 'leave-running' });
          }
          if (choice === 'stop') await request('instances.stop', { instanceId });
          if (!window.isDestroyed()) window.destroy();
        });
      });
      return handleOf(window);
    },
  );

  lockDown(windows, () => current, (instanceId) => appAllowsMicrophone(core, instanceId));

  const notify = (note: NotificationContent | null) => {
    if (!note || !Notification.isSupported()) return;
    const notification = new Notification({ title: note.title, body: note.body });
    notification.on('click', () => {
      if (note.onClick.action === 'open-viewer') void request('viewer.open', { instanceId: note.onClick.instanceId });
      else windows.showCatalogue();
    });
    notification.show();
  };

  // A window as the sender of requests: its own events (a terminal's output), and its end
  // (closed, crashed or navigated to a new page), which ends its terminals.
  const clientOf = (sender: WebContents): ClientLink => ({
    id: `wc-${sender.id}`,
    send: (daasEvent) => {
      if (!sender.isDestroyed()) sender.send(IPC_EVENT, daasEvent);
    },
    onClose: (listener) => {
      let done = false;
      const once = () => {
        if (done) return;
        done = true;
        listener();
      };
      sender.once('destroyed', once);
      sender.once('render-process-gone', once);
      sender.once('did-navigate', once);
    },
  });

  ipcMain.handle(IPC_REQUEST, async (event: IpcMainInvokeEvent, channel: unknown, payload: unknown) => {
    const frame = event.senderFrame;
    const sender = { frameUrl: frame?.url, isMainFrame: Boolean(frame) && frame?.parent === null, windowKind: windows.kindOf(event.sender.id) };
    if (!isTrustedIpcSender(sender, RENDERER_DIR)) {
      return { ok: false, error: new DaasError('INVALID_REQUEST', errorText('error.request.untrusted'), errorText('fix.none')).toInfo() };
    }
    const result = await core.handle(channel, payload, { ...hostActions, client: clientOf(event.sender) });
    notify(refusedStartNotification(channel, result, windows.focused(), current.notifications, texts));
    return result;
  });

  const icon = trayIcon();
  const tray = icon
    ? new AppTray(icon, {
        open: (instanceId) => void request('viewer.open', { instanceId }),
        stop: (instanceId) => void request('instances.stop', { instanceId }),
        command: (command) => {
          if (command === 'show-catalogue') windows.showCatalogue();
          else if (command === 'stop-all') void request('instances.stopAll', {});
          else app.quit();
        },
      })
    : undefined;
  const refreshTray = () => tray?.update([...instances.values()], texts);
  const refreshMenu = () =>
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        appMenuTemplate(
          { showCatalogue: () => windows.showCatalogue(), stopAll: () => void request('instances.stopAll', {}) },
          { platform: process.platform, development: !app.isPackaged, texts },
        ),
      ),
    );

  const listed = await request('instances.list', {});
  if (listed.ok) for (const instance of listed.result as Instance[]) instances.set(instance.id, instance);
  refreshTray();

  core.subscribe((event) => {
    windows.broadcast(IPC_EVENT, event);
    if (event.event === 'settings.changed') {
      current = event.payload;
      const locale = resolveShellLocale(current.language, systemLanguages());
      if (locale !== texts.locale) {
        texts = shellTranslator(locale);
        refreshMenu();
        refreshTray();
      }
      return;
    }
    const previous = event.event === 'instance.changed' ? instances.get(event.payload.id)?.state : undefined;
    if (followInstances(instances, event)) refreshTray();
    if (event.event !== 'instance.changed') return;
    notify(notificationFor(previous, event.payload, windows.focused(), current.notifications, texts));
  });

  refreshMenu();

  handleLink = (url) => {
    const parsed = parseDeepLink(url);
    if (!parsed.ok) return console.warn(`ignored a ${DEEP_LINK_SCHEME}:// link: ${parsed.reason}`);
    windows.showCatalogue();
    void followLink(parsed.link);
  };
  async function followLink(link: DeepLink): Promise<void> {
    let result: Result<unknown>;
    if (link.action === 'open') {
      result = await request('viewer.open', { instanceId: link.instanceId });
    } else {
      // A link can come from any web page: starting something needs the user's yes.
      const apps = await request('apps.list', {});
      const target = apps.ok ? (apps.result as { id: string; name: string }[]).find((a) => a.id === link.appId) : undefined;
      if (!target) {
        return void dialog.showMessageBox({ type: 'warning', message: texts.t('link.unknownApp'), detail: link.appId });
      }
      const { response } = await dialog.showMessageBox({
        type: 'question',
        message: texts.t('link.startQuestion', { name: target.name }),
        detail: texts.t('link.startDetail'),
        buttons: [texts.t('link.start'), texts.t('link.cancel')],
        defaultId: 0,
        cancelId: 1,
      });
      if (response !== 0) return;
      result = await request('instances.start', { appId: link.appId });
    }
    if (!result.ok) {
      const { message, action } = texts.error(result.error);
      void dialog.showMessageBox({ type: 'warning', message, detail: action });
    }
  }
  for (const url of pendingLinks.splice(0)) handleLink(url);

  windows.showCatalogue();
  app.on('second-instance', (_event, argv) => {
    const link = deepLinkFromArgv(argv);
    if (link) handleLink(link);
    else windows.showCatalogue();
  });
  app.on('activate', () => windows.showCatalogue());
  app.on('window-all-closed', () => {
    // With a tray, running instances stay reachable; otherwise the app has nothing to show.
    const active = [...instances.values()].some((i) => i.state !== 'stopped');
    if (process.platform !== 'darwin' && !(tray && active)) app.quit();
  });
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    void (async () => {
      if (quitPlan(current) === 'stop-all') await request('instances.stopAll', {});
      await windowState.flush();
      tray?.destroy();
      await core.close();
    })().finally(() => app.quit());
  });
}

/** Whether the app of an instance allows its viewer the microphone (the app's display option). */
async function appAllowsMicrophone(core: Core, instanceId: string): Promise<boolean> {
  const instance = await core.instances.get(instanceId);
  const app = instance && (await core.apps.get(instance.appId));
  return app?.display.microphone === true;
}

/** No page may navigate away, open windows, attach webviews, download or get permissions beyond its kind. */
function lockDown(windows: WindowRegistry, settings: () => SettingsState, allowsMicrophone: (instanceId: string) => Promise<boolean>): void {
  app.on('web-contents-created', (_event, contents) => {
    const guard = (event: { preventDefault(): void }, url: string) => {
      if (!isAllowedNavigation(url, RENDERER_DIR)) event.preventDefault();
    };
    contents.on('will-navigate', guard);
    contents.on('will-redirect', guard);
    contents.setWindowOpenHandler(({ url }) => {
      const decision = windowOpenDecision(url);
      if (decision.action === 'external') void openExternal(decision.url, (u) => shell.openExternal(u));
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  const ses = session.defaultSession;
  const permissions = permissionHandlers({
    rendererDir: RENDERER_DIR,
    kindOf: (id) => windows.kindOf(id),
    instanceOf: (id) => windows.instanceOf(id),
    policy: settings,
    allowsMicrophone,
  });
  ses.setPermissionRequestHandler((contents, permission, callback, details) =>
    permissions.request(contents?.id, permission, callback, { requestingUrl: details.requestingUrl, mediaTypes: 'mediaTypes' in details ? details.mediaTypes : undefined }),
  );
  ses.setPermissionCheckHandler((contents, permission, _origin, details) => permissions.check(contents?.id, permission, details.requestingUrl ?? contents?.getURL()));
  ses.on('will-download', (event, item, contents) => {
    if (!isDownloadAllowed({ windowKind: windows.kindOf(contents.id), url: item.getURL(), fileName: item.getFilename() })) event.preventDefault();
  });
}

main().catch((err) => {
  console.error('DaaS Desktop could not start', err);
  for (const window of BrowserWindow.getAllWindows()) window.destroy();
  app.exit(1);
});
