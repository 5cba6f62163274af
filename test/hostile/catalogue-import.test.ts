// Hostile catalogue files: prototype keys, huge strings, deep nesting, a million values and
// 5 MB. Each is previewed and "imported" (with a forged token and, where a preview came
// back, its own); every answer is a typed refusal or a preview, the process stays up, no
// prototype is polluted and the apps table is unchanged, row for row.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Core } from '../../src-main/core';
import type { ImportPreview, Result } from '../../src-shared/contract';
import { appRows, catalogueFile } from '../helpers/catalogue-rows';
import { openCore, tempDataDir, TEST_HOST } from '../helpers/core';
import { ServeProcess } from '../helpers/serve-process';

const MB = 1024 * 1024;
const entry = (extra: object = {}) => ({ name: 'Hostile', provider: 'docker', docker: { image: 'a/b:1' }, ...extra });
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

/** name -> file text, and what a person is told (a refusal's message), or 'preview' where the file is a valid catalogue. */
function hostileFiles(limit: number): [string, string, RegExp | 'preview'][] {
  const files: [string, string, RegExp | 'preview'][] = [
    ['__proto__ at the top', '{"__proto__": {"version": 1, "apps": []}}', /not a DaaS Desktop catalogue/],
    ['constructor.prototype at the top', '{"version": 1, "apps": [], "constructor": {"prototype": {"polluted": true}}}', /not a DaaS Desktop catalogue/],
    ['__proto__ in an entry', `{"version": 1, "apps": [{"__proto__": {"id": "linux-desktop", "polluted": true}, "name": "P", "provider": "docker", "docker": {"image": "a/b:1"}}]}`, /Entry 1 \("P"\) is invalid/],
    ['__proto__ as provider', catalogueFile({ name: 'P', provider: '__proto__', __proto__: {} }), /Entry 1 \("P"\) is invalid/],
    ['prototype names as id, image and env', `{"version": 1, "apps": [{"id": "constructor", "name": "C", "provider": "docker", "docker": {"image": "constructor", "env": {"constructor": "x", "toString": "y", "__proto__": {"VNC_PASSWORD": "z"}}}}]}`, 'preview'],
    ['display.__proto__', catalogueFile(entry({ display: JSON.parse('{"__proto__": {"gateway": "guacd", "guacd": {"host": "evil.example"}}}') })), /Entry 1 \("Hostile"\) is invalid/],
    ['brackets and quotes inside strings', catalogueFile(entry({ name: '[{"\\\\', description: `${nested(200)}"{{{{` })), 'preview'],
    ['a huge name', catalogueFile(entry({ name: 'N'.repeat(limit) })), /Entry 1 \("N{80}"\) is invalid: name/],
    ['a huge id', catalogueFile(entry({ id: 'a'.repeat(limit) })), /Entry 1 \("Hostile"\) is invalid: id/],
    ['a huge environment value', catalogueFile(entry({ docker: { image: 'a/b:1', env: { BIG: 'v'.repeat(limit) } } })), /docker\.env\.BIG/],
    ['a huge memory value', catalogueFile(entry({ docker: { image: 'a/b:1', memory: `${'9'.repeat(Math.min(limit, 100_000))}g` } })), /memory must be at most 1024g/],
    ['deep nesting as an entry', `{"version": 1, "apps": [${nested(Math.min(limit / 4, 500_000))}]}`, /more than 32 levels deep/],
    ['deep nesting inside a field', catalogueFile(entry({ docker: { image: 'a/b:1', env: { A: JSON.parse(nested(40)) } } })), /more than 32 levels deep/],
    ['unbalanced nesting', `{"version": 1, "apps": [${'['.repeat(Math.min(limit / 4, 500_000))}`, /more than 32 levels deep/],
    ['a million values', `{"version": 1, "apps": [${Array(Math.floor(limit / 2.2)).fill('0').join(',')}]}`, /more than 200000 values/],
    ['not JSON', `{"version": 1, "apps": [${'x'.repeat(limit)}`, /not valid JSON/],
    ['more entries than a catalogue holds', catalogueFile(...Array.from({ length: 1001 }, () => entry())), /not a DaaS Desktop catalogue/],
  ];
  return files;
}

/** Every answer is a typed refusal naming the problem, or a preview; never INTERNAL. */
function checkAnswer(name: string, result: Result<unknown>, expected: RegExp | 'preview'): ImportPreview | null {
  if (expected === 'preview') {
    assert.ok(result.ok, `${name}: a valid file is previewed (${result.ok ? '' : result.error.message})`);
    return result.result as ImportPreview;
  }
  assert.equal(result.ok, false, `${name}: refused`);
  if (result.ok) return null;
  assert.equal(result.error.code, 'INVALID_REQUEST', `${name}: ${result.error.message}`);
  assert.match(result.error.message, expected, name);
  assert.ok(result.error.message.length < 2000, `${name}: the message stays short (${result.error.message.length} characters)`);
  return null;
}

function assertNoPollution(): void {
  const probe = {} as Record<string, unknown>;
  assert.equal(probe.polluted, undefined, 'Object.prototype is not polluted');
  assert.equal(probe.VNC_PASSWORD, undefined);
  assert.equal(probe.id, undefined);
}

test('in the core: hostile files up to 5 MB are refused or previewed, the apps table is unchanged', async (t) => {
  const dataDir = await tempDataDir();
  const core: Core = await openCore(dataDir);
  try {
    const rowsBefore = appRows(dataDir);
    const files = hostileFiles(4 * MB);
    // A 5 MB file (the contract's limit): 1000 entries padded with whitespace; one byte more is refused by the contract.
    const full = catalogueFile(...Array.from({ length: 1000 }, (_, i) => entry({ id: `app-${i}`, description: 'd'.repeat(900) })));
    const fiveMb = full.slice(0, -2) + ' '.repeat(5 * MB - full.length) + full.slice(-2);
    assert.equal(fiveMb.length, 5 * MB);
    files.push(['5 MB of catalogue', fiveMb, 'preview']);

    for (const [name, json, expected] of files) {
      const started = process.hrtime.bigint();
      const shown = checkAnswer(name, await core.handle('catalogue.previewImport', { json }, TEST_HOST), expected);
      t.diagnostic(`${name}: ${(json.length / MB).toFixed(2)} MB, answered in ${Number(process.hrtime.bigint() - started) / 1e6} ms`);
      const forged = await core.handle('catalogue.import', { json, previewToken: 'A'.repeat(43) }, TEST_HOST);
      assert.equal(forged.ok, false, `${name}: a forged token imports nothing`);
      assertNoPollution();
      assert.deepEqual(appRows(dataDir), rowsBefore, `${name}: the apps table is unchanged`);
      if (shown) assert.ok(shown.entries.every((e) => e.action === 'add'), `${name}: previewed as new apps only`);
    }

    const tooLarge = await core.handle('catalogue.previewImport', { json: `${fiveMb} ` }, TEST_HOST);
    assert.equal(tooLarge.ok, false);
    if (!tooLarge.ok) assert.match(tooLarge.error.message, /catalogue\.previewImport.*json/);
    for (const json of [{}, 5, null, ['{}']]) {
      assert.equal((await core.handle('catalogue.previewImport', { json }, TEST_HOST)).ok, false, `json: ${JSON.stringify(json)}`);
    }
    assert.deepEqual(appRows(dataDir), rowsBefore);
    assert.ok((await core.handle('apps.list', {}, TEST_HOST)).ok, 'the core still answers');
  } finally {
    await core.close();
  }
});

let serve: ServeProcess;
let serveDir: string;
before(async () => {
  serveDir = await tempDataDir();
  serve = await ServeProcess.start(serveDir);
});
after(async () => serve?.stop());

test('over the real WebSocket: hostile files leave the serve process up and its apps table unchanged', async () => {
  // Under the API socket's 1 MiB message limit (a larger message is the host's concern, finding 3).
  await serve.request('apps.list');
  const rowsBefore = appRows(path.resolve(serveDir));
  for (const [name, json, expected] of hostileFiles(900 * 1024)) {
    const answer = await serve.request<ImportPreview>('catalogue.previewImport', { json }).then(
      (result) => ({ ok: true as const, result }),
      (err: Error) => ({ ok: false as const, error: { code: 'INVALID_REQUEST' as const, message: err.message, action: '' } }),
    );
    checkAnswer(name, answer, expected);
    await assert.rejects(serve.request('catalogue.import', { json, previewToken: 'A'.repeat(43) }), Error, `${name}: a forged token imports nothing`);
    assert.equal(serve.child.exitCode, null, `${name}: the process is up`);
  }
  assert.ok(Array.isArray(await serve.request('apps.list')), 'it still answers');
  assert.deepEqual(appRows(serveDir), rowsBefore);
});
