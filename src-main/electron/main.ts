// Electron entry: the catalogue window, one viewer window per instance, and the IPC
// transport of the contract. Thin on purpose: the logic lives in the core and in
// Electron-free modules tested under Node.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, session, type IpcMainInvokeEvent } from 'electron';
import { IPC_EVENT, IPC_REQUEST } from '../../src-shared/contract';
import { loadSettings } from '../config/settings';
import { rendererDir } from '../config/paths';
import { Core } from '../core';
import { isTrustedRendererUrl } from './trusted-sender';
import { secureWindowOptions } from './window-options';
import { WindowRegistry, type WindowHandle } from './window-registry';

const RENDERER_DIR = rendererDir();
const PRELOAD = path.join(__dirname, 'preload.js');

function handleOf(window: BrowserWindow): WindowHandle {
  return {
    focus: () => {
      if (window.isMinimized()) window.restore();
      window.focus();
    },
    isDestroyed: () => window.isDestroyed(),
    onClosed: (listener) => window.on('closed', listener),
    send: (channel, ...args) => window.webContents.send(channel, ...args),
  };
}

function loadPage(window: BrowserWindow, page: string, query: Record<string, string> = {}): void {
  const url = pathToFileURL(path.join(RENDERER_DIR, page));
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  void window.loadURL(url.toString());
  window.once('ready-to-show', () => window.show());
}

function createCatalogueWindow(): WindowHandle {
  const window = new BrowserWindow(secureWindowOptions(PRELOAD, { width: 1100, height: 760, title: 'DaaS Desktop' }));
  loadPage(window, 'index.html');
  return handleOf(window);
}

function createViewerWindow(instanceId: string): WindowHandle {
  const window = new BrowserWindow(secureWindowOptions(PRELOAD, { width: 1280, height: 800, title: 'DaaS Desktop' }));
  loadPage(window, 'viewer.html', { instance: instanceId });
  return handleOf(window);
}

function lockDown(): void {
  // No page may navigate away, open windows of its own, or get device permissions.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isTrustedRendererUrl(url, RENDERER_DIR)) event.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) return app.quit();
  await app.whenReady();
  lockDown();

  const core = await Core.open(loadSettings(app.getPath('userData')));
  const windows = new WindowRegistry(createCatalogueWindow, createViewerWindow);

  ipcMain.handle(IPC_REQUEST, (event: IpcMainInvokeEvent, channel: unknown, payload: unknown) => {
    if (!isTrustedRendererUrl(event.senderFrame?.url, RENDERER_DIR)) {
      return { ok: false, error: { code: 'INVALID_REQUEST', message: 'Request from an untrusted page.', action: 'None.' } };
    }
    return core.handle(channel, payload, {
      openViewer: async (instanceId) => {
        windows.openViewer(instanceId);
        return { kind: 'opened' };
      },
    });
  });
  core.subscribe((event) => windows.broadcast(IPC_EVENT, event));

  windows.showCatalogue();
  app.on('second-instance', () => windows.showCatalogue());
  app.on('activate', () => windows.showCatalogue());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    void core.close().finally(() => app.quit());
  });
}

main().catch((err) => {
  console.error('DaaS Desktop could not start', err);
  app.exit(1);
});
