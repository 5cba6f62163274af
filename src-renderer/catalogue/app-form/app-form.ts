// The app editor's form as a whole: the common part, the chosen backend's part (from the
// registry, src-renderer/catalogue/app-form/sections.tsx), and the request they make,
// checked with the shared schema (the main process checks again). Messages are keyed by
// a field's name in the page (`name`, `image`, `proxmox-vmid`).
import { appInputSchema, type AppConfig } from '../../../src-shared/app-config';
import type { App } from '../../../src-shared/model';
import { issueMessage } from '../../store/zod-messages';
import { buildCommon, commonApplies, commonFieldOfPath, commonFromApp, emptyCommon, type CommonFormValues } from './common-form';
import type { AppProvider, SectionForm } from './section-form';

/** What any backend's values look like to the form as a whole. */
export type SectionValues = Record<string, string | boolean>;
export type AppForms = { readonly [K in AppProvider]: SectionForm<SectionValues> };

/**
 * A backend's form as a registry holds it. The form as a whole hands each backend only
 * the values its own `empty` or `fromApp` made, so forgetting their exact type is safe.
 */
export function anySectionForm<V extends object>(form: SectionForm<V>): SectionForm<SectionValues> {
  return form as unknown as SectionForm<SectionValues>;
}

export interface AppFormValues {
  provider: AppProvider;
  common: CommonFormValues;
  /** Every backend's values: switching back and forth keeps what was typed. */
  sections: Record<AppProvider, SectionValues>;
}

/** By field name in the page. */
export type AppFormErrors = Partial<Record<string, string>>;

const PROVIDERS = (forms: AppForms) => Object.keys(forms) as AppProvider[];

export function emptyAppForm(forms: AppForms): AppFormValues {
  const sections = Object.fromEntries(PROVIDERS(forms).map((kind) => [kind, forms[kind].empty()])) as AppFormValues['sections'];
  return { provider: 'docker', common: emptyCommon(), sections };
}

/** The editor's values for an app; the other backends' fields keep their defaults. */
export function formFromApp(app: App, forms: AppForms): AppFormValues {
  const sections = Object.fromEntries(
    PROVIDERS(forms).map((kind) => [kind, kind === app.provider ? forms[kind].fromApp(app) : forms[kind].empty()]),
  ) as AppFormValues['sections'];
  return { provider: app.provider, common: commonFromApp(app), sections };
}

/** Whether a field (by its name in the page) is shown and checked for the form's current choices. */
export function fieldApplies(values: AppFormValues, key: string, forms: AppForms): boolean {
  if (key === 'provider') return true;
  if (Object.hasOwn(values.common, key)) return commonApplies(values.common, key as keyof CommonFormValues);
  const form = forms[values.provider];
  const own = values.sections[values.provider];
  const field = key.startsWith(form.keyPrefix) ? key.slice(form.keyPrefix.length) : null;
  return field !== null && Object.hasOwn(own, field) && form.applies(own, field);
}

/** Where in the form a schema path (of the request's app) is edited. */
export function fieldOfPath(path: readonly PropertyKey[], values: AppFormValues, forms: AppForms): string {
  const top = path[0];
  if (typeof top === 'string' && Object.hasOwn(forms, top)) {
    const kind = top as AppProvider;
    return forms[kind].keyPrefix + forms[kind].fieldOfPath(path.slice(1), values.sections[kind]);
  }
  return commonFieldOfPath(path);
}

/**
 * Builds the request from the form. `errors` is empty exactly when `input` passes the
 * shared schema (and is then the schema's output, trimmed). Only the chosen backend's
 * fields (and, within it, those its choices show) are read.
 */
export function buildAppInput(values: AppFormValues, forms: AppForms): { input: AppConfig; errors: AppFormErrors } {
  const common = buildCommon(values.common);
  const form = forms[values.provider];
  const section = form.build(values.sections[values.provider]);
  const errors: AppFormErrors = { ...common.errors };
  for (const [field, message] of Object.entries(section.errors)) errors[form.keyPrefix + field] = message;

  const input = { ...common.config, ...section.config } as AppConfig;
  const parsed = appInputSchema.safeParse(input);
  if (parsed.success) return { input: parsed.data, errors };
  for (const issue of parsed.error.issues) {
    const key = fieldOfPath(issue.path, values, forms);
    // A field the form could not read keeps its own message.
    if (errors[key] === undefined) errors[key] = issueMessage(issue);
  }
  return { input, errors };
}
