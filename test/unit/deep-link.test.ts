// daas-desktop:// links come from any web page or document: only the two exact forms pass.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deepLinkFromArgv, parseDeepLink } from '../../src-main/electron/deep-link';

test('the two link forms', () => {
  assert.deepEqual(parseDeepLink('daas-desktop://start/linux-desktop'), { ok: true, link: { action: 'start', appId: 'linux-desktop' } });
  assert.deepEqual(parseDeepLink('daas-desktop://open/Ab_9-x'), { ok: true, link: { action: 'open', instanceId: 'Ab_9-x' } });
  // Scheme and action are case-insensitive (some launchers upper-case links); ids are not.
  assert.deepEqual(parseDeepLink('DAAS-DESKTOP://START/app'), { ok: true, link: { action: 'start', appId: 'app' } });
});

test('hostile and malformed links are refused', () => {
  const hostile: unknown[] = [
    undefined,
    null,
    42,
    { toString: () => 'daas-desktop://start/x' },
    '',
    'daas-desktop:',
    'daas-desktop://',
    'daas-desktop://start',
    'daas-desktop://start/',
    'daas-desktop://start//x',
    'daas-desktop://start/x/',
    'daas-desktop://start/x/y',
    'daas-desktop://start/../open/x',
    'daas-desktop://start/../../x',
    'daas-desktop://start/./x',
    'daas-desktop://start/x/..',
    'daas-desktop://start/x/.',
    'daas-desktop://open/../start/x',
    'daas-desktop://start/..',
    'daas-desktop://start/%2e%2e',
    'daas-desktop://start/a%2Fb',
    'daas-desktop://start/a\\b',
    'daas-desktop://start\\x',
    'daas-desktop://start/x?autostart=1',
    'daas-desktop://start/x#frag',
    'daas-desktop://start/x?',
    'daas-desktop://user:pw@start/x',
    'daas-desktop://start:8080/x',
    'daas-desktop://delete/x',
    'daas-desktop://stop/x',
    'daas-desktop://START./x',
    'daas-desktop:start/x',
    'daas-desktop:/start/x',
    'daas-desktop:///start/x',
    'daas-desktop://start/x y',
    'daas-desktop://start/x\n',
    ' daas-desktop://start/x',
    'daas-desktop://start/x\u0000',
    'daas-desktop://start/\u00e9t\u00e9',
    'daas-desktop://start/<script>',
    'daas-desktop://start/x;rm -rf',
    'daas-desktop://start/' + 'a'.repeat(101),
    'daas-desktop://start/' + 'a'.repeat(300),
    'daas-desktop://xn--start-abc/x',
    'daas-desktopx://start/x',
    'https://start/x',
    'file:///start/x',
    'javascript:alert(1)//daas-desktop://start/x',
  ];
  for (const input of hostile) {
    const result = parseDeepLink(input);
    assert.equal(result.ok, false, `accepted ${JSON.stringify(input)}`);
    if (!result.ok) assert.ok(result.reason.length > 0);
  }
});

test('a refusal says why without echoing much of the input', () => {
  const result = parseDeepLink('daas-desktop://' + 'x'.repeat(100) + '/a');
  assert.equal(result.ok, false);
  if (!result.ok) assert.ok(result.reason.length < 80, result.reason);
});

test('the link on a command line is only ever the last argument', () => {
  assert.equal(deepLinkFromArgv(['/opt/DaaS Desktop/daas-desktop', 'daas-desktop://open/abc']), 'daas-desktop://open/abc');
  assert.equal(deepLinkFromArgv(['app', '--no-sandbox', 'daas-desktop://open/abc']), 'daas-desktop://open/abc');
  assert.equal(deepLinkFromArgv(['app', 'daas-desktop://open/abc', '--inspect=9229']), undefined);
  assert.equal(deepLinkFromArgv(['app']), undefined);
  assert.equal(deepLinkFromArgv([]), undefined);
});
