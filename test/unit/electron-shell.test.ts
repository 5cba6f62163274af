// The Electron shell's rules, tested through its Electron-free parts.
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { isTrustedIpcSender, isTrustedRendererUrl } from '../../src-main/electron/trusted-sender';
import { secureWindowOptions } from '../../src-main/electron/window-options';
import { WindowRegistry, type WindowHandle } from '../../src-main/electron/window-registry';

let nextContentsId = 1;

class FakeWindow implements WindowHandle {
  focused = 0;
  destroyed = false;
  hasFocus = false;
  readonly contentsId = nextContentsId++;
  sent: unknown[][] = [];
  private closed: (() => void)[] = [];
  focus() {
    this.focused++;
  }
  isDestroyed() {
    return this.destroyed;
  }
  isFocused() {
    return this.hasFocus;
  }
  onClosed(listener: () => void) {
    this.closed.push(listener);
  }
  send(channel: string, ...args: unknown[]) {
    this.sent.push([channel, ...args]);
  }
  close() {
    this.destroyed = true;
    for (const l of this.closed) l();
  }
}

function registry() {
  const created: { kind: string; id?: string; window: FakeWindow }[] = [];
  const windows = new WindowRegistry(
    () => {
      const window = new FakeWindow();
      created.push({ kind: 'catalogue', window });
      return window;
    },
    (id) => {
      const window = new FakeWindow();
      created.push({ kind: 'viewer', id, window });
      return window;
    },
  );
  return { windows, created };
}

test('opening an instance twice focuses its existing window', () => {
  const { windows, created } = registry();
  assert.equal(windows.openViewer('a'), 'opened');
  assert.equal(windows.openViewer('a'), 'focused');
  assert.equal(created.length, 1);
  assert.equal(created[0]!.window.focused, 1);
});

test('each instance gets its own window, and a closed one can be reopened', () => {
  const { windows, created } = registry();
  windows.openViewer('a');
  windows.openViewer('b');
  assert.equal(windows.openViewerCount(), 2);
  created[0]!.window.close();
  assert.equal(windows.openViewerCount(), 1);
  assert.equal(windows.openViewer('a'), 'opened');
  assert.equal(created.length, 3);
});

test('events reach the catalogue and every open viewer, not closed ones', () => {
  const { windows, created } = registry();
  windows.showCatalogue();
  windows.openViewer('a');
  windows.openViewer('b');
  created[2]!.window.close();
  windows.broadcast('daas:event', { event: 'x' });
  assert.equal(created[0]!.window.sent.length, 1);
  assert.equal(created[1]!.window.sent.length, 1);
  assert.equal(created[2]!.window.sent.length, 0);
});

test('only pages inside the renderer folder are trusted IPC senders', () => {
  const root = path.resolve('/opt/daas/dist/renderer');
  const page = (p: string) => pathToFileURL(path.join(root, p)).toString();
  assert.ok(isTrustedRendererUrl(page('index.html'), root));
  assert.ok(isTrustedRendererUrl(page('viewer.html') + '?instance=abc', root));
  assert.equal(isTrustedRendererUrl('https://evil.example/index.html', root), false);
  assert.equal(isTrustedRendererUrl('file:///etc/passwd', root), false);
  assert.equal(isTrustedRendererUrl(pathToFileURL(root + '-evil/index.html').toString(), root), false);
  assert.equal(isTrustedRendererUrl(`file://${root}/../../../etc/passwd`, root), false);
  assert.equal(isTrustedRendererUrl(undefined, root), false);
  assert.equal(isTrustedRendererUrl('not a url', root), false);
});

test('every window is isolated, sandboxed and without Node', () => {
  const options = secureWindowOptions('/x/preload.js', { width: 10 });
  assert.equal(options.webPreferences?.contextIsolation, true);
  assert.equal(options.webPreferences?.sandbox, true);
  assert.equal(options.webPreferences?.nodeIntegration, false);
  assert.equal(options.webPreferences?.webSecurity, true);
  assert.equal(options.webPreferences?.preload, '/x/preload.js');
});

test('the registry knows which window has focus and what kind each window is', () => {
  const { windows, created } = registry();
  windows.showCatalogue();
  windows.openViewer('a');
  windows.openViewer('b');
  const [catalogue, a, b] = created.map((c) => c.window);
  assert.deepEqual(windows.focused(), { kind: 'none' });
  b!.hasFocus = true;
  assert.deepEqual(windows.focused(), { kind: 'viewer', instanceId: 'b' });
  b!.hasFocus = false;
  catalogue!.hasFocus = true;
  assert.deepEqual(windows.focused(), { kind: 'catalogue' });
  assert.equal(windows.kindOf(catalogue!.contentsId), 'catalogue');
  assert.equal(windows.kindOf(a!.contentsId), 'viewer');
  assert.equal(windows.instanceOf(a!.contentsId), 'a');
  assert.equal(windows.kindOf(9999), 'unknown');
  assert.equal(windows.kindOf(undefined), 'unknown');
  a!.close();
  assert.equal(windows.kindOf(a!.contentsId), 'unknown');
  assert.equal(windows.instanceOf(a!.contentsId), undefined);
});

test('IPC is answered only for our page in the main frame of one of our windows', () => {
  const root = path.resolve('/opt/daas/dist/renderer');
  const page = pathToFileURL(path.join(root, 'index.html')).toString();
  assert.ok(isTrustedIpcSender({ frameUrl: page, isMainFrame: true, windowKind: 'catalogue' }, root));
  assert.ok(isTrustedIpcSender({ frameUrl: page, isMainFrame: true, windowKind: 'viewer' }, root));
  assert.equal(isTrustedIpcSender({ frameUrl: page, isMainFrame: false, windowKind: 'catalogue' }, root), false, 'an iframe');
  assert.equal(isTrustedIpcSender({ frameUrl: page, isMainFrame: true, windowKind: 'unknown' }, root), false, 'not our window');
  assert.equal(isTrustedIpcSender({ frameUrl: 'https://evil.example/', isMainFrame: true, windowKind: 'catalogue' }, root), false);
  assert.equal(isTrustedIpcSender({ frameUrl: undefined, isMainFrame: true, windowKind: 'catalogue' }, root), false, 'a frame that is gone');
});

test('window options keep Node and foreign content out even when extra options try to override them', () => {
  const options = secureWindowOptions('/x/preload.js', { webPreferences: { nodeIntegration: true, sandbox: false } } as never);
  assert.equal(options.webPreferences?.nodeIntegration, false);
  assert.equal(options.webPreferences?.sandbox, true);
  assert.equal(options.webPreferences?.allowRunningInsecureContent, false);
  assert.equal(options.webPreferences?.nodeIntegrationInWorker, false);
  assert.equal(options.show, false);
});
