// Applies the appearance settings to a page: the theme (the system's light or dark,
// or an override) and the interface language. The last values seen are remembered
// so the next window opens in them before the settings have arrived.
import type { SettingsValues } from '../../src-shared/settings';
import { resolveLocale, setLocale } from './i18n';

export type Appearance = Pick<SettingsValues, 'theme' | 'language'>;

const STORAGE_KEY = 'daas-appearance';

function remembered(): Appearance {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    const parsed = raw ? (JSON.parse(raw) as Partial<Appearance>) : {};
    return {
      theme: parsed.theme === 'light' || parsed.theme === 'dark' ? parsed.theme : 'system',
      language: parsed.language === 'en' || parsed.language === 'de' ? parsed.language : 'system',
    };
  } catch {
    return { theme: 'system', language: 'system' };
  }
}

/** Sets data-theme (system | light | dark; the CSS follows prefers-color-scheme for system) and the language. */
export function applyAppearance(appearance: Appearance): void {
  document.documentElement.dataset.theme = appearance.theme;
  setLocale(resolveLocale(appearance.language));
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ theme: appearance.theme, language: appearance.language }));
  } catch {
    // Storage may be unavailable (private mode, file:// restrictions): nothing to remember then.
  }
}

/** Before the settings arrive: what this computer used last time, else the system's. */
export function applyRememberedAppearance(): void {
  applyAppearance(remembered());
}
