// Terminal requests from windows are untrusted: every message is checked against the
// contract (sizes, ids), a terminal answers only the window that opened it, oversized
// input is refused before it reaches the shell, and the shell (with what it started)
// ends when its window goes. Real core, real Docker, real container.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MAX_TERMINAL_INPUT, type DaasEvent, type Result } from '../../src-shared/contract';
import type { App, Instance } from '../../src-shared/model';
import type { Core } from '../../src-main/core';
import type { ClientLink } from '../../src-main/handlers/handler-types';
import { callCore, openCore, tempDataDir, TEST_HOST, waitForState } from '../helpers/core';
import { containersOf, docker, dockerExec, removeOwnedBy } from '../helpers/docker';

let core: Core;
let instance: Instance;

before(async () => {
  core = await openCore(await tempDataDir());
  const app = await callCore<App>(core, 'apps.create', { app: { name: 'Shell target', provider: 'docker', docker: { image: 'daas/desktop:latest' } } });
  instance = await callCore<Instance>(core, 'instances.start', { appId: app.id });
  await waitForState(core, instance.id, 'running');
});

after(async () => {
  await core?.close();
  if (core) await removeOwnedBy(core.installationId);
});

/** A window as the core sees it: what it was sent, and a way to make it go. */
function fakeWindow(id: string) {
  const events: DaasEvent[] = [];
  const closers: (() => void)[] = [];
  const client: ClientLink = { id, send: (e) => events.push(e), onClose: (l) => closers.push(l) };
  return { client, events, output: () => events.flatMap((e) => (e.event === 'terminal.output' ? [e.payload.data] : [])).join(''), go: () => closers.forEach((c) => c()) };
}

const ask = (channel: string, payload: unknown, client?: ClientLink): Promise<Result<unknown>> => core.handle(channel, payload, { ...TEST_HOST, client });

async function until(check: () => boolean | Promise<boolean>, what: string | (() => string)): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${typeof what === 'string' ? what : what()} did not happen`);
}

async function markedProcesses(): Promise<number> {
  const [info] = await containersOf(instance.id);
  const user = (await docker.getContainer(info!.Id).inspect()).Config.User;
  const { output } = await dockerExec(info!.Id, ['/bin/sh', '-c', 'grep -l DAAS_TERMINAL= /proc/[0-9]*/environ 2>/dev/null | wc -l'], user);
  return Number(/(\d+)\s*$/.exec(output)![1]);
}

test('malformed terminal requests are refused by the contract, naming what is wrong', async () => {
  const { client } = fakeWindow('w-bad');
  for (const [channel, payload, path] of [
    ['terminal.open', { instanceId: instance.id, cols: 0, rows: 24 }, 'cols'],
    ['terminal.open', { instanceId: instance.id, cols: 80, rows: 24, command: ['rm', '-rf', '/'] }, 'request'],
    ['terminal.input', { terminalId: '../etc', data: 'x' }, 'terminalId'],
    ['terminal.input', { terminalId: 'abc', data: 'x'.repeat(MAX_TERMINAL_INPUT + 1) }, 'data'],
    ['terminal.resize', { terminalId: 'abc', cols: 80, rows: 1e9 }, 'rows'],
  ] as const) {
    const result = await ask(channel, payload, client);
    assert.equal(result.ok, false, `${channel} ${JSON.stringify(payload).slice(0, 60)}`);
    if (!result.ok) {
      assert.equal(result.error.code, 'INVALID_REQUEST');
      assert.match(result.error.message, new RegExp(`The ${channel.replace('.', '\\.')} request is not valid: ${path}`));
    }
  }
  // Without a window to stream to (a transport that names none), no shell opens.
  const nowhere = await ask('terminal.open', { instanceId: instance.id, cols: 80, rows: 24 });
  assert.equal(nowhere.ok, false);
  assert.equal(core.terminals.count, 0);
});

test("a terminal answers only its own window, and ends with that window's connection", async () => {
  const a = fakeWindow('w-a');
  const b = fakeWindow('w-b');
  const opened = await ask('terminal.open', { instanceId: instance.id, cols: 80, rows: 24 }, a.client);
  assert.ok(opened.ok, JSON.stringify(opened));
  const { terminalId } = opened.result as { terminalId: string };

  // Another window can neither type into it, resize nor close it: to it, it does not exist.
  for (const [channel, payload] of [
    ['terminal.input', { terminalId, data: 'echo stolen\n' }],
    ['terminal.resize', { terminalId, cols: 90, rows: 30 }],
    ['terminal.close', { terminalId }],
  ] as const) {
    const result = await ask(channel, payload, b.client);
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.error.message, 'That terminal has ended.');
  }
  assert.ok((await ask('terminal.input', { terminalId, data: 'echo mine-$((40+2)); sleep 600\n' }, a.client)).ok);
  await until(() => a.output().includes('mine-42'), 'the shell answering');
  assert.equal(b.events.length, 0, 'the other window got nothing');
  assert.ok((await markedProcesses()) >= 2, 'shell and sleep run');

  // The window goes (closed, crashed, socket dropped): its shell and the sleep go too.
  a.go();
  await until(async () => (await markedProcesses()) === 0, 'the shell ending');
  assert.equal(core.terminals.count, 0);
  assert.ok(a.events.some((e) => e.event === 'terminal.exit'), 'the window was told');
});

test('a paste of many pieces arrives whole, in order', async () => {
  const w = fakeWindow('w-paste');
  const opened = await ask('terminal.open', { instanceId: instance.id, cols: 200, rows: 24 }, w.client);
  assert.ok(opened.ok);
  const { terminalId } = opened.result as { terminalId: string };
  // 3 pieces of at most MAX_TERMINAL_INPUT characters, as the window splits a long paste.
  // Short lines (a terminal's line discipline holds at most 4095 characters of one line).
  const lines = Array.from({ length: 1500 }, (_, i) => `w${i}`).join('\n');
  const line = `wc -l <<'END'\n${lines}\nEND\n`;
  for (let i = 0; i < line.length; i += MAX_TERMINAL_INPUT) {
    assert.ok((await ask('terminal.input', { terminalId, data: line.slice(i, i + MAX_TERMINAL_INPUT) }, w.client)).ok);
  }
  await until(() => /\r1500\r\n/.test(w.output()), () => `the count of 1500 lines (output ends ${JSON.stringify(w.output().slice(-200))})`);
  assert.ok((await ask('terminal.close', { terminalId }, w.client)).ok);
  await until(async () => (await markedProcesses()) === 0, 'the shell ending');
});
