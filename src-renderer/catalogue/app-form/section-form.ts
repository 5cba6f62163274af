// What every backend's part of the app form provides (its values as typed, how they
// become the app's provider section, and where a schema path is edited), and the
// number reading all parts share.
import type { AppConfig } from '../../../src-shared/app-config';
import type { App } from '../../../src-shared/model';
import { t } from '../../i18n/i18n';

/** What an app runs as: a container, or a Proxmox VE virtual machine. */
export type AppProvider = AppConfig['provider'];

/** The fields of a values object a person types text into. */
export type TextField<V> = { [K in keyof V & string]: V[K] extends string ? (string extends V[K] ? K : never) : never }[keyof V & string];
/** The fields of a values object that are ticked. */
export type FlagField<V> = { [K in keyof V & string]: V[K] extends boolean ? K : never }[keyof V & string];

export type FieldErrors<V> = Partial<Record<keyof V & string, string>>;

/** The provider part of an AppConfig: `{ provider: 'docker', docker: {...} }` and so on. */
export type ProviderConfig = { [K in AppProvider]: Omit<Extract<AppConfig, { provider: K }>, keyof CommonConfig> }[AppProvider];
/** The part of an AppConfig every backend shares. */
export type CommonConfig = Pick<AppConfig, 'name' | 'description' | 'tags' | 'icon' | 'desktopWidth' | 'desktopHeight' | 'idleTimeoutMinutes' | 'display'>;

/**
 * One backend's part of the form. Methods (not function properties) so a registry can
 * hold every backend's part under one type.
 */
export interface SectionForm<V extends object> {
  /** Put before a field's name in the page (ids, test hooks, error keys): `proxmox-` makes `proxmox-vmid`. */
  readonly keyPrefix: string;
  empty(): V;
  /** The values of an app of this backend. */
  fromApp(app: App): V;
  /** Whether the field is shown (and checked) for the section's current choices. */
  applies(values: V, field: keyof V & string): boolean;
  /** The provider section of the request, and what the form found wrong before the schema looks. */
  build(values: V): { config: ProviderConfig; errors: FieldErrors<V> };
  /** The field that edits a schema path inside the provider section (the path without its name). */
  fieldOfPath(path: readonly PropertyKey[], values: V): keyof V & string;
}

const WHOLE = /^\d+$/;

export type WholeReader<V> = (field: TextField<V>, fallback: number | null, example: string) => number | null | undefined;

/** Reads whole numbers from `values`; '' gives `fallback`, anything else not a number an error on the field. */
export function wholeReader<V>(values: V, errors: FieldErrors<V>): WholeReader<V> {
  return (field, fallback, example) => {
    const text = (values[field] as string).trim();
    if (text === '') return fallback;
    if (!WHOLE.test(text)) {
      errors[field] = t('form.wholeNumber', { example });
      return undefined;
    }
    return Number(text);
  };
}
