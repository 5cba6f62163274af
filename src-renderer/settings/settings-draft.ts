// The settings page's form as typed, made from the settings table (src-shared/settings.ts
// for values and limits, src-shared/setting-fields.ts for how each is shown): numbers stay
// text until they are checked; the change holds only what differs from the stored values.
import type { SettingsView } from '../../src-shared/contract';
import { SETTINGS_PAGE, SETTING_FIELDS, numberLimits, settingAllowsNull } from '../../src-shared/setting-fields';
import { settingSchemas, type SettingKey, type SettingsValues } from '../../src-shared/settings';
import { t, type MessageKey } from '../i18n/i18n';
import { issueMessage } from '../store/zod-messages';

/** Every word the tables name (titles, labels, hints, messages). */
type WordsIn<T> = T extends readonly (infer E)[]
  ? WordsIn<E>
  : T extends object
    ? { [K in keyof T]: K extends 'label' | 'hint' | 'notWhole' | 'empty' | 'title' ? T[K] : WordsIn<T[K]> }[keyof T]
    : never;
export type TableWord = WordsIn<typeof SETTING_FIELDS> | WordsIn<typeof SETTINGS_PAGE>;
type Assert<T extends true> = T;
/** Fails to compile when the tables name a message that src-renderer/i18n/messages lacks. */
export type TableWordsExist = Assert<[TableWord] extends [MessageKey] ? true : false>;

/** A message the tables name, with parameters where it has them. */
export function word(key: TableWord, params?: Record<string, string | number>): string {
  return (t as (key: MessageKey, params?: Record<string, string | number>) => string)(key, params);
}

/** The settings the page shows, in its order. */
export const SHOWN_KEYS: readonly SettingKey[] = SETTINGS_PAGE.flatMap((group) => group.keys);

export type GatewayChoice = 'builtin' | 'external' | 'container';
export interface GatewayDraft {
  choice: GatewayChoice;
  host: string;
  port: string;
  image: string;
}
export type DraftValue = string | boolean | GatewayDraft;
export type Draft = Partial<Record<SettingKey, DraftValue>>;

/** By control: a number setting's key, or guacdHost, guacdPort, guacdImage. */
export type DraftErrors = Partial<Record<string, string>>;

export function draftFrom(settings: SettingsView): Draft {
  const draft: Draft = {};
  for (const key of SHOWN_KEYS) {
    const field = SETTING_FIELDS[key];
    const value = settings[key];
    if (field.input === 'number') draft[key] = value === null ? '' : String(value);
    else if (field.input === 'gateway') {
      const image = settings[field.imageKey] as string | null;
      const guacd = settings.guacd;
      draft[key] = {
        choice: guacd !== null ? 'external' : image !== null ? 'container' : 'builtin',
        host: guacd?.host ?? '',
        port: guacd ? String(guacd.port) : '4822',
        image: image ?? 'guacamole/guacd',
      };
    } else draft[key] = value as string | boolean;
  }
  return draft;
}

const WHOLE = /^\d+$/;

function readNumber(key: SettingKey, text: string, field: { notWhole: string }, errors: DraftErrors): number | null | undefined {
  const typed = text.trim();
  if (typed === '' && settingAllowsNull(key)) return null;
  if (!WHOLE.test(typed)) {
    errors[key] = word(field.notWhole as TableWord);
    return undefined;
  }
  const parsed = settingSchemas[key].safeParse(Number(typed));
  if (parsed.success) return parsed.data as number;
  errors[key] = issueMessage(parsed.error.issues[0]!);
  return undefined;
}

/** guacd at an address, guacd from an image, or neither: the two settings the gateway choice sets. */
function readGateway(draft: GatewayDraft, imageKey: SettingKey, values: Partial<Record<SettingKey, unknown>>, errors: DraftErrors): void {
  values[imageKey] = null;
  if (draft.choice === 'container') {
    const image = draft.image.trim();
    const parsed = settingSchemas.guacdContainerImage.safeParse(image);
    if (image === '') errors.guacdImage = t('settings.guacdImageMissing');
    else if (parsed.success) values[imageKey] = parsed.data;
    else errors.guacdImage = t('settings.guacdImageForm');
  }
  if (draft.choice !== 'external') {
    values.guacd = null;
    return;
  }
  const port = draft.port.trim();
  if (draft.host.trim() === '') errors.guacdHost = t('settings.guacdHostMissing');
  if (!WHOLE.test(port)) errors.guacdPort = t('form.wholeNumber', { example: '4822' });
  if (errors.guacdHost || errors.guacdPort) return;
  const parsed = settingSchemas.guacd.safeParse({ host: draft.host.trim(), port: Number(port) });
  if (parsed.success) {
    values.guacd = parsed.data;
    return;
  }
  const issue = parsed.error.issues[0]!;
  const message = issue.path[0] === 'host' ? t('settings.guacdHostForm') : issueMessage(issue);
  if (issue.path[0] === 'port') errors.guacdPort = message;
  else errors.guacdHost = message;
}

/** The values that differ from the stored ones (managed keys are never sent), and what is wrong. */
export function buildChange(draft: Draft, settings: SettingsView): { change: Partial<SettingsValues>; errors: DraftErrors } {
  const errors: DraftErrors = {};
  const values: Partial<Record<SettingKey, unknown>> = {};
  for (const key of SHOWN_KEYS) {
    const field = SETTING_FIELDS[key];
    const typed = draft[key];
    if (typed === undefined) continue;
    if (field.input === 'number') {
      const value = readNumber(key, typed as string, field, errors);
      if (value !== undefined) values[key] = value;
    } else if (field.input === 'gateway') readGateway(typed as GatewayDraft, field.imageKey, values, errors);
    else values[key] = typed;
  }

  const change: Partial<Record<SettingKey, unknown>> = {};
  for (const [key, value] of Object.entries(values) as [SettingKey, unknown][]) {
    if (settings.managed.includes(key)) continue;
    if (JSON.stringify(value) !== JSON.stringify(settings[key])) change[key] = value;
  }
  return { change: change as Partial<SettingsValues>, errors };
}

/** A number setting's hint, with its limits from the schema. */
export function numberHint(key: SettingKey, hint: TableWord): string {
  return word(hint, numberLimits(key) ?? undefined);
}
