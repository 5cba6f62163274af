// The Electron shell's own words (application menu, tray, dialogs, notifications) in
// English and German. German is typed as the English table's shape, so a missing
// string fails the type check. The language follows the same choice as the windows:
// the `language` setting, and for `system` the operating system's preferred languages.
import { ERROR_TEXTS, renderErrorText, type ErrorTexts } from '../../src-shared/error-texts';
import { ERROR_TEXTS_DE } from '../../src-shared/error-texts-de';
import type { ErrorInfo, ErrorTextRef } from '../../src-shared/errors';
import { INSTANCE_STATES, type Instance, type InstanceState } from '../../src-shared/model';
import type { SettingsValues } from '../../src-shared/settings';

export type ShellLocale = 'en' | 'de';

interface Plural {
  readonly one: string;
  readonly other: string;
}

const EN = {
  // Application menu
  'menu.file': '&File',
  'menu.view': '&View',
  'menu.showCatalogue': 'Show Catalogue',
  'menu.stopAll': 'Stop All Instances',
  // Tray
  'tray.noInstances': 'No instances running',
  'tray.showApp': 'Show DaaS Desktop',
  'tray.stopAll': 'Stop all instances',
  'tray.quit': 'Quit DaaS Desktop',
  'tray.open': 'Open',
  'tray.stop': 'Stop',
  'tray.tooltip': 'DaaS Desktop',
  'tray.tooltipRunning': { one: 'DaaS Desktop: {{count}} running', other: 'DaaS Desktop: {{count}} running' },
  'tray.instance': '{{name}} ({{state}})',
  'state.creating': 'creating',
  'state.starting': 'starting',
  'state.running': 'running',
  'state.stopping': 'stopping',
  'state.stopped': 'stopped',
  'state.failed': 'failed',
  // Notifications
  'note.readyTitle': '{{name}} is ready',
  'note.readyBody': 'Its desktop is running. Click to open it.',
  'note.failedTitle': '{{name}} failed',
  'note.failedBody': 'The instance stopped working.',
  'note.refusedTitle': 'The app did not start',
  // Closing a viewer
  'close.message': 'Stop {{name}}?',
  'close.detail': 'Closing the window leaves the desktop running; you can open it again from DaaS Desktop.',
  'close.leaveRunning': 'Leave running',
  'close.stop': 'Stop',
  'close.cancel': 'Cancel',
  'close.dontAsk': 'Do not ask again',
  'close.messageUnnamed': 'Stop this desktop?',
  // daas-desktop:// links
  'link.unknownApp': 'This link names an app that is not in your catalogue.',
  'link.startQuestion': 'Start {{name}}?',
  'link.startDetail': 'A link asked DaaS Desktop to start this app.',
  'link.start': 'Start',
  'link.cancel': 'Cancel',
} as const;

export type ShellTextKey = keyof typeof EN;
type ShellTexts = { readonly [K in ShellTextKey]: (typeof EN)[K] extends string ? string : Plural };

const DE: ShellTexts = {
  'menu.file': '&Datei',
  'menu.view': '&Ansicht',
  'menu.showCatalogue': 'Katalog anzeigen',
  'menu.stopAll': 'Alle Instanzen beenden',
  'tray.noInstances': 'Keine Instanzen laufen',
  'tray.showApp': 'DaaS Desktop anzeigen',
  'tray.stopAll': 'Alle Instanzen beenden',
  'tray.quit': 'DaaS Desktop beenden',
  'tray.open': 'Öffnen',
  'tray.stop': 'Beenden',
  'tray.tooltip': 'DaaS Desktop',
  'tray.tooltipRunning': { one: 'DaaS Desktop: {{count}} läuft', other: 'DaaS Desktop: {{count}} laufen' },
  'tray.instance': '{{name}} ({{state}})',
  'state.creating': 'wird erstellt',
  'state.starting': 'startet',
  'state.running': 'läuft',
  'state.stopping': 'wird beendet',
  'state.stopped': 'beendet',
  'state.failed': 'fehlgeschlagen',
  'note.readyTitle': '{{name}} ist bereit',
  'note.readyBody': 'Der Desktop läuft. Klicken Sie, um ihn zu öffnen.',
  'note.failedTitle': '{{name}} ist fehlgeschlagen',
  'note.failedBody': 'Die Instanz funktioniert nicht mehr.',
  'note.refusedTitle': 'Die App wurde nicht gestartet',
  'close.message': '{{name}} beenden?',
  'close.detail': 'Wenn Sie das Fenster schließen, läuft der Desktop weiter; Sie können ihn in DaaS Desktop wieder öffnen.',
  'close.leaveRunning': 'Weiterlaufen lassen',
  'close.stop': 'Beenden',
  'close.cancel': 'Abbrechen',
  'close.dontAsk': 'Nicht mehr fragen',
  'close.messageUnnamed': 'Diesen Desktop beenden?',
  'link.unknownApp': 'Dieser Link nennt eine App, die nicht in Ihrem Katalog ist.',
  'link.startQuestion': '{{name}} starten?',
  'link.startDetail': 'Ein Link hat DaaS Desktop gebeten, diese App zu starten.',
  'link.start': 'Starten',
  'link.cancel': 'Abbrechen',
};

const SHELL_TEXTS: Record<ShellLocale, ShellTexts> = { en: EN, de: DE };
const ERRORS: Record<ShellLocale, ErrorTexts> = { en: ERROR_TEXTS, de: ERROR_TEXTS_DE };

type TextOf<V> = V extends string ? V : V extends Plural ? V['one'] | V['other'] : never;
type NamesIn<S> = S extends `${string}{{${infer P}}}${infer Rest}` ? P | NamesIn<Rest> : never;
type ParamsOf<K extends ShellTextKey> = NamesIn<TextOf<(typeof EN)[K]>> | ((typeof EN)[K] extends string ? never : 'count');
export type ShellTextArgs<K extends ShellTextKey> = [ParamsOf<K>] extends [never] ? [] : [params: { [P in ParamsOf<K>]: string | number }];

/** The shell's translator for one language. */
export interface ShellTranslator {
  readonly locale: ShellLocale;
  t<K extends ShellTextKey>(key: K, ...args: ShellTextArgs<K>): string;
  state(state: InstanceState): string;
  /** A core error's message and action in this language (English when the key is unknown). */
  error(info: ErrorInfo): { message: string; action: string };
  /** Why an instance stopped or failed, in this language (English when a key is unknown). */
  reason(instance: Pick<Instance, 'stateReason' | 'stateReasonText'>): string | null;
}

/** `system` follows the operating system: the first preferred language that is German or English, else English. */
export function resolveShellLocale(setting: SettingsValues['language'], systemLanguages: readonly string[]): ShellLocale {
  if (setting === 'en' || setting === 'de') return setting;
  for (const language of systemLanguages) {
    if (/^de\b/i.test(language)) return 'de';
    if (/^en\b/i.test(language)) return 'en';
  }
  return 'en';
}

/** Error parameters that name an instance state are shown as the state's label. */
const STATE_PARAMS = new Set(['state', 'from', 'to']);
const isState = (value: unknown): value is InstanceState => typeof value === 'string' && (INSTANCE_STATES as readonly string[]).includes(value);

function fill(text: string, params: Record<string, string | number>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));
}

export function shellTranslator(locale: ShellLocale): ShellTranslator {
  const texts = SHELL_TEXTS[locale];
  const plural = new Intl.PluralRules(locale);
  const t = <K extends ShellTextKey>(key: K, ...args: ShellTextArgs<K>): string => {
    const params = (args[0] ?? {}) as Record<string, string | number>;
    const entry: string | Plural = texts[key];
    if (typeof entry === 'string') return fill(entry, params);
    return fill(plural.select(Number(params.count)) === 'one' ? entry.one : entry.other, params);
  };
  const localParams = (params: ErrorTextRef['params']) =>
    Object.fromEntries(
      Object.entries(params).map(([name, value]) => [name, STATE_PARAMS.has(name) && isState(value) ? t(`state.${value}`) : value]),
    );
  const render = (ref: ErrorTextRef | undefined, english: string) =>
    ref && Object.prototype.hasOwnProperty.call(ERRORS[locale], ref.key) ? renderErrorText(ERRORS[locale], locale, ref.key, localParams(ref.params)) : english;
  return {
    locale,
    t,
    state: (state) => t(`state.${state}`),
    error: (info) => ({ message: render(info.messageText, info.message), action: render(info.actionText, info.action) }),
    reason: ({ stateReason, stateReasonText }) => {
      if (!stateReasonText || !stateReasonText.texts.every((text) => Object.prototype.hasOwnProperty.call(ERRORS[locale], text.key))) return stateReason;
      const sentences = stateReasonText.texts.map((text) => render(text, '')).join(' ');
      return stateReasonText.logs ? `${sentences}\n${render({ key: 'reason.lastLogLines', params: {} }, '')}\n${stateReasonText.logs}` : sentences;
    },
  };
}

/** English: what the shell speaks before the settings are read, and in tests by default. */
export const ENGLISH = shellTranslator('en');
