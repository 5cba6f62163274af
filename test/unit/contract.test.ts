import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHANNELS, IPC_EVENT, IPC_REQUEST, parseRequest } from '../../src-shared/contract';
import { readFileSync } from 'node:fs';
import path from 'node:path';

test('a valid request passes with its payload', () => {
  const parsed = parseRequest('instances.start', { appId: 'linux-desktop' });
  assert.deepEqual(parsed, { ok: true, channel: 'instances.start', payload: { appId: 'linux-desktop' } });
});

test('an unknown channel is refused with INVALID_REQUEST', () => {
  const parsed = parseRequest('docker.exec', { cmd: 'rm -rf /' });
  assert.equal(parsed.ok, false);
  if (!parsed.ok) {
    assert.equal(parsed.error.code, 'INVALID_REQUEST');
    assert.match(parsed.error.message, /does not know the request "docker\.exec"/);
  }
});

test('a non-string channel is refused', () => {
  for (const channel of [undefined, null, 42, {}, ['apps.list']]) {
    assert.equal(parseRequest(channel, {}).ok, false);
  }
});

test('inherited object keys are not channels', () => {
  assert.equal(parseRequest('toString', {}).ok, false);
  assert.equal(parseRequest('__proto__', {}).ok, false);
});

test('payloads are checked field by field and name the bad field', () => {
  const missing = parseRequest('instances.stop', {});
  assert.equal(missing.ok, false);
  if (!missing.ok) assert.match(missing.error.message, /instanceId/);

  const injected = parseRequest('instances.stop', { instanceId: '../../etc/passwd' });
  assert.equal(injected.ok, false);

  const extra = parseRequest('apps.list', { sql: 'drop table apps' });
  assert.equal(extra.ok, false, 'unknown keys are rejected, not ignored');

  const tooBig = parseRequest('display.connect', { instanceId: 'a', width: 100000, height: 600 });
  assert.equal(tooBig.ok, false);
  if (!tooBig.ok) assert.match(tooBig.error.message, /width/);

  const notNumber = parseRequest('display.connect', { instanceId: 'a', width: '800' });
  assert.equal(notNumber.ok, false);
});

test('an omitted payload counts as empty', () => {
  assert.equal(parseRequest('apps.list', undefined).ok, true);
});

test('every channel has a schema', () => {
  for (const channel of CHANNELS) assert.equal(typeof channel, 'string');
  assert.ok(CHANNELS.includes('display.connect'));
});

test('the sandboxed preload uses the contract IPC channel names', () => {
  // The preload cannot import the contract at run time, so compare its source.
  const source = readFileSync(path.join(__dirname, '../../src-main/electron/preload.ts'), 'utf8');
  const constant = (name: string) => source.match(new RegExp(`const ${name} = '([^']+)'`))?.[1];
  assert.equal(constant('PRELOAD_IPC_REQUEST'), IPC_REQUEST);
  assert.equal(constant('PRELOAD_IPC_EVENT'), IPC_EVENT);
});
