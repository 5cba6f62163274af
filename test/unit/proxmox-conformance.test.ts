// Every route and parameter the Proxmox API emulator implements must exist in the official
// schema (../shared/proxmox/apidata.json, AGPL test data read here only) with the same
// method, type and required flag, and the emulator must declare every required parameter.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROUTES } from '../fixtures/proxmox/routes';

const repoRoot = path.resolve(__dirname, '../..');
const SCHEMA = path.resolve(repoRoot, '../shared/proxmox/apidata.json');

interface SchemaParam {
  type?: string;
  optional?: number;
  minimum?: number;
  maximum?: number;
  enum?: string[];
  format?: unknown;
  maxLength?: number;
}

interface SchemaMethod {
  parameters?: { properties?: Record<string, SchemaParam> };
  permissions?: { user?: string };
  allowtoken?: number;
}

interface SchemaNode {
  path: string;
  info?: Record<string, SchemaMethod>;
  children?: SchemaNode[];
}

function index(nodes: SchemaNode[], into = new Map<string, SchemaNode>()): Map<string, SchemaNode> {
  for (const n of nodes) {
    into.set(n.path, n);
    if (n.children) index(n.children, into);
  }
  return into;
}

const present = existsSync(SCHEMA);
if (!present) {
  console.warn(
    `\n${'!'.repeat(78)}\n!!! Proxmox API schema MISSING: ${SCHEMA}\n` +
      '!!! The emulator conformance test is SKIPPED. Put pve-docs apidata.json there to run it.\n' +
      `${'!'.repeat(78)}\n`,
  );
}

describe('Proxmox emulator conforms to the official API schema', { skip: present ? false : `schema file missing: ${SCHEMA}` }, () => {
  const schema = present ? index(JSON.parse(readFileSync(SCHEMA, 'utf8')) as SchemaNode[]) : new Map<string, SchemaNode>();

  it('knows a reasonable number of routes (the file is the full schema)', () => {
    assert.ok(schema.size > 300, `only ${schema.size} paths in ${SCHEMA}`);
    assert.ok(ROUTES.length >= 20, 'the emulator implements the routes the provider uses');
  });

  for (const route of ROUTES) {
    describe(`${route.method} ${route.path}`, () => {
      const method = (): SchemaMethod => {
        const node = schema.get(route.path);
        assert.ok(node, `path ${route.path} is not in the schema`);
        const info = node.info?.[route.method];
        assert.ok(info, `${route.method} is not a method of ${route.path} (it has ${Object.keys(node.info ?? {}).join(', ')})`);
        return info;
      };

      it('exists with this method', () => {
        method();
      });

      it('declares only schema parameters, with the same type, range and required flag', () => {
        const props = method().parameters?.properties ?? {};
        for (const [name, spec] of Object.entries(route.params)) {
          const official = props[name];
          assert.ok(official, `parameter ${name} is not in the schema (it has ${Object.keys(props).join(', ')})`);
          assert.equal(spec.type, official.type, `type of ${name}`);
          assert.equal(!!spec.optional, !!official.optional, `${name} is ${official.optional ? 'optional' : 'required'} in the schema`);
          if (spec.minimum !== undefined || official.minimum !== undefined) assert.equal(spec.minimum, official.minimum, `minimum of ${name}`);
          if (spec.maximum !== undefined || official.maximum !== undefined) assert.equal(spec.maximum, official.maximum, `maximum of ${name}`);
          if (spec.maxLength !== undefined) assert.equal(spec.maxLength, official.maxLength, `maxLength of ${name}`);
          if (spec.enum) assert.deepEqual([...spec.enum].sort(), [...(official.enum ?? [])].sort(), `enum of ${name}`);
          if (spec.format) assert.equal(spec.format, official.format, `format of ${name}`);
        }
      });

      it('declares every parameter the schema requires', () => {
        const props = method().parameters?.properties ?? {};
        const required = Object.entries(props).filter(([, p]) => !p.optional).map(([n]) => n);
        for (const name of required) assert.ok(route.params[name], `required parameter ${name} is not declared by the emulator`);
      });

      it('authenticates as the schema says', () => {
        const info = method();
        if (route.auth === false) {
          assert.equal(info.permissions?.user, 'world', 'only world-accessible calls may skip authentication');
        } else {
          assert.notEqual(info.permissions?.user, 'world');
          assert.equal(info.allowtoken, 1, 'the provider uses API tokens on this call');
        }
      });
    });
  }
});
