// The interface language: a typed message catalogue (messages/en.ts is the source of
// keys; messages/de.ts must have the same shape), `{{name}}` interpolation and plurals.
// The language comes from the `language` setting; `system` follows navigator.language.
import { useSyncExternalStore } from 'react';
import type { SettingsValues } from '../../src-shared/settings';
import { de } from './messages/de';
import { en, type Messages, type PluralMessage } from './messages/en';

export type Locale = 'en' | 'de';
export type LanguageSetting = SettingsValues['language'];
export type MessageKey = keyof typeof en;

type TextOf<V> = V extends string ? V : V extends { readonly one: infer O; readonly other: infer R } ? O | R : never;
type NamesIn<S> = S extends `${string}{{${infer P}}}${infer Rest}` ? P | NamesIn<Rest> : never;
type ParamsOf<K extends MessageKey> =
  | NamesIn<TextOf<(typeof en)[K]>>
  | ((typeof en)[K] extends string ? never : 'count');
/** The values a message needs: none, or one per `{{name}}` (plurals also need `count`). */
export type MessageArgs<K extends MessageKey> = [ParamsOf<K>] extends [never]
  ? []
  : [params: { [P in ParamsOf<K>]: string | number }];

const CATALOGUES: Record<Locale, Messages> = { en, de };

/** `system` follows the browser's (or Electron's) language: de* is German, anything else English. */
export function resolveLocale(setting: LanguageSetting, systemLanguage: string = navigator.language): Locale {
  if (setting === 'en' || setting === 'de') return setting;
  return /^de\b/i.test(systemLanguage) ? 'de' : 'en';
}

let locale: Locale = typeof navigator === 'undefined' ? 'en' : resolveLocale('system');
const listeners = new Set<() => void>();
const numberFormats = new Map<string, Intl.NumberFormat>();

export function currentLocale(): Locale {
  return locale;
}

/** Switches every window part at once; also sets <html lang>. */
export function setLocale(next: Locale): void {
  if (typeof document !== 'undefined') document.documentElement.lang = next;
  if (next === locale) return;
  locale = next;
  numberFormats.clear();
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function interpolate(text: string, params: Record<string, string | number> | undefined): string {
  if (!params) return text;
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(value) : value;
  });
}

/** The message in the current language. */
export function t<K extends MessageKey>(key: K, ...args: MessageArgs<K>): string {
  const message = CATALOGUES[locale][key] as string | PluralMessage;
  const params = args[0] as Record<string, string | number> | undefined;
  if (typeof message === 'string') return interpolate(message, params);
  const count = Number(params?.count ?? 0);
  const form = new Intl.PluralRules(locale).select(count) === 'one' ? message.one : message.other;
  return interpolate(form, params);
}

/** A placeholder that reads as a hint, not as a value already typed: "e.g. daas/desktop:latest". */
export const example = (value: string) => t('common.example', { value });
/** A placeholder for a field that falls back to a value when left empty. */
export const byDefault = (value: string) => t('common.byDefault', { value });

/** A number as the current language writes it (1.5 / 1,5). */
export function formatNumber(value: number, options: Intl.NumberFormatOptions = {}): string {
  const cacheKey = JSON.stringify(options);
  let format = numberFormats.get(cacheKey);
  if (!format) {
    format = new Intl.NumberFormat(locale, { useGrouping: false, ...options });
    numberFormats.set(cacheKey, format);
  }
  return format.format(value);
}

/** Re-renders the component when the language changes; returns `t`. */
export function useT(): typeof t {
  useSyncExternalStore(subscribe, currentLocale, currentLocale);
  return t;
}

export function useLocale(): Locale {
  return useSyncExternalStore(subscribe, currentLocale, currentLocale);
}
