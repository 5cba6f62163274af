// The published policy schema is generated from the zod schemas and must stay current;
// the example policy an admin starts from must be valid by both.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import { parsePolicy } from '../../src-main/config/policy';
import { policyFileSchema, policySections, publishedSchemas } from '../../src-main/config/policy-schema';
import { SETTING_KEYS } from '../../src-shared/settings';

const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(path.resolve(file), 'utf8'));

test('resources/policy/*.schema.json are current (regenerate: node --import tsx src-main/config/write-policy-schemas.ts)', () => {
  for (const [file, schema] of Object.entries(publishedSchemas())) {
    assert.deepEqual(readJson(file), JSON.parse(JSON.stringify(schema)), `${file} is stale`);
  }
});

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validatePolicy = ajv.compile(readJson('resources/policy/policy.schema.json') as object);
const validateSettings = ajv.compile(readJson('resources/policy/settings.schema.json') as object);

test('the example policy is valid by the zod schema, the published JSON Schema and the lenient reader', () => {
  const text = fs.readFileSync(path.resolve('resources/policy/policy.example.json'), 'utf8');
  const zod = policyFileSchema.safeParse(JSON.parse(text));
  assert.ok(zod.success, zod.success ? '' : JSON.stringify(zod.error.issues));
  assert.ok(validatePolicy(JSON.parse(text)), JSON.stringify(validatePolicy.errors));
  assert.deepEqual(parsePolicy(text, 'policy.example.json').problems, []);
});

test('the packaged default settings are valid by the published settings schema', () => {
  assert.ok(validateSettings(readJson('resources/defaults/settings.json')), JSON.stringify(validateSettings.errors));
});

test('the JSON Schema rejects what the reader reports', () => {
  const bad = [
    { version: 1, locked: { theme: 'neon' } },
    { version: 1, recommended: { readinessTimeoutSeconds: 1 } },
    { version: 1, locked: { colour: 'red' } },
    { version: 1, apps: [{ name: 'x', provider: 'docker', docker: { image: 'x' } }] },
    { version: 1, dockerEndpoints: [{ id: 'a', name: 'A', url: 'http://x' }] },
    { version: 2 },
    { version: 1, extras: true },
  ];
  for (const doc of bad) {
    assert.equal(validatePolicy(doc), false, JSON.stringify(doc));
    assert.ok(parsePolicy(JSON.stringify(doc), 'p').problems.length > 0, JSON.stringify(doc));
  }
});

test('docs/admin.md documents every setting and every policy section', () => {
  const doc = fs.readFileSync(path.resolve('docs/admin.md'), 'utf8');
  for (const key of SETTING_KEYS) assert.match(doc, new RegExp(`\\| \`${key}\` \\|`), `docs/admin.md: the settings table lacks ${key}`);
  for (const section of Object.keys(policySections)) assert.ok(doc.includes(`\`${section}\``), `docs/admin.md does not mention ${section}`);
});
