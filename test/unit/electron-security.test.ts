// The shell's security rules: permissions, navigation, window.open, external links,
// downloads, and the Content-Security-Policy of our pages.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { isDownloadAllowed } from '../../src-main/electron/downloads';
import { isAllowedNavigation, windowOpenDecision } from '../../src-main/electron/navigation';
import { checkExternalUrl, openExternal } from '../../src-main/electron/open-external';
import { isPermissionAllowed, type WindowKind } from '../../src-main/electron/permissions';

const ROOT = path.resolve('/opt/daas/dist/renderer');
const page = (p: string) => pathToFileURL(path.join(ROOT, p)).toString();
const BOTH = { clipboardToDesktop: true, clipboardFromDesktop: true };

// Every permission name Electron 45 knows (PermissionRequestHandlerHandlerDetails / session docs).
const PERMISSIONS = [
  'clipboard-read', 'clipboard-sanitized-write', 'display-capture', 'fullscreen', 'geolocation', 'idle-detection', 'media',
  'mediaKeySystem', 'midi', 'midiSysex', 'notifications', 'pointerLock', 'keyboardLock', 'openExternal', 'speaker-selection',
  'storage-access', 'top-level-storage-access', 'window-management', 'unknown', 'fileSystem', 'hid', 'serial', 'usb', 'bluetooth',
];

test('permissions: everything is denied except the clipboard for viewer windows', () => {
  for (const kind of ['catalogue', 'viewer', 'unknown'] as WindowKind[]) {
    for (const permission of PERMISSIONS) {
      const allowed = isPermissionAllowed({ permission, windowKind: kind, requestingUrl: page('viewer.html?instance=a') }, ROOT, BOTH);
      const expected = kind === 'viewer' && (permission === 'clipboard-read' || permission === 'clipboard-sanitized-write');
      assert.equal(allowed, expected, `${kind} ${permission}`);
    }
  }
});

test('permissions: the clipboard follows the policy direction by direction, and only for our pages', () => {
  const ask = (permission: string, policy = BOTH, url = page('viewer.html')) => isPermissionAllowed({ permission, windowKind: 'viewer', requestingUrl: url }, ROOT, policy);
  assert.equal(ask('clipboard-read', { clipboardToDesktop: false, clipboardFromDesktop: true }), false);
  assert.equal(ask('clipboard-sanitized-write', { clipboardToDesktop: false, clipboardFromDesktop: true }), true);
  assert.equal(ask('clipboard-sanitized-write', { clipboardToDesktop: true, clipboardFromDesktop: false }), false);
  assert.equal(ask('clipboard-read', BOTH, 'https://evil.example/'), false);
  assert.equal(ask('clipboard-read', BOTH, 'file:///etc/passwd'), false);
  assert.equal(isPermissionAllowed({ permission: 'clipboard-read', windowKind: 'viewer', requestingUrl: undefined }, ROOT, BOTH), false);
});

test('permissions: the microphone only for viewers of apps that allow it, with policy microphone on, audio alone', () => {
  const ask = (over: Partial<Parameters<typeof isPermissionAllowed>[0]>, microphone = true) =>
    isPermissionAllowed(
      { permission: 'media', windowKind: 'viewer', requestingUrl: page('viewer.html'), mediaTypes: ['audio'], appAllowsMicrophone: true, ...over },
      ROOT,
      { ...BOTH, microphone },
    );
  assert.equal(ask({}), true);
  assert.equal(ask({}, false), false, 'policy microphone off');
  assert.equal(ask({ appAllowsMicrophone: false }), false, 'the app does not allow it');
  assert.equal(ask({ mediaTypes: ['audio', 'video'] }), false, 'no camera');
  assert.equal(ask({ mediaTypes: [] }), false);
  assert.equal(ask({ windowKind: 'catalogue' }), false);
  assert.equal(ask({ requestingUrl: 'https://evil.example/' }), false);
});

test('navigation: only our own pages', () => {
  assert.ok(isAllowedNavigation(page('index.html'), ROOT));
  assert.ok(isAllowedNavigation(page('viewer.html') + '?instance=x', ROOT));
  for (const url of ['https://example.org/', 'http://127.0.0.1:1234/', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,<b>x</b>', 'about:blank', 'devtools://devtools', pathToFileURL(ROOT + '-x/index.html').toString()]) {
    assert.equal(isAllowedNavigation(url, ROOT), false, url);
  }
});

test('navigation: a file URL with a host or a malformed path is refused, never thrown', () => {
  const hosted = ['file://evil.example/opt/daas/dist/renderer/index.html', 'file://evil.example/x', 'file:///opt/daas/dist/renderer/%2F..%2Fx', 'file:///opt/daas/dist/renderer/a%2fb.html'];
  for (const url of hosted) assert.equal(isAllowedNavigation(url, ROOT), false, url);
});

test('window.open never makes a window: https goes to the browser, anything else is dropped', () => {
  assert.deepEqual(windowOpenDecision('https://docs.example.org/a?b=c#d'), { action: 'external', url: 'https://docs.example.org/a?b=c#d' });
  for (const url of [page('viewer.html'), 'http://example.org/', 'file:///C:/Windows/system32/calc.exe', 'javascript:alert(1)', 'about:blank', 'ms-settings:', 'smb://host/share', '']) {
    assert.deepEqual(windowOpenDecision(url), { action: 'deny' }, url);
  }
});

test('external links: https only, no credentials, no control characters, bounded length', async () => {
  assert.deepEqual(checkExternalUrl('https://example.org'), { ok: true, url: 'https://example.org/' });
  const refused: unknown[] = [
    'http://example.org/', 'HTTP://example.org', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,x', 'vbscript:x',
    'smb://server/share', 'ms-msdt:/id', 'daas-desktop://start/x', 'https://user:pw@example.org/', 'https://example.org/\u0000',
    'https://exa mple.org/', ' https://example.org/', 'https://' + 'a'.repeat(3000) + '.org/', 'https:', 'https://', 'not a url', 42, undefined, null,
  ];
  for (const url of refused) assert.equal(checkExternalUrl(url).ok, false, JSON.stringify(url));

  const opened: string[] = [];
  const logs: string[] = [];
  const opener = async (url: string) => void opened.push(url);
  assert.equal(await openExternal('https://example.org/help', opener, (m) => logs.push(m)), true);
  assert.equal(await openExternal('file:///etc/passwd', opener, (m) => logs.push(m)), false);
  assert.deepEqual(opened, ['https://example.org/help']);
  assert.match(logs[0]!, /refused to open an external link: only https/);
});

test('downloads: the catalogue export and home exports, and viewer screenshots and files from the desktop, from our own blob URLs only', () => {
  const blob = 'blob:null/0b5e4f0a-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
  const fileBlob = 'blob:file:///0b5e4f0a-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
  assert.ok(isDownloadAllowed({ windowKind: 'catalogue', url: blob, fileName: 'daas-catalogue.json' }));
  assert.ok(isDownloadAllowed({ windowKind: 'catalogue', url: fileBlob, fileName: 'daas-catalogue.json' }));
  assert.ok(isDownloadAllowed({ windowKind: 'catalogue', url: blob, fileName: 'linux-desktop-home-2026-12-02.tar.gz' }), 'a home export');
  assert.ok(isDownloadAllowed({ windowKind: 'viewer', url: blob, fileName: 'Linux desktop-2026-01-01T00-00-00-000Z.png' }));
  assert.ok(isDownloadAllowed({ windowKind: 'viewer', url: blob, fileName: 'report.pdf' }), 'a file downloaded from the desktop');
  assert.ok(isDownloadAllowed({ windowKind: 'viewer', url: blob, fileName: 'project.tar' }), 'a folder downloaded from the desktop');
  for (const hidden of ['.bashrc', '.env', '.config.tar', '..hidden']) {
    assert.ok(isDownloadAllowed({ windowKind: 'viewer', url: blob, fileName: hidden }), `a hidden file from the desktop: ${hidden}`);
  }
  const refused = [
    { windowKind: 'catalogue', url: 'https://evil.example/x.json', fileName: 'x.json' },
    { windowKind: 'catalogue', url: 'blob:https://evil.example/0b5e4f0a-1c2d-4e5f-8a9b-0c1d2e3f4a5b', fileName: 'x.json' },
    { windowKind: 'catalogue', url: 'data:application/json,{}', fileName: 'x.json' },
    { windowKind: 'catalogue', url: blob, fileName: 'x.exe' },
    { windowKind: 'catalogue', url: blob, fileName: 'x.json.exe' },
    { windowKind: 'catalogue', url: blob, fileName: 'x.tar.gz.exe' },
    { windowKind: 'catalogue', url: blob, fileName: 'x.png' },
    { windowKind: 'catalogue', url: blob, fileName: '../../.bashrc.json' },
    { windowKind: 'catalogue', url: blob, fileName: '..\\x.json' },
    { windowKind: 'catalogue', url: blob, fileName: '.json' },
    { windowKind: 'catalogue', url: blob, fileName: 'a\nb.json' },
    { windowKind: 'catalogue', url: blob, fileName: '' },
    { windowKind: 'viewer', url: 'https://evil.example/x.pdf', fileName: 'x.pdf' },
    { windowKind: 'viewer', url: blob, fileName: '../x.pdf' },
    { windowKind: 'viewer', url: blob, fileName: '.' },
    { windowKind: 'viewer', url: blob, fileName: '..' },
    { windowKind: 'viewer', url: blob, fileName: '...' },
    { windowKind: 'viewer', url: blob, fileName: '.\nx' },
    { windowKind: 'unknown', url: blob, fileName: 'x.json' },
  ] as const;
  for (const request of refused) assert.equal(isDownloadAllowed(request), false, JSON.stringify(request));
});

test('our pages carry a strict Content-Security-Policy: scripts from the app only, connections to loopback only', () => {
  for (const file of ['src-renderer/index.html', 'src-renderer/viewer.html']) {
    const html = fs.readFileSync(path.resolve(file), 'utf8');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    assert.ok(csp, `${file} has no CSP`);
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
    assert.deepEqual(directives.get('default-src'), ["'self'"], file);
    assert.deepEqual(directives.get('script-src'), ["'self'"], file);
    assert.deepEqual(directives.get('object-src'), ["'none'"], file);
    assert.deepEqual(directives.get('base-uri'), ["'none'"], file);
    for (const source of directives.get('connect-src') ?? []) {
      assert.ok(["'self'", 'ws://127.0.0.1:*', 'ws://localhost:*'].includes(source), `${file}: connect-src ${source}`);
    }
    assert.doesNotMatch(csp, /unsafe-eval/, file);
    for (const [name, values] of directives) {
      for (const wide of ['*', 'http:', 'https:', 'ws:', 'wss:']) assert.ok(!values.includes(wide), `${file}: ${name} allows ${wide}`);
    }
  }
});
