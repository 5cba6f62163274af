// policy.json: what an administrator sets machine-wide. One zod schema per part; the
// lenient reader (policy.ts) checks each part on its own, and the published JSON Schema
// (resources/policy/policy.schema.json) is generated from the same parts.
import { z } from 'zod';
import { managedCatalogueEntrySchema } from '../../src-shared/app-config';
import { DOCKER_URL_MESSAGE, DOCKER_URL_PATTERN, PLAIN_TCP_MESSAGE, isRefusedPlainTcp } from '../../src-shared/docker-endpoint-url';
import { settingsLayerSchema } from '../../src-shared/settings';

export const POLICY_SCHEMA_URL = 'https://daas-desktop.invalid/schemas/policy.schema.json';
export const SETTINGS_SCHEMA_URL = 'https://daas-desktop.invalid/schemas/settings.schema.json';

const managedId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'ids are lower-case letters, digits and -, up to 63 characters');
const absolutePath = z
  .string()
  .min(1)
  .max(1024)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), { message: 'give an absolute path' });

/** A catalogue entry the administrator manages: added at every start, not editable in the app. */
export const policyAppSchema = z.intersection(
  managedCatalogueEntrySchema,
  z.object({ id: z.string({ error: 'give every policy app an id, so it stays the same app from one start to the next' }) }),
);

export const policyDockerEndpointSchema = z
  .object({
    id: managedId,
    name: z.string().trim().min(1, 'give the endpoint a name').max(80),
    url: z.string().trim().regex(DOCKER_URL_PATTERN, DOCKER_URL_MESSAGE),
    /** Mutual TLS for tcp:// endpoints: PEM files every user of this computer can read. */
    tls: z
      .object({ caFile: absolutePath, certFile: absolutePath, keyFile: absolutePath })
      .strict()
      .optional()
      .describe('PEM files for mutual TLS (tcp:// only).'),
  })
  .strict()
  .refine((e) => !isRefusedPlainTcp(e.url, e.tls !== undefined), { message: PLAIN_TCP_MESSAGE, path: ['url'] });

export const policyProxmoxEndpointSchema = z
  .object({
    id: managedId,
    name: z.string().trim().min(1, 'give the endpoint a name').max(80),
    url: z.string().trim().regex(/^https:\/\/[^/\s]+(:\d+)?\/?$/, 'use https://host:8006'),
    /** USER@REALM!TOKENID. Each user enters the token secret; it never belongs in this file. */
    tokenId: z
      .string()
      .regex(/^[^@\s!]+@[^@\s!]+![A-Za-z][A-Za-z0-9._-]*$/, 'write the token id as USER@REALM!TOKENID')
      .optional(),
    fingerprintSha256: z
      .string()
      .regex(/^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/, 'a SHA-256 fingerprint: 64 hex digits, colons optional')
      .optional(),
  })
  .strict();

export const policySections = {
  $schema: z.string().optional(),
  version: z.literal(1),
  recommended: settingsLayerSchema.optional().describe('Defaults the user may change.'),
  locked: settingsLayerSchema.optional().describe('Values the user cannot change: shown as managed by your administrator.'),
  apps: z.array(policyAppSchema).max(1000).optional().describe('Apps added to every catalogue; users cannot edit or delete them.'),
  dockerEndpoints: z.array(policyDockerEndpointSchema).max(100).optional().describe('Docker endpoints every user gets; users cannot edit or delete them.'),
  proxmoxEndpoints: z.array(policyProxmoxEndpointSchema).max(100).optional().describe('Proxmox VE endpoints every user gets (each user enters the token secret).'),
};

export const policyFileSchema = z.object(policySections).strict();

export type PolicyApp = z.output<typeof policyAppSchema>;
export type PolicyDockerEndpoint = z.output<typeof policyDockerEndpointSchema>;
export type PolicyProxmoxEndpoint = z.output<typeof policyProxmoxEndpointSchema>;

/** The JSON Schema published as resources/policy/policy.schema.json. */
export function policyJsonSchema(): object {
  return {
    ...z.toJSONSchema(policyFileSchema, { io: 'input' }),
    $id: POLICY_SCHEMA_URL,
    title: 'DaaS Desktop administrator policy',
    description:
      'Machine-wide policy: Linux /etc/daas-desktop/policy.json, Windows %PROGRAMDATA%\\DaaS Desktop\\policy.json, macOS /Library/Application Support/DaaS Desktop/policy.json. See docs/admin.md.',
  };
}

/** The JSON Schema of packaged defaults (resources/defaults/settings.json, resources/admin/settings.json). */
export function settingsJsonSchema(): object {
  return {
    ...z.toJSONSchema(settingsLayerSchema.extend({ $schema: z.string().optional() }), { io: 'input' }),
    $id: SETTINGS_SCHEMA_URL,
    title: 'DaaS Desktop packaged default settings',
  };
}

/** The published schema files, by path relative to the project root (the generator writes these). */
export function publishedSchemas(): Record<string, object> {
  return {
    'resources/policy/policy.schema.json': policyJsonSchema(),
    'resources/policy/settings.schema.json': settingsJsonSchema(),
  };
}
