// The session's permission handlers as main.ts installs them (setPermissionRequestHandler,
// setPermissionCheckHandler), over the real window registry: the microphone is granted only to
// the viewer window of an instance whose app allows it, while policy microphone is on.
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { permissionHandlers } from '../../src-main/electron/permission-handlers';
import type { ClipboardPolicy } from '../../src-main/electron/permissions';
import { WindowRegistry, type WindowHandle } from '../../src-main/electron/window-registry';

const ROOT = path.resolve('/opt/daas/dist/renderer');
const page = (p: string) => pathToFileURL(path.join(ROOT, p)).toString();

/** Stand-in for a BrowserWindow: the registry needs only these. */
function handle(contentsId: number): WindowHandle {
  return { contentsId, focus() {}, isDestroyed: () => false, isFocused: () => false, onClosed() {}, send() {} };
}

function setUp(allowing: Record<string, boolean>) {
  let nextId = 1;
  const windows = new WindowRegistry(
    () => handle(nextId++),
    () => handle(nextId++),
  );
  windows.showCatalogue(); // contents 1
  windows.openViewer('with-mic'); // contents 2
  windows.openViewer('without-mic'); // contents 3
  windows.openViewer('gone'); // contents 4: its app lookup fails
  const policy: ClipboardPolicy = { clipboardToDesktop: true, clipboardFromDesktop: true, microphone: true };
  const lookedUp: string[] = [];
  const handlers = permissionHandlers({
    rendererDir: ROOT,
    kindOf: (id) => windows.kindOf(id),
    instanceOf: (id) => windows.instanceOf(id),
    policy: () => policy,
    allowsMicrophone: async (instanceId) => {
      lookedUp.push(instanceId);
      if (!(instanceId in allowing)) throw new Error('no such instance');
      return allowing[instanceId]!;
    },
  });
  const request = (contentsId: number | undefined, permission: string, details: { requestingUrl?: string; mediaTypes?: string[] }) =>
    new Promise<boolean>((resolve) => handlers.request(contentsId, permission, resolve, details));
  return { handlers, policy, lookedUp, request };
}

const MIC = { requestingUrl: page('viewer.html'), mediaTypes: ['audio'] };

test('request handler: the microphone only for the viewer of an app that allows it, with policy microphone on', async () => {
  const { policy, lookedUp, request } = setUp({ 'with-mic': true, 'without-mic': false });
  assert.equal(await request(2, 'media', MIC), true, 'the viewer of an app allowing the microphone');
  assert.deepEqual(lookedUp, ['with-mic'], "the app is looked up by the window's instance");
  assert.equal(await request(3, 'media', MIC), false, 'the app does not allow it');
  assert.equal(await request(4, 'media', MIC), false, 'an app lookup that fails denies');
  assert.equal(await request(1, 'media', { ...MIC, requestingUrl: page('index.html') }), false, 'the catalogue');
  assert.equal(await request(99, 'media', MIC), false, 'a window that is not ours');
  assert.equal(await request(undefined, 'media', MIC), false, 'no web contents');
  assert.equal(await request(2, 'media', { ...MIC, mediaTypes: ['audio', 'video'] }), false, 'no camera');
  assert.equal(await request(2, 'media', { ...MIC, requestingUrl: 'https://evil.example/' }), false, 'a page that is not ours');
  policy.microphone = false;
  assert.equal(await request(2, 'media', MIC), false, 'policy microphone off (read at the request)');
});

test('request handler: other permissions are answered at once, without an app lookup', async () => {
  const { handlers, policy, lookedUp } = setUp({ 'with-mic': true });
  const answers: boolean[] = [];
  handlers.request(2, 'clipboard-read', (granted) => answers.push(granted), { requestingUrl: page('viewer.html') });
  handlers.request(2, 'notifications', (granted) => answers.push(granted), { requestingUrl: page('viewer.html') });
  policy.clipboardToDesktop = false;
  handlers.request(2, 'clipboard-read', (granted) => answers.push(granted), { requestingUrl: page('viewer.html') });
  assert.deepEqual(answers, [true, false, false], 'synchronous answers: clipboard per policy, nothing else');
  assert.deepEqual(lookedUp, []);
});

test('check handler: never grants the microphone; the clipboard for viewers as the policy says', () => {
  const { handlers, policy, lookedUp } = setUp({ 'with-mic': true });
  assert.equal(handlers.check(2, 'media', page('viewer.html')), false, 'media is settled by the request handler only');
  assert.equal(handlers.check(2, 'clipboard-read', page('viewer.html')), true);
  assert.equal(handlers.check(2, 'clipboard-sanitized-write', page('viewer.html')), true);
  assert.equal(handlers.check(1, 'clipboard-read', page('index.html')), false, 'the catalogue');
  assert.equal(handlers.check(2, 'clipboard-read', 'https://evil.example/'), false);
  policy.clipboardFromDesktop = false;
  assert.equal(handlers.check(2, 'clipboard-sanitized-write', page('viewer.html')), false);
  assert.deepEqual(lookedUp, [], 'a check looks nothing up');
});
