// Catalogue import and export: one JSON file, validated entry by entry, so a bad file
// changes nothing and names the entry that is wrong.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { APP_ID_PATTERN, catalogueEntrySchema, catalogueFileSchema, managedCatalogueEntrySchema, type AppConfig } from '../../src-shared/app-config';
import { DaasError } from '../../src-shared/errors';
import { errorText, type ErrorText } from '../../src-shared/error-texts';
import type { App } from '../../src-shared/model';
import { newAppId } from '../store/apps-repository';

export const CATALOGUE_SCHEMA_URL = 'https://daas-desktop.invalid/schemas/catalogue.schema.json';

/** The JSON Schema published in resources/schemas for people who write catalogues by hand. */
export function catalogueJsonSchema(): object {
  return {
    ...z.toJSONSchema(catalogueFileSchema.extend({ apps: z.array(catalogueEntrySchema) }), { io: 'input' }),
    $id: CATALOGUE_SCHEMA_URL,
    title: 'DaaS Desktop catalogue',
  };
}

export function exportCatalogue(apps: readonly App[]): string {
  // No secrets: the display password lives sealed in the store (App carries only whether it is set).
  // docker.security is the administrator's: an import refuses it, so an export leaves it out.
  const entries = apps.map(({ builtIn: _builtIn, managed: _managed, displayPasswordSet: _set, ...app }) => {
    if (app.provider !== 'docker') return app;
    const { security: _security, ...docker } = app.docker;
    return { ...app, docker };
  });
  return JSON.stringify({ $schema: CATALOGUE_SCHEMA_URL, version: 1, apps: entries }, null, 2) + '\n';
}

/**
 * A catalogue nests 5 levels and holds a few values per app. Far deeper or larger JSON is not
 * one, and JSON.parse would hold the main process for seconds on it (1e6 nested brackets: ~2 s),
 * so one linear pass refuses it first.
 */
const MAX_DEPTH = 32;
const MAX_VALUES = 200_000;

function shapeProblem(text: string): 'tooDeep' | 'tooMany' | null {
  let depth = 0;
  let values = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_DEPTH) return 'tooDeep';
    } else if (c === 0x7d || c === 0x5d) depth--;
    else if (c !== 0x2c) continue; // only strings, containers and commas count as values
    if (++values > MAX_VALUES) return 'tooMany';
  }
  return null;
}

/** JSON.parse's "at position N" as the line and column an editor shows. */
function withLineAndColumn(message: string, text: string): string {
  const at = /\s*(?:in JSON )?at position (\d+)(?: \(line \d+ column \d+\))?$/.exec(message);
  if (!at) return message;
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message.slice(0, at.index)} at line ${line}, column ${column}`;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
}

/**
 * Parses a catalogue file; throws a DaasError naming the first bad entry. Only the
 * administrator's files (`managed`: the packaged catalogue) may set docker.security.
 */
export function parseCatalogue(text: string, options: { managed?: boolean } = {}): { id: string; config: AppConfig }[] {
  const invalid = (message: ErrorText) => new DaasError('INVALID_REQUEST', message, errorText('fix.catalogue.fixFile'));
  const shape = shapeProblem(text);
  if (shape) throw invalid(errorText(shape === 'tooDeep' ? 'error.catalogue.tooDeep' : 'error.catalogue.tooManyValues', { max: shape === 'tooDeep' ? MAX_DEPTH : MAX_VALUES }));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw invalid(errorText('error.catalogue.notJson', { detail: withLineAndColumn((err as Error).message, text) }));
  }
  const file = catalogueFileSchema.safeParse(json);
  if (!file.success) throw invalid(errorText('error.catalogue.notCatalogue', { problem: describeIssue(file.error.issues[0]!) }));

  const seen = new Set<string>();
  return file.data.apps.map((raw, index) => {
    // A name quoted in an error stays short, whatever the file holds.
    const name = (raw as { name?: unknown } | null)?.name;
    const label = { number: index + 1, name: typeof name === 'string' ? ` ("${name.slice(0, 80)}")` : '' };
    if (!options.managed && (raw as { docker?: { security?: unknown } } | null)?.docker?.security !== undefined) {
      throw invalid(errorText('error.catalogue.entrySetsSecurity', label));
    }
    const parsed = (options.managed ? managedCatalogueEntrySchema : catalogueEntrySchema).safeParse(raw);
    if (!parsed.success) throw invalid(errorText('error.catalogue.entryInvalid', { ...label, problem: describeIssue(parsed.error.issues[0]!) }));
    const { id, ...config } = parsed.data;
    // An entry without an id gets the same one each time the file is read: the import applies
    // exactly what its preview showed.
    const appId = id ?? newAppId(config.name, createHash('sha256').update(`${index}\0${text}`).digest('hex').slice(0, 4));
    if (!APP_ID_PATTERN.test(appId)) throw invalid(errorText('error.catalogue.entryBadId', label));
    if (seen.has(appId)) throw invalid(errorText('error.catalogue.entryRepeatsId', { ...label, id: appId }));
    seen.add(appId);
    return { id: appId, config };
  });
}
