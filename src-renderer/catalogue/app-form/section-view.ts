// What a backend's part of the app editor shows, by where it goes in the form: its own
// fieldsets after "App" (Main), fields in the shared Display, Desktop and last fieldsets,
// and fieldsets after Desktop. Each is a component, so it may read the store.
import type { ComponentType } from 'react';
import type { App } from '../../../src-shared/model';
import type { MessageKey } from '../../i18n/i18n';
import type { SectionValues } from './app-form';
import type { FieldKit } from './field-kit';
import type { SectionForm } from './section-form';

export interface SlotProps<V> {
  kit: FieldKit<V>;
  /** The app being edited; undefined for a new one. */
  app: App | undefined;
}

export interface SectionView<V> {
  /** The backend's name in the "Runs as" choice, and the hint shown while it is chosen. */
  label: MessageKey;
  hint: MessageKey;
  Main: ComponentType<SlotProps<V>>;
  /** In the Display fieldset, before the gateway. */
  Display?: ComponentType<SlotProps<V>>;
  /** In the Desktop fieldset's row, before width and height (one field). */
  Desktop?: ComponentType<SlotProps<V>>;
  /** Fieldsets after Desktop. */
  AfterDesktop?: ComponentType<SlotProps<V>>;
  /** In the last fieldset, before the idle timeout; it is then titled "Placement" rather than "Idle". */
  Placement?: ComponentType<SlotProps<V>>;
}

export interface AppSection<V extends object> {
  form: SectionForm<V>;
  view: SectionView<V>;
}

/**
 * A backend's part as the registry holds it. The editor hands each part only the values
 * its own form made, so forgetting their exact type here is safe.
 */
export function registerSection<V extends object>(section: AppSection<V>): AppSection<SectionValues> {
  return section as unknown as AppSection<SectionValues>;
}
