// The headless host's access rules, over real HTTP and WebSocket connections.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import type { Core } from '../../src-main/core';
import { startHeadlessHost, type HeadlessHost } from '../../src-main/host/headless-host';
import { openCore, tempDataDir, TEST_HOST } from '../helpers/core';

let core: Core;
let host: HeadlessHost;
let rendererDir: string;
let cookie: string;

before(async () => {
  const dir = await tempDataDir();
  rendererDir = path.join(dir, 'renderer');
  await fs.mkdir(rendererDir);
  await fs.writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>catalogue</title>');
  await fs.writeFile(path.join(dir, 'secret.txt'), 'outside the renderer folder');
  core = await openCore(path.join(dir, 'data'));
  host = await startHeadlessHost(core, { rendererDir, accessToken: 'test-token-123' });
});

after(async () => {
  await host?.close();
  await core?.close();
});

test('listens on 127.0.0.1 only', () => {
  assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
});

test('no token, no page', async () => {
  assert.equal((await fetch(host.url)).status, 401);
  assert.equal((await fetch(`${host.url}?token=wrong`, { redirect: 'manual' })).status, 401);
  assert.equal((await fetch(host.url, { headers: { cookie: 'daas_session=wrong' } })).status, 401);
});

test('the token is traded for an HttpOnly, SameSite=Strict cookie and leaves the URL', async () => {
  const response = await fetch(host.loginUrl, { redirect: 'manual' });
  assert.equal(response.status, 303);
  assert.equal(response.headers.get('location'), '/');
  const setCookie = response.headers.get('set-cookie') ?? '';
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /SameSite=Strict/);
  cookie = setCookie.split(';')[0]!;

  const page = await fetch(host.url, { headers: { cookie } });
  assert.equal(page.status, 200);
  assert.match(await page.text(), /catalogue/);
  assert.match(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
});

test('files outside the renderer folder are not served', async () => {
  for (const p of ['%2e%2e/secret.txt', '..%2fsecret.txt', '%2e%2e%2fsecret.txt']) {
    const response = await fetch(`${host.url}${p}`, { headers: { cookie } });
    assert.equal(response.status, 404, p);
  }
});

function openApi(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${host.url.replace('http', 'ws')}api`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

test('the API WebSocket needs the cookie and our own origin', async () => {
  const origin = host.url.slice(0, -1);
  await assert.rejects(openApi({ origin }), /401/);
  await assert.rejects(openApi({ cookie, origin: 'http://evil.example' }), /401/);
  const ws = await openApi({ cookie, origin });
  ws.close();
});

test('requests are answered by id; bad ones get typed errors; garbage closes the socket', async () => {
  const ws = await openApi({ cookie, origin: host.url.slice(0, -1) });
  const replies = new Map<number, { ok: boolean; result?: unknown; error?: { code: string } }>();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (message.type === 'response') replies.set(message.id, message);
  });
  ws.send(JSON.stringify({ type: 'request', id: 7, channel: 'apps.list', payload: {} }));
  ws.send(JSON.stringify({ type: 'request', id: 8, channel: 'instances.stop', payload: { instanceId: 42 } }));
  ws.send(JSON.stringify({ type: 'request', id: 9, channel: 'shell.exec', payload: {} }));
  for (let i = 0; i < 100 && replies.size < 3; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(replies.get(7)?.ok, true);
  assert.ok((replies.get(7)?.result as { id: string }[]).some((a) => a.id === 'linux-desktop'));
  assert.equal(replies.get(8)?.error?.code, 'INVALID_REQUEST');
  assert.equal(replies.get(9)?.error?.code, 'INVALID_REQUEST');

  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  ws.send('this is not json');
  assert.equal(await closed, 1003);
});

test('viewer.open and display.connect refuse an unknown instance with a typed error', async () => {
  const host = { openViewer: async () => ({ kind: 'opened' as const }) };
  for (const channel of ['viewer.open', 'display.connect'] as const) {
    const result = await core.handle(channel, { instanceId: 'missing' }, host);
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.error.code, 'INSTANCE_NOT_FOUND');
  }
});

/** Collects the events one API socket receives. */
function eventsOf(ws: WebSocket): { event: string; payload: Record<string, unknown> }[] {
  const events: { event: string; payload: Record<string, unknown> }[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (message.type === 'event') events.push(message);
  });
  return events;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 250 && !condition(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(condition(), `timed out waiting for ${what}`);
}

test('a settings change in one client reaches the other as settings.changed with every new value', async () => {
  const origin = host.url.slice(0, -1);
  const [one, two] = await Promise.all([openApi({ cookie, origin }), openApi({ cookie, origin })]);
  try {
    const seenByTwo = eventsOf(two);
    const seenByOne = eventsOf(one);
    one.send(JSON.stringify({ type: 'request', id: 1, channel: 'settings.update', payload: { language: 'de', theme: 'dark' } }));
    await until(() => seenByTwo.some((e) => e.event === 'settings.changed'), 'settings.changed in the second client');
    const changed = seenByTwo.find((e) => e.event === 'settings.changed')!.payload;
    assert.equal(changed.language, 'de');
    assert.equal(changed.theme, 'dark');
    // The whole view, as settings.get answers it: a window can apply it without asking again.
    assert.deepEqual(changed, await core.userSettings.get());
    await until(() => seenByOne.some((e) => e.event === 'settings.changed'), 'settings.changed in the sender too');

    // A refused change is no change: nobody hears of it.
    const before = seenByTwo.length;
    one.send(JSON.stringify({ type: 'request', id: 2, channel: 'settings.update', payload: { readinessTimeoutSeconds: 1 } }));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(seenByTwo.slice(before).filter((e) => e.event === 'settings.changed').length, 0);
  } finally {
    await core.handle('settings.update', { language: 'system', theme: 'system' }, TEST_HOST);
    one.close();
    two.close();
  }
});

test('saving or deleting an endpoint tells every client to list endpoints again', async () => {
  const origin = host.url.slice(0, -1);
  const ws = await openApi({ cookie, origin });
  try {
    const seen = eventsOf(ws);
    const refused = await core.handle('docker.endpoints.save', { name: 'Lab', url: 'tcp://lab.invalid:2376' }, TEST_HOST);
    assert.equal(refused.ok, false, 'plain TCP to another host is refused');
    const saved = await core.handle('docker.endpoints.save', { name: 'Lab', url: 'tcp://127.0.0.1:1' }, TEST_HOST);
    assert.ok(saved.ok);
    await until(() => seen.some((e) => e.event === 'endpoints.changed'), 'endpoints.changed after a save');
    assert.deepEqual(seen.filter((e) => e.event === 'endpoints.changed').map((e) => e.payload), [{ kind: 'docker' }]);
    if (saved.ok) await core.handle('docker.endpoints.delete', { endpointId: (saved.result as { id: string }).id }, TEST_HOST);
    await until(() => seen.filter((e) => e.event === 'endpoints.changed').length === 2, 'endpoints.changed after a delete');
  } finally {
    ws.close();
  }
});

test('a session is a random id, not the access token, and ends after 12 h without use', async () => {
  let now = Date.now();
  const own = await startHeadlessHost(core, { rendererDir, accessToken: 'test-token-456', now: () => now });
  try {
    const login = await fetch(own.loginUrl, { redirect: 'manual' });
    const session = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    assert.match(session, /^daas_session=[A-Za-z0-9_-]{40,}$/);
    assert.ok(!session.includes('test-token-456'), 'the cookie is not the access token');
    assert.equal((await fetch(own.url, { headers: { cookie: 'daas_session=test-token-456' } })).status, 401);

    // Sliding: each use moves the end 12 h on.
    now += 11 * 3600_000;
    assert.equal((await fetch(own.url, { headers: { cookie: session } })).status, 200);
    now += 11 * 3600_000;
    assert.equal((await fetch(own.url, { headers: { cookie: session } })).status, 200);
    now += 12 * 3600_000 + 1;
    assert.equal((await fetch(own.url, { headers: { cookie: session } })).status, 401, 'expired after 12 h unused');
    // The access token still logs in, with a new session.
    const again = await fetch(own.loginUrl, { redirect: 'manual' });
    assert.notEqual((again.headers.get('set-cookie') ?? '').split(';')[0], session);
  } finally {
    await own.close();
  }
});
