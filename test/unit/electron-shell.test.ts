// The Electron shell's rules, tested through its Electron-free parts.
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { isTrustedRendererUrl } from '../../src-main/electron/trusted-sender';
import { secureWindowOptions } from '../../src-main/electron/window-options';
import { WindowRegistry, type WindowHandle } from '../../src-main/electron/window-registry';

class FakeWindow implements WindowHandle {
  focused = 0;
  destroyed = false;
  sent: unknown[][] = [];
  private closed: (() => void)[] = [];
  focus() {
    this.focused++;
  }
  isDestroyed() {
    return this.destroyed;
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
