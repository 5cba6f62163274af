// Creates the app's BrowserWindows: geometry restored and remembered, secure options,
// and our pages only. Thin: the rules live in window-state.ts and window-options.ts.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, screen } from 'electron';
import { secureWindowOptions } from './window-options';
import type { WindowHandle } from './window-registry';
import { fitToDisplays, toSavedWindow, type SavedWindow, type WindowStateStore } from './window-state';

export interface WindowFactoryOptions {
  rendererDir: string;
  preload: string;
  windowState: WindowStateStore;
}

export function handleOf(window: BrowserWindow): WindowHandle {
  return {
    focus: () => {
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
    },
    isDestroyed: () => window.isDestroyed(),
    isFocused: () => !window.isDestroyed() && window.isFocused(),
    onClosed: (listener) => window.on('closed', listener),
    send: (channel, ...args) => window.webContents.send(channel, ...args),
    contentsId: window.webContents.id,
  };
}

function workAreas() {
  return screen.getAllDisplays().map((d) => d.workArea);
}

function restored(saved: SavedWindow | undefined, fallback: { width: number; height: number }) {
  const fitted = fitToDisplays(saved, workAreas(), fallback);
  return { bounds: { x: fitted.x, y: fitted.y, width: fitted.width, height: fitted.height }, fitted };
}

/** Saves the window's normal (not maximized) bounds whenever it moves or resizes. */
function remember(window: BrowserWindow, save: (saved: SavedWindow) => void): void {
  const record = () => {
    if (window.isDestroyed() || window.isMinimized()) return;
    save(toSavedWindow(window.getNormalBounds(), { maximized: window.isMaximized(), fullScreen: window.isFullScreen() }));
  };
  for (const event of ['resized', 'moved', 'maximize', 'unmaximize', 'enter-full-screen', 'leave-full-screen'] as const) {
    window.on(event as 'resized', record);
  }
  window.on('close', record);
}

function show(window: BrowserWindow, fitted: SavedWindow, rendererDir: string, page: string, query: Record<string, string> = {}): void {
  const url = pathToFileURL(path.join(rendererDir, page));
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  window.once('ready-to-show', () => {
    if (fitted.maximized) window.maximize();
    if (fitted.fullScreen) window.setFullScreen(true);
    window.show();
  });
  void window.loadURL(url.toString());
}

export function createCatalogueWindow(options: WindowFactoryOptions): BrowserWindow {
  const { bounds, fitted } = restored(options.windowState.catalogue(), { width: 1100, height: 760 });
  const window = new BrowserWindow(secureWindowOptions(options.preload, { ...bounds, minWidth: 640, minHeight: 420, title: 'DaaS Desktop' }));
  remember(window, (saved) => options.windowState.saveCatalogue(saved));
  show(window, fitted, options.rendererDir, 'index.html');
  return window;
}

export function createViewerWindow(options: WindowFactoryOptions, instanceId: string, app: { appId: string; title: string }): BrowserWindow {
  const { bounds, fitted } = restored(options.windowState.viewer(app.appId), { width: 1280, height: 800 });
  const window = new BrowserWindow(secureWindowOptions(options.preload, { ...bounds, minWidth: 320, minHeight: 200, title: app.title }));
  remember(window, (saved) => options.windowState.saveViewer(app.appId, saved));
  show(window, fitted, options.rendererDir, 'viewer.html', { instance: instanceId });
  return window;
}
