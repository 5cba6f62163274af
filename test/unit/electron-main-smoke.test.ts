// main.ts wired end to end under plain Node: `require('electron')` answers with a small
// stand-in that records what main.ts asks of it, over a real core (real SQLite, real
// display service). It proves the wiring — IPC guard, window security, permissions,
// navigation, downloads, deep links, tray, menu, quit — without an Electron binary.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { rendererDir } from '../../src-main/config/paths';

type Handler = (...args: unknown[]) => unknown;

let nextId = 1;
class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly sent: unknown[][] = [];
  windowOpenHandler: Handler | undefined;
  url = '';
  send(...args: unknown[]) {
    this.sent.push(args);
  }
  setWindowOpenHandler(handler: Handler) {
    this.windowOpenHandler = handler;
  }
  getURL() {
    return this.url;
  }
}

const windows: FakeBrowserWindow[] = [];
class FakeBrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    windows.push(this);
    electron.app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url: string) {
    this.webContents.url = url;
    setImmediate(() => this.emit('ready-to-show'));
    return Promise.resolve();
  }
  show() {}
  focus() {}
  restore() {}
  maximize() {}
  setFullScreen() {}
  isMinimized() {
    return false;
  }
  isMaximized() {
    return false;
  }
  isFullScreen() {
    return false;
  }
  isFocused() {
    return false;
  }
  isDestroyed() {
    return this.destroyed;
  }
  destroy() {
    this.destroyed = true;
    this.emit('closed');
  }
  getNormalBounds() {
    return { x: 10, y: 10, width: 1000, height: 700 };
  }
  static getAllWindows() {
    return windows;
  }
}

const calls = {
  quit: 0,
  exit: [] as number[],
  ipc: new Map<string, Handler>(),
  permissionRequest: undefined as Handler | undefined,
  permissionCheck: undefined as Handler | undefined,
  menu: undefined as unknown,
  trayMenus: [] as unknown[],
  dialogs: [] as Record<string, unknown>[],
  dialogAnswer: 1,
  openedExternal: [] as string[],
  protocolClients: [] as string[],
};

class FakeApp extends EventEmitter {
  isPackaged = false;
  requestSingleInstanceLock() {
    return true;
  }
  setAsDefaultProtocolClient(scheme: string) {
    calls.protocolClients.push(scheme);
    return true;
  }
  whenReady() {
    return Promise.resolve();
  }
  getPath() {
    return userData;
  }
  getLocale() {
    return 'en-US';
  }
  getPreferredSystemLanguages() {
    return ['en-US', 'de-DE'];
  }
  quit() {
    calls.quit++;
    this.emit('before-quit', { preventDefault() {} });
  }
  exit(code: number) {
    calls.exit.push(code);
  }
}

const session = new EventEmitter() as EventEmitter & Record<string, unknown>;
session.setPermissionRequestHandler = (h: Handler) => (calls.permissionRequest = h);
session.setPermissionCheckHandler = (h: Handler) => (calls.permissionCheck = h);

const electron = {
  app: new FakeApp(),
  BrowserWindow: FakeBrowserWindow,
  ipcMain: { handle: (channel: string, handler: Handler) => calls.ipc.set(channel, handler) },
  session: { defaultSession: session },
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  // No keychain in this stand-in: credentials fall back to the plain store, as on a headless Linux.
  safeStorage: {
    isEncryptionAvailable: () => false,
    encryptString: () => Buffer.alloc(0),
    decryptString: () => '',
    getSelectedStorageBackend: () => 'basic_text',
  },
  Menu: {
    buildFromTemplate: (template: unknown) => ({ template }),
    setApplicationMenu: (menu: unknown) => (calls.menu = menu),
  },
  Tray: class extends EventEmitter {
    setToolTip() {}
    setContextMenu(menu: unknown) {
      calls.trayMenus.push(menu);
    }
    destroy() {}
  },
  nativeImage: { createFromPath: (file: string) => ({ file }) },
  Notification: Object.assign(class extends EventEmitter {
    show() {}
  }, { isSupported: () => false }),
  dialog: {
    showMessageBox: async (...args: unknown[]) => {
      calls.dialogs.push(args.at(-1) as Record<string, unknown>);
      return { response: calls.dialogAnswer, checkboxChecked: false };
    },
  },
  shell: { openExternal: async (url: string) => void calls.openedExternal.push(url) },
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'daas-main-smoke-'));
const userData = path.join(tmp, 'user-data');
const RENDERER = rendererDir();
const page = (p: string) => pathToFileURL(path.join(RENDERER, p)).toString();
const saved = { ...process.env };
const ModuleInternals = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const originalLoad = ModuleInternals._load;

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function ipcEvent(window: FakeBrowserWindow | undefined, frameUrl: string, parent: unknown = null) {
  return { sender: window?.webContents ?? new FakeWebContents(), senderFrame: { url: frameUrl, parent } };
}

before(async () => {
  fs.writeFileSync(path.join(tmp, 'policy.json'), JSON.stringify({ version: 1, locked: { clipboardFromDesktop: false } }));
  Object.assign(process.env, {
    DAAS_DATA_DIR: path.join(tmp, 'data'),
    DAAS_POLICY_FILE: path.join(tmp, 'policy.json'),
    DAAS_ADMIN_DIR: path.join(tmp, 'no-admin'),
    DAAS_DOCKER_SOCKET: path.join(tmp, 'no-docker.sock'),
  });
  ModuleInternals._load = function (request: string, ...rest: unknown[]) {
    return request === 'electron' ? electron : originalLoad.call(this, request, ...rest);
  };
  // Loaded only now, after the stand-in is in place; main.ts starts itself on load.
  Module.createRequire(__filename)('../../src-main/electron/main');
  await until(() => calls.ipc.size > 0 && windows.length > 0 && calls.menu !== undefined, 'main.ts to start');
});

after(async () => {
  ModuleInternals._load = originalLoad;
  process.env = saved;
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('single instance, the protocol, the catalogue window with secure options, the menu and the tray', () => {
  assert.deepEqual(calls.protocolClients, ['daas-desktop']);
  const catalogue = windows[0]!;
  const prefs = catalogue.options.webPreferences as Record<string, unknown>;
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(catalogue.webContents.url, page('index.html'));
  assert.ok(calls.menu);
  assert.equal(calls.trayMenus.length, 1);
});

test('IPC: answered for our page in the main frame of our window; refused otherwise', async () => {
  const handle = calls.ipc.get('daas:request')!;
  const catalogue = windows[0]!;
  const ok = (await handle(ipcEvent(catalogue, page('index.html')), 'settings.get', {})) as { ok: boolean; result: { managed: string[] } };
  assert.equal(ok.ok, true);
  assert.deepEqual(ok.result.managed, ['clipboardFromDesktop']);
  for (const [event, why] of [
    [ipcEvent(undefined, page('index.html')), 'not our window'],
    [ipcEvent(catalogue, page('index.html'), { url: page('index.html') }), 'an iframe'],
    [ipcEvent(catalogue, 'https://evil.example/'), 'a foreign page'],
  ] as const) {
    const refused = (await handle(event, 'settings.get', {})) as { ok: boolean; error?: { message: string } };
    assert.equal(refused.ok, false, why);
    assert.match(refused.error!.message, /untrusted/);
  }
  const locked = (await handle(ipcEvent(catalogue, page('index.html')), 'settings.update', { orphanPolicy: 'adopt' })) as { ok: boolean };
  assert.equal(locked.ok, true);
});

test('the language setting relabels the menu and tray at once and reaches every window as settings.changed', async () => {
  const catalogue = windows[0]!;
  const labels = (menu: unknown) => ((menu as { template: { label?: string }[] }).template).map((item) => item.label).filter(Boolean);
  assert.ok(labels(calls.menu).includes('&File'), 'English first: the system prefers en-US');
  const sentBefore = catalogue.webContents.sent.length;
  const answer = (await calls.ipc.get('daas:request')!(ipcEvent(catalogue, page('index.html')), 'settings.update', { language: 'de' })) as { ok: boolean };
  assert.equal(answer.ok, true);
  assert.ok(labels(calls.menu).includes('&Datei'), 'the application menu is German');
  assert.deepEqual(labels(calls.trayMenus.at(-1))[0], 'Keine Instanzen laufen');
  const events = catalogue.webContents.sent.slice(sentBefore).map(([, event]) => event as { event: string; payload: { language: string } });
  assert.equal(events.find((e) => e.event === 'settings.changed')?.payload.language, 'de');
  await calls.ipc.get('daas:request')!(ipcEvent(catalogue, page('index.html')), 'settings.update', { language: 'system' });
  assert.ok(labels(calls.menu).includes('&File'), 'back to the system language');
});

test('navigation, window.open, permissions and downloads are locked down', async () => {
  const contents = windows[0]!.webContents;
  let prevented = 0;
  contents.emit('will-navigate', { preventDefault: () => prevented++ }, 'https://evil.example/');
  contents.emit('will-navigate', { preventDefault: () => prevented++ }, page('viewer.html'));
  contents.emit('will-redirect', { preventDefault: () => prevented++ }, 'file:///etc/passwd');
  contents.emit('will-navigate', { preventDefault: () => prevented++ }, 'file://evil.example/x');
  assert.equal(prevented, 3, 'a file URL with a host is prevented, not thrown on');
  assert.deepEqual(contents.windowOpenHandler!({ url: 'https://docs.example.org/' }), { action: 'deny' });
  assert.deepEqual(contents.windowOpenHandler!({ url: 'file:///etc/passwd' }), { action: 'deny' });
  assert.deepEqual(calls.openedExternal, ['https://docs.example.org/']);
  let webviews = 0;
  contents.emit('will-attach-webview', { preventDefault: () => webviews++ });
  assert.equal(webviews, 1);

  const answers: boolean[] = [];
  calls.permissionRequest!(contents, 'clipboard-read', (allowed: boolean) => answers.push(allowed), { requestingUrl: page('index.html') });
  calls.permissionRequest!(contents, 'media', (allowed: boolean) => answers.push(allowed), { requestingUrl: page('index.html') });
  await new Promise((r) => setImmediate(r)); // media is decided after looking up the window's app
  assert.deepEqual(answers, [false, false], 'the catalogue gets no permission at all');
  assert.equal(calls.permissionCheck!(contents, 'clipboard-read', '', { requestingUrl: page('index.html') }), false);

  const download = (contentsId: number, url: string, fileName: string) => {
    let cancelled = false;
    session.emit('will-download', { preventDefault: () => (cancelled = true) }, { getURL: () => url, getFilename: () => fileName }, { id: contentsId });
    return cancelled;
  };
  assert.equal(download(contents.id, 'blob:null/0b5e4f0a-1c2d-4e5f-8a9b-0c1d2e3f4a5b', 'daas-catalogue.json'), false);
  assert.equal(download(contents.id, 'https://evil.example/x.json', 'x.json'), true);
  assert.equal(download(9999, 'blob:null/0b5e4f0a-1c2d-4e5f-8a9b-0c1d2e3f4a5b', 'x.json'), true);
});

test('a deep link to start an app asks first, and cancelling starts nothing; a bad link is ignored', async () => {
  calls.dialogAnswer = 1;
  electron.app.emit('second-instance', {}, ['daas-desktop', 'daas-desktop://start/linux-desktop']);
  await until(() => calls.dialogs.length > 0, 'the confirmation');
  assert.equal(calls.dialogs[0]!.message, 'Start Linux desktop?');
  const list = (await calls.ipc.get('daas:request')!(ipcEvent(windows[0], page('index.html')), 'instances.list', {})) as { result: unknown[] };
  assert.deepEqual(list.result, []);
  electron.app.emit('second-instance', {}, ['daas-desktop', 'daas-desktop://start/../../x']);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(calls.dialogs.length, 1);
});

test('quitting closes the core and then quits', async () => {
  electron.app.quit();
  await until(() => calls.quit >= 2, 'the second quit after the core closed');
  assert.deepEqual(calls.exit, []);
});
