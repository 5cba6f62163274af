// Every setting a user may change: lifecycle, windows, clipboard, the display gateway,
// appearance and what may be edited, laid out from the settings table
// (src-shared/setting-fields.ts). Settings the administrator locked show as managed and
// cannot be changed (the main process refuses them too).
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { SettingsView } from '../../src-shared/contract';
import type { ErrorInfo } from '../../src-shared/errors';
import { SETTINGS_PAGE, SETTING_FIELDS } from '../../src-shared/setting-fields';
import type { SettingKey } from '../../src-shared/settings';
import { ErrorNotice } from '../components/ErrorNotice';
import { FormField, fieldProps } from '../components/FormField';
import { useCatalogue } from '../catalogue/store-context';
import { PolicyProblems } from '../catalogue/PolicyProblems';
import { useT } from '../i18n/i18n';
import { errorAction, errorMessage } from '../i18n/error-text';
import { GatewaySetting } from './GatewaySetting';
import { SHOWN_KEYS, buildChange, draftFrom, numberHint, word, type Draft, type DraftValue, type GatewayDraft, type TableWord } from './settings-draft';

/** Controls with their own error, in the order Save looks for the first one to fix. */
const ERROR_ORDER = SHOWN_KEYS.flatMap((key) => (SETTING_FIELDS[key].input === 'gateway' ? ['guacdHost', 'guacdPort', 'guacdImage'] : [key]));

/** Selects and numbers sit two to a row; the others take a row each. */
function rows(keys: readonly SettingKey[]): SettingKey[][] {
  const out: SettingKey[][] = [];
  for (const key of keys) {
    const input = SETTING_FIELDS[key].input;
    const last = out.at(-1);
    const paired = input === 'select' || input === 'number';
    if (paired && last && last.length === 1 && ['select', 'number'].includes(SETTING_FIELDS[last[0]!].input)) last.push(key);
    else out.push([key]);
  }
  return out;
}

/** What the dialog's pinned footer shows and asks about. */
export interface SettingsFormStatus {
  /** Something typed differs from what is stored (or does not check yet). */
  dirty: boolean;
  saving: boolean;
  saved: boolean;
}

/** The section id of a settings group: the section list scrolls to it. */
export const groupSectionId = (group: string) => `settings-section-${group}`;

interface SettingsFormProps {
  settings: SettingsView;
  /** The id the footer's Apply button names with form=. */
  formId: string;
  onStatus: (status: SettingsFormStatus) => void;
}

function SettingsForm({ settings, formId, onStatus }: SettingsFormProps) {
  const t = useT();
  const updateSettings = useCatalogue((s) => s.updateSettings);
  const [draft, setDraft] = useState<Draft>(() => draftFrom(settings));
  const [saving, setSaving] = useState(false);
  const [serverError, setServerError] = useState<ErrorInfo | null>(null);
  const [saved, setSaved] = useState(false);
  const base = useId();
  const idOf = (name: string) => `${base}-${name}`;
  const managed = (key: SettingKey) => settings.managed.includes(key);

  // Another window saved, or a save came back: show the stored values. A refresh that
  // brings the same values (opening the panel reloads them) keeps what is being typed.
  const shown = useRef(JSON.stringify(settings));
  useEffect(() => {
    const next = JSON.stringify(settings);
    if (next === shown.current) return;
    shown.current = next;
    setDraft(draftFrom(settings));
  }, [settings]);

  const { change, errors } = buildChange(draft, settings);
  // A value that does not check yet is a change too: Save then points at what is wrong.
  const dirty = Object.keys(change).length > 0 || Object.keys(errors).length > 0;

  useEffect(() => onStatus({ dirty, saving, saved }), [dirty, saving, saved, onStatus]);

  const set = (key: SettingKey, value: DraftValue) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setSaved(false);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const first = ERROR_ORDER.find((f) => errors[f]);
    if (first) {
      document.getElementById(idOf(first))?.focus();
      return;
    }
    if (!dirty) return;
    setSaving(true);
    setServerError(null);
    const outcome = await updateSettings(change);
    setSaving(false);
    if (outcome.ok) setSaved(true);
    else setServerError(outcome.error);
  };

  const managedNoteId = (key: SettingKey) => idOf(`${key}-managed`);
  /** The wrapper of one setting: says when the administrator manages it. */
  const setting = (key: SettingKey, children: ReactNode) => (
    <div className="setting" data-setting={key} data-managed={managed(key) ? 'true' : undefined} key={key}>
      {children}
      {managed(key) ? (
        <p id={managedNoteId(key)} className="managed-note">
          <span className="lock" aria-hidden="true" /> {t('common.managedByAdmin')}
        </p>
      ) : null}
    </div>
  );
  const described = (key: SettingKey, ...ids: (string | undefined)[]) =>
    [...ids, managed(key) ? managedNoteId(key) : undefined].filter(Boolean).join(' ') || undefined;

  /** One setting's control, as its entry in the table says. */
  const control = (key: SettingKey): ReactNode => {
    const field = SETTING_FIELDS[key];
    const id = idOf(key);
    const value = draft[key];
    switch (field.input) {
      case 'checkbox':
        return setting(
          key,
          <label className="checkbox">
            <input
              type="checkbox"
              id={id}
              data-testid={`setting-${key}`}
              checked={value as boolean}
              disabled={managed(key)}
              aria-describedby={described(key, idOf(`${key}-hint`))}
              onChange={(e) => set(key, e.currentTarget.checked)}
            />
            <span>
              {word(field.label)}
              <span id={idOf(`${key}-hint`)} className="field-hint checkbox-hint">
                {word(field.hint)}
              </span>
            </span>
          </label>,
        );
      case 'select': {
        const hintText = 'hint' in field ? word(field.hint as TableWord) : undefined;
        return setting(
          key,
          <FormField id={id} label={word(field.label)} hint={hintText}>
            <select
              {...fieldProps(id, { hint: hintText })}
              aria-describedby={described(key, hintText ? `${id}-hint` : undefined)}
              data-testid={`setting-${key}`}
              className="input select"
              value={value as string}
              disabled={managed(key)}
              onChange={(e) => set(key, e.currentTarget.value)}
            >
              {field.choices.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {word(choice.label)}
                </option>
              ))}
            </select>
          </FormField>,
        );
      }
      case 'radio':
        return setting(
          key,
          <fieldset
            className="form-section radio-group"
            data-testid={`setting-${key}`}
            disabled={managed(key)}
            aria-disabled={managed(key) || undefined}
            aria-describedby={described(key)}
          >
            <legend>{word(field.label)}</legend>
            {field.choices.map((choice) => (
              <label className="radio" key={choice.value}>
                <input
                  type="radio"
                  name={id}
                  value={choice.value}
                  data-testid={`setting-${key}-${choice.value}`}
                  checked={value === choice.value}
                  onChange={() => set(key, choice.value)}
                />
                <span>
                  {word(choice.label)} <span className="muted">{word(choice.hint)}</span>
                </span>
              </label>
            ))}
          </fieldset>,
        );
      case 'number': {
        const hintText = numberHint(key, field.hint);
        const error = errors[key];
        return setting(
          key,
          <FormField id={id} label={word(field.label)} hint={hintText} error={error}>
            <input
              {...fieldProps(id, { hint: hintText, error })}
              aria-describedby={described(key, error ? `${id}-error` : undefined, `${id}-hint`)}
              data-testid={`setting-${key}`}
              type="text"
              inputMode="numeric"
              className="input input-narrow"
              value={value as string}
              placeholder={'empty' in field ? word(field.empty as TableWord) : undefined}
              disabled={managed(key)}
              onChange={(e) => set(key, e.currentTarget.value)}
            />
          </FormField>,
        );
      }
      case 'gateway': {
        const locked = managed(key) || managed(field.imageKey);
        return setting(
          key,
          <GatewaySetting
            draft={value as GatewayDraft}
            label={word(field.label)}
            locked={locked}
            describedBy={described(key)}
            errors={errors}
            idOf={idOf}
            onChange={(next) => set(key, next)}
          />,
        );
      }
      default:
        return null;
    }
  };

  return (
    <form id={formId} className="settings-form" data-testid="settings-form" noValidate onSubmit={(e) => void onSubmit(e)}>
      {serverError ? <ErrorNotice error={serverError} onDismiss={() => setServerError(null)} /> : null}

      {SETTINGS_PAGE.map(({ group, title, keys }) => (
        <section className="settings-group" id={groupSectionId(group)} aria-labelledby={idOf(group)} key={group}>
          <h3 id={idOf(group)} className="settings-title" tabIndex={-1}>
            {word(title)}
          </h3>
          {rows(keys).map((row) =>
            row.length === 1 ? (
              control(row[0]!)
            ) : (
              <div className="form-grid form-grid-2" key={row.join()}>
                {row.map(control)}
              </div>
            ),
          )}
        </section>
      ))}

    </form>
  );
}

export function GeneralSettings({ formId, onStatus }: Omit<SettingsFormProps, 'settings'>) {
  const t = useT();
  const settings = useCatalogue((s) => s.settings);
  const status = useCatalogue((s) => s.settingsStatus);
  const error = useCatalogue((s) => s.settingsError);
  const loadSettings = useCatalogue((s) => s.loadSettings);
  return (
    <section className="settings-section" aria-label={t('settings.general')} data-testid="general-settings">
      <PolicyProblems testId="settings-policy-problems" />
      {settings ? (
        <SettingsForm settings={settings} formId={formId} onStatus={onStatus} />
      ) : status === 'failed' && error ? (
        <div className="notice notice-error" role="alert">
          <div className="notice-text">
            <strong>{t('settings.loadFailed')}</strong> {errorMessage(error)} {errorAction(error)}
          </div>
          <button type="button" className="button button-secondary button-small" onClick={() => void loadSettings()}>
            {t('common.tryAgain')}
          </button>
        </div>
      ) : (
        <p className="muted" role="status">
          <span className="spinner spinner-small" aria-hidden="true" /> {t('settings.loading')}
        </p>
      )}
    </section>
  );
}
