// Reads the administrator's policy.json. An invalid policy never stops the app: each bad
// part is left out and named in `problems`, which the app shows as a banner.
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import {
  policyAppSchema,
  policyDockerEndpointSchema,
  policyProxmoxEndpointSchema,
  type PolicyApp,
  type PolicyDockerEndpoint,
  type PolicyProxmoxEndpoint,
} from './policy-schema';
import { composeText, errorText, type ErrorText } from '../../src-shared/error-texts';
import { describeIssue, parseSettingsLayer, problemLists, type SettingsValues } from '../../src-shared/settings';

export interface Policy {
  recommended: Partial<SettingsValues>;
  locked: Partial<SettingsValues>;
  apps: PolicyApp[];
  dockerEndpoints: PolicyDockerEndpoint[];
  proxmoxEndpoints: PolicyProxmoxEndpoint[];
}

export interface LoadedPolicy {
  policy: Policy;
  /** The file the policy came from; null when there is none. */
  file: string | null;
  /** Human-readable, one line each: what was ignored and why. Empty when all is well. */
  problems: string[];
  /** The same lines by key and parameters, for windows to show in their language. */
  problemTexts: ErrorText[];
}

export const EMPTY_POLICY: Readonly<Policy> = Object.freeze({ recommended: {}, locked: {}, apps: [], dockerEndpoints: [], proxmoxEndpoints: [] });

const SECTIONS = ['$schema', 'version', 'recommended', 'locked', 'apps', 'dockerEndpoints', 'proxmoxEndpoints'];

/** Where the machine-wide policy lives on each platform. */
export function machinePolicyFile(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  switch (platform) {
    case 'win32':
      return path.win32.join(env.PROGRAMDATA || env.ALLUSERSPROFILE || 'C:\\ProgramData', 'DaaS Desktop', 'policy.json');
    case 'darwin':
      return '/Library/Application Support/DaaS Desktop/policy.json';
    default:
      return '/etc/daas-desktop/policy.json';
  }
}

function entryLabel(raw: unknown, index: number): string {
  const record = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const name = typeof record.id === 'string' ? record.id : typeof record.name === 'string' ? record.name : undefined;
  return name === undefined ? `[${index}]` : `[${index}] ("${name.slice(0, 60)}")`;
}

function parseList<S extends z.ZodType<{ id: string }>>(raw: unknown, section: string, schema: S, problems: ErrorText[]): z.output<S>[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    problems.push(errorText('problem.policy.notList', { section }));
    return [];
  }
  const seen = new Set<string>();
  const kept: z.output<S>[] = [];
  raw.forEach((entry, index) => {
    const where = `${section}${entryLabel(entry, index)}`;
    const parsed = schema.safeParse(entry);
    if (!parsed.success) {
      problems.push(errorText('problem.policy.entryInvalid', { where, issue: describeIssue(parsed.error.issues[0]!) }));
      return;
    }
    const data = parsed.data as z.output<S> & { id: string };
    if (seen.has(data.id)) {
      problems.push(errorText('problem.policy.entryRepeatsId', { where, id: data.id }));
      return;
    }
    seen.add(data.id);
    kept.push(data);
  });
  return kept;
}

/** Parses policy text leniently. `source` names the file in problems. Never throws. */
export function parsePolicy(text: string, source: string): LoadedPolicy {
  const problems: ErrorText[] = [];
  const inFile = (line: ErrorText) => composeText('problem.inFile', { file: source, line });
  const fail = (line: ErrorText): LoadedPolicy => ({ policy: { ...EMPTY_POLICY }, file: source, ...problemLists([inFile(line)]) });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return fail(errorText('problem.policy.notJson', { detail: (err as Error).message }));
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail(errorText('problem.policy.notObject'));
  const raw = json as Record<string, unknown>;

  if (!Object.hasOwn(raw, 'version')) problems.push(errorText('problem.policy.versionMissing'));
  else if (raw.version !== 1) problems.push(errorText('problem.policy.versionUnsupported', { version: String(JSON.stringify(raw.version)) }));
  for (const key of Object.keys(raw)) {
    if (!SECTIONS.includes(key)) problems.push(errorText('problem.policy.unknownSection', { key, known: SECTIONS.slice(2).join(', ') }));
  }
  const recommended = parseSettingsLayer(raw.recommended, 'recommended');
  const locked = parseSettingsLayer(raw.locked, 'locked');
  problems.push(...recommended.problemTexts, ...locked.problemTexts);
  const policy: Policy = {
    recommended: recommended.values,
    locked: locked.values,
    apps: parseList(raw.apps, 'apps', policyAppSchema, problems),
    dockerEndpoints: parseList(raw.dockerEndpoints, 'dockerEndpoints', policyDockerEndpointSchema, problems),
    proxmoxEndpoints: parseList(raw.proxmoxEndpoints, 'proxmoxEndpoints', policyProxmoxEndpointSchema, problems),
  };
  return { policy, file: source, ...problemLists(problems.map(inFile)) };
}

export interface PolicyLocation {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** The policy an installer carries (resources/admin/policy.json), used when the machine has none. */
  packagedFile?: string;
}

function readIfPresent(file: string): { text: string } | { missing: true } | { error: ErrorText } {
  try {
    return { text: fs.readFileSync(file, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { missing: true };
    return { error: composeText('problem.inFile', { file, line: errorText('problem.policy.unreadable', { detail: code ?? (err as Error).message }) }) };
  }
}

/**
 * Reads the policy at start-up (synchronously: a few small files, before any window
 * or connection exists). The machine-wide file wins; without one, the installer's
 * packaged policy applies. `DAAS_POLICY_FILE` replaces the machine-wide path (tests).
 */
export function loadPolicy(location: PolicyLocation = {}): LoadedPolicy {
  const env = location.env ?? process.env;
  const machineFile = env.DAAS_POLICY_FILE || machinePolicyFile(location.platform, env);
  for (const file of [machineFile, location.packagedFile]) {
    if (!file) continue;
    const read = readIfPresent(file);
    if ('missing' in read) continue;
    if ('error' in read) return { policy: { ...EMPTY_POLICY }, file, ...problemLists([read.error]) };
    return parsePolicy(read.text, file);
  }
  return { policy: { ...EMPTY_POLICY }, file: null, ...problemLists([]) };
}
