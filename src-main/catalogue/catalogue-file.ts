// Catalogue import and export: one JSON file, validated entry by entry, so a bad file
// changes nothing and names the entry that is wrong.
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
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw invalid(errorText('error.catalogue.notJson', { detail: (err as Error).message }));
  }
  const file = catalogueFileSchema.safeParse(json);
  if (!file.success) throw invalid(errorText('error.catalogue.notCatalogue', { problem: describeIssue(file.error.issues[0]!) }));

  const seen = new Set<string>();
  return file.data.apps.map((raw, index) => {
    const label = { number: index + 1, name: typeof (raw as { name?: unknown })?.name === 'string' ? ` ("${(raw as { name: string }).name}")` : '' };
    if (!options.managed && (raw as { docker?: { security?: unknown } } | null)?.docker?.security !== undefined) {
      throw invalid(errorText('error.catalogue.entrySetsSecurity', label));
    }
    const parsed = (options.managed ? managedCatalogueEntrySchema : catalogueEntrySchema).safeParse(raw);
    if (!parsed.success) throw invalid(errorText('error.catalogue.entryInvalid', { ...label, problem: describeIssue(parsed.error.issues[0]!) }));
    const { id, ...config } = parsed.data;
    const appId = id ?? newAppId(config.name);
    if (!APP_ID_PATTERN.test(appId)) throw invalid(errorText('error.catalogue.entryBadId', label));
    if (seen.has(appId)) throw invalid(errorText('error.catalogue.entryRepeatsId', { ...label, id: appId }));
    seen.add(appId);
    return { id: appId, config };
  });
}
