// Every setting a user may change: lifecycle, windows, clipboard, the display gateway,
// appearance and what may be edited. Settings the administrator locked show as
// managed and cannot be changed (the main process refuses them too).
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { SettingsView } from '../../src-shared/contract';
import type { ErrorInfo } from '../../src-shared/errors';
import { settingSchemas, type SettingKey, type SettingsValues } from '../../src-shared/settings';
import { ErrorNotice } from '../components/ErrorNotice';
import { FormField, fieldProps } from '../components/FormField';
import { useCatalogue } from '../catalogue/store-context';
import { PolicyProblems } from '../catalogue/PolicyProblems';
import { useT, type MessageKey } from '../i18n/i18n';
import { issueMessage } from '../store/zod-messages';
import { errorAction, errorMessage } from '../i18n/error-text';

/** The form as typed: numbers stay text until they are checked. */
interface Draft {
  orphanPolicy: SettingsValues['orphanPolicy'];
  readinessTimeoutSeconds: string;
  idleTimeoutMinutes: string;
  clipboardToDesktop: boolean;
  clipboardFromDesktop: boolean;
  quitBehaviour: SettingsValues['quitBehaviour'];
  viewerCloseBehaviour: SettingsValues['viewerCloseBehaviour'];
  notifications: boolean;
  /** Built-in gateway, a guacd at an address, or guacd run from an image by the app. */
  gateway: 'builtin' | 'external' | 'container';
  guacdHost: string;
  guacdPort: string;
  guacdImage: string;
  allowCatalogueEditing: boolean;
  allowEndpointEditing: boolean;
  theme: SettingsValues['theme'];
  language: SettingsValues['language'];
}

function draftFrom(settings: SettingsView): Draft {
  return {
    orphanPolicy: settings.orphanPolicy,
    readinessTimeoutSeconds: String(settings.readinessTimeoutSeconds),
    idleTimeoutMinutes: settings.idleTimeoutMinutes === null ? '' : String(settings.idleTimeoutMinutes),
    clipboardToDesktop: settings.clipboardToDesktop,
    clipboardFromDesktop: settings.clipboardFromDesktop,
    quitBehaviour: settings.quitBehaviour,
    viewerCloseBehaviour: settings.viewerCloseBehaviour,
    notifications: settings.notifications,
    gateway: settings.guacd !== null ? 'external' : settings.guacdContainerImage !== null ? 'container' : 'builtin',
    guacdHost: settings.guacd?.host ?? '',
    guacdPort: settings.guacd ? String(settings.guacd.port) : '4822',
    guacdImage: settings.guacdContainerImage ?? 'guacamole/guacd',
    allowCatalogueEditing: settings.allowCatalogueEditing,
    allowEndpointEditing: settings.allowEndpointEditing,
    theme: settings.theme,
    language: settings.language,
  };
}

const GATEWAY_CHOICES = [
  { value: 'builtin', testId: 'setting-guacd-builtin', label: 'settings.gatewayBuiltIn', hint: 'settings.gatewayBuiltInHint' },
  { value: 'external', testId: 'setting-guacd-external', label: 'settings.gatewayExternal', hint: 'settings.gatewayExternalHint' },
  { value: 'container', testId: 'setting-guacd-container', label: 'settings.gatewayContainer', hint: 'settings.gatewayContainerHint' },
] as const satisfies readonly { value: Draft['gateway']; testId: string; label: MessageKey; hint: MessageKey }[];

type Errors = Partial<Record<'readinessTimeoutSeconds' | 'idleTimeoutMinutes' | 'guacdHost' | 'guacdPort' | 'guacdImage', string>>;
type Change = Partial<SettingsValues>;

const WHOLE = /^\d+$/;

/** The values that differ from the stored ones (managed keys are never sent), and what is wrong. */
function buildChange(draft: Draft, settings: SettingsView, t: ReturnType<typeof useT>): { change: Change; errors: Errors } {
  const errors: Errors = {};
  const values: Partial<Record<SettingKey, unknown>> = {
    orphanPolicy: draft.orphanPolicy,
    clipboardToDesktop: draft.clipboardToDesktop,
    clipboardFromDesktop: draft.clipboardFromDesktop,
    quitBehaviour: draft.quitBehaviour,
    viewerCloseBehaviour: draft.viewerCloseBehaviour,
    notifications: draft.notifications,
    allowCatalogueEditing: draft.allowCatalogueEditing,
    allowEndpointEditing: draft.allowEndpointEditing,
    theme: draft.theme,
    language: draft.language,
  };

  const readiness = draft.readinessTimeoutSeconds.trim();
  if (!WHOLE.test(readiness)) errors.readinessTimeoutSeconds = t('settings.readinessNumber');
  else {
    const parsed = settingSchemas.readinessTimeoutSeconds.safeParse(Number(readiness));
    if (parsed.success) values.readinessTimeoutSeconds = parsed.data;
    else errors.readinessTimeoutSeconds = issueMessage(parsed.error.issues[0]!);
  }

  const idle = draft.idleTimeoutMinutes.trim();
  if (idle === '') values.idleTimeoutMinutes = null;
  else if (!WHOLE.test(idle)) errors.idleTimeoutMinutes = t('form.wholeNumber', { example: '120' });
  else {
    const parsed = settingSchemas.idleTimeoutMinutes.safeParse(Number(idle));
    if (parsed.success) values.idleTimeoutMinutes = parsed.data;
    else errors.idleTimeoutMinutes = issueMessage(parsed.error.issues[0]!);
  }

  values.guacdContainerImage = null;
  if (draft.gateway === 'container') {
    const parsed = settingSchemas.guacdContainerImage.safeParse(draft.guacdImage.trim());
    if (draft.guacdImage.trim() === '') errors.guacdImage = t('settings.guacdImageMissing');
    else if (parsed.success) values.guacdContainerImage = parsed.data;
    else errors.guacdImage = t('settings.guacdImageForm');
  }
  if (draft.gateway !== 'external') values.guacd = null;
  else {
    const port = draft.guacdPort.trim();
    if (draft.guacdHost.trim() === '') errors.guacdHost = t('settings.guacdHostMissing');
    if (!WHOLE.test(port)) errors.guacdPort = t('form.wholeNumber', { example: '4822' });
    if (!errors.guacdHost && !errors.guacdPort) {
      const parsed = settingSchemas.guacd.safeParse({ host: draft.guacdHost.trim(), port: Number(port) });
      if (parsed.success) values.guacd = parsed.data;
      else {
        const issue = parsed.error.issues[0]!;
        const message = issue.path[0] === 'host' ? t('settings.guacdHostForm') : issueMessage(issue);
        if (issue.path[0] === 'port') errors.guacdPort = message;
        else errors.guacdHost = message;
      }
    }
  }

  const change: Partial<Record<SettingKey, unknown>> = {};
  for (const [key, value] of Object.entries(values) as [SettingKey, unknown][]) {
    if (settings.managed.includes(key)) continue;
    if (JSON.stringify(value) !== JSON.stringify(settings[key])) change[key] = value;
  }
  return { change: change as Change, errors };
}

function SettingsForm({ settings }: { settings: SettingsView }) {
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

  const { change, errors } = buildChange(draft, settings, t);
  // A value that does not check yet is a change too: Save then points at what is wrong.
  const dirty = Object.keys(change).length > 0 || Object.keys(errors).length > 0;

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setSaved(false);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const first = (['readinessTimeoutSeconds', 'idleTimeoutMinutes', 'guacdHost', 'guacdPort', 'guacdImage'] as const).find((f) => errors[f]);
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
    <div className="setting" data-setting={key} data-managed={managed(key) ? 'true' : undefined}>
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

  const checkbox = (key: 'clipboardToDesktop' | 'clipboardFromDesktop' | 'notifications' | 'allowCatalogueEditing' | 'allowEndpointEditing', label: MessageKey, hint: MessageKey) =>
    setting(
      key,
      <label className="checkbox">
        <input
          type="checkbox"
          id={idOf(key)}
          data-testid={`setting-${key}`}
          checked={draft[key]}
          disabled={managed(key)}
          aria-describedby={described(key, idOf(`${key}-hint`))}
          onChange={(e) => set(key, e.currentTarget.checked)}
        />
        <span>
          {t(label as 'settings.notifications')}
          <span id={idOf(`${key}-hint`)} className="field-hint checkbox-hint">
            {t(hint as 'settings.notificationsHint')}
          </span>
        </span>
      </label>,
    );

  const select = <K extends 'quitBehaviour' | 'viewerCloseBehaviour' | 'theme' | 'language'>(
    key: K,
    label: MessageKey,
    options: { value: Draft[K]; label: MessageKey }[],
    hint?: MessageKey,
  ) => {
    const hintText = hint ? t(hint as 'settings.themeHint') : undefined;
    return setting(
      key,
      <FormField id={idOf(key)} label={t(label as 'settings.theme')} hint={hintText}>
        <select
          {...fieldProps(idOf(key), { hint: hintText })}
          aria-describedby={described(key, hintText ? `${idOf(key)}-hint` : undefined)}
          data-testid={`setting-${key}`}
          className="input select"
          value={draft[key]}
          disabled={managed(key)}
          onChange={(e) => set(key, e.currentTarget.value as Draft[K])}
        >
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {t(option.label as 'settings.themeSystem')}
            </option>
          ))}
        </select>
      </FormField>,
    );
  };

  const numberField = (
    key: 'readinessTimeoutSeconds' | 'idleTimeoutMinutes',
    label: MessageKey,
    hint: MessageKey,
    testId: string,
    placeholder?: string,
  ) => {
    const hintText = t(hint as 'settings.readinessHint');
    const error = errors[key];
    return setting(
      key,
      <FormField id={idOf(key)} label={t(label as 'settings.readiness')} hint={hintText} error={error}>
        <input
          {...fieldProps(idOf(key), { hint: hintText, error })}
          aria-describedby={described(key, error ? `${idOf(key)}-error` : undefined, `${idOf(key)}-hint`)}
          data-testid={testId}
          type="text"
          inputMode="numeric"
          className="input input-narrow"
          value={draft[key]}
          placeholder={placeholder}
          disabled={managed(key)}
          onChange={(e) => set(key, e.currentTarget.value)}
        />
      </FormField>,
    );
  };

  const orphanManaged = managed('orphanPolicy');
  const guacdManaged = managed('guacd') || managed('guacdContainerImage');

  return (
    <form className="settings-form" data-testid="settings-form" noValidate onSubmit={(e) => void onSubmit(e)}>
      {serverError ? <ErrorNotice error={serverError} onDismiss={() => setServerError(null)} /> : null}

      <section className="settings-group" aria-labelledby={idOf('appearance')}>
        <h3 id={idOf('appearance')} className="settings-title">
          {t('settings.appearance')}
        </h3>
        <div className="form-grid form-grid-2">
          {select('theme', 'settings.theme', [
            { value: 'system', label: 'settings.themeSystem' },
            { value: 'light', label: 'settings.themeLight' },
            { value: 'dark', label: 'settings.themeDark' },
          ])}
          {select('language', 'settings.language', [
            { value: 'system', label: 'settings.languageSystem' },
            { value: 'en', label: 'settings.languageEn' },
            { value: 'de', label: 'settings.languageDe' },
          ])}
        </div>
      </section>

      <section className="settings-group" aria-labelledby={idOf('instances')}>
        <h3 id={idOf('instances')} className="settings-title">
          {t('settings.instances')}
        </h3>
        {setting(
          'orphanPolicy',
          <fieldset
            className="form-section radio-group"
            data-testid="setting-orphanPolicy"
            disabled={orphanManaged}
            aria-disabled={orphanManaged || undefined}
            aria-describedby={described('orphanPolicy')}
          >
            <legend>{t('settings.orphans')}</legend>
            <label className="radio">
              <input
                type="radio"
                name={idOf('orphan')}
                value="remove"
                data-testid="setting-orphan-remove"
                checked={draft.orphanPolicy === 'remove'}
                onChange={() => set('orphanPolicy', 'remove')}
              />
              <span>
                {t('settings.orphansRemove')} <span className="muted">{t('settings.orphansRemoveHint')}</span>
              </span>
            </label>
            <label className="radio">
              <input
                type="radio"
                name={idOf('orphan')}
                value="adopt"
                data-testid="setting-orphan-adopt"
                checked={draft.orphanPolicy === 'adopt'}
                onChange={() => set('orphanPolicy', 'adopt')}
              />
              <span>
                {t('settings.orphansAdopt')} <span className="muted">{t('settings.orphansAdoptHint')}</span>
              </span>
            </label>
          </fieldset>,
        )}
        <div className="form-grid form-grid-2">
          <fieldset
            className="setting-group-plain"
            data-testid="setting-readinessTimeoutSeconds"
            disabled={managed('readinessTimeoutSeconds')}
            aria-disabled={managed('readinessTimeoutSeconds') || undefined}
          >
            {numberField('readinessTimeoutSeconds', 'settings.readiness', 'settings.readinessHint', 'setting-readiness-timeout')}
          </fieldset>
          {numberField('idleTimeoutMinutes', 'settings.idle', 'settings.idleHint', 'setting-idleTimeoutMinutes', t('editor.never'))}
        </div>
        <div className="form-grid form-grid-2">
          {select('quitBehaviour', 'settings.quit', [
            { value: 'leave-running', label: 'settings.quitLeave' },
            { value: 'stop-all', label: 'settings.quitStop' },
          ])}
          {select('viewerCloseBehaviour', 'settings.viewerClose', [
            { value: 'leave-running', label: 'settings.viewerCloseLeave' },
            { value: 'ask', label: 'settings.viewerCloseAsk' },
          ])}
        </div>
        {checkbox('notifications', 'settings.notifications', 'settings.notificationsHint')}
      </section>

      <section className="settings-group" aria-labelledby={idOf('desktops')}>
        <h3 id={idOf('desktops')} className="settings-title">
          {t('settings.desktops')}
        </h3>
        {checkbox('clipboardToDesktop', 'settings.clipboardTo', 'settings.clipboardToHint')}
        {checkbox('clipboardFromDesktop', 'settings.clipboardFrom', 'settings.clipboardFromHint')}
        {setting(
          'guacd',
          <fieldset
            className="form-section radio-group"
            data-testid="setting-guacd"
            disabled={guacdManaged}
            aria-disabled={guacdManaged || undefined}
            aria-describedby={described('guacd')}
          >
            <legend>{t('settings.gateway')}</legend>
            {GATEWAY_CHOICES.map(({ value, testId, label, hint }) => (
              <label className="radio" key={value}>
                <input
                  type="radio"
                  name={idOf('guacd')}
                  data-testid={testId}
                  checked={draft.gateway === value}
                  onChange={() => set('gateway', value)}
                />
                <span>
                  {t(label)} <span className="muted">{t(hint)}</span>
                </span>
              </label>
            ))}
            {draft.gateway === 'container' ? (
              <FormField id={idOf('guacdImage')} label={t('settings.guacdImage')} error={errors.guacdImage}>
                <input
                  {...fieldProps(idOf('guacdImage'), { error: errors.guacdImage })}
                  data-testid="setting-guacd-image"
                  type="text"
                  className="input mono"
                  value={draft.guacdImage}
                  placeholder="guacamole/guacd"
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(e) => set('guacdImage', e.currentTarget.value)}
                />
              </FormField>
            ) : null}
            {draft.gateway === 'external' ? (
              <div className="form-grid form-grid-host">
                <FormField id={idOf('guacdHost')} label={t('settings.guacdHost')} error={errors.guacdHost}>
                  <input
                    {...fieldProps(idOf('guacdHost'), { error: errors.guacdHost })}
                    data-testid="setting-guacd-host"
                    type="text"
                    className="input mono"
                    value={draft.guacdHost}
                    placeholder="guacd.example.org"
                    autoComplete="off"
                    spellCheck={false}
                    onChange={(e) => set('guacdHost', e.currentTarget.value)}
                  />
                </FormField>
                <FormField id={idOf('guacdPort')} label={t('settings.guacdPort')} error={errors.guacdPort}>
                  <input
                    {...fieldProps(idOf('guacdPort'), { error: errors.guacdPort })}
                    data-testid="setting-guacd-port"
                    type="text"
                    inputMode="numeric"
                    className="input input-narrow mono"
                    value={draft.guacdPort}
                    onChange={(e) => set('guacdPort', e.currentTarget.value)}
                  />
                </FormField>
              </div>
            ) : null}
          </fieldset>,
        )}
      </section>

      <section className="settings-group" aria-labelledby={idOf('editing')}>
        <h3 id={idOf('editing')} className="settings-title">
          {t('settings.editing')}
        </h3>
        {checkbox('allowCatalogueEditing', 'settings.allowCatalogue', 'settings.allowCatalogueHint')}
        {checkbox('allowEndpointEditing', 'settings.allowEndpoints', 'settings.allowEndpointsHint')}
      </section>

      <div className="form-actions">
        <span className="muted" role="status">
          {saved && !dirty ? t('settings.saved') : ''}
        </span>
        <button
          type="submit"
          className="button button-primary button-small"
          data-testid="settings-save"
          disabled={!dirty || saving}
          aria-busy={saving}
        >
          {saving ? t('common.saving') : t('settings.save')}
        </button>
      </div>
    </form>
  );
}

export function GeneralSettings() {
  const t = useT();
  const settings = useCatalogue((s) => s.settings);
  const status = useCatalogue((s) => s.settingsStatus);
  const error = useCatalogue((s) => s.settingsError);
  const loadSettings = useCatalogue((s) => s.loadSettings);
  return (
    <section className="settings-section" aria-label={t('settings.general')} data-testid="general-settings">
      <PolicyProblems testId="settings-policy-problems" />
      {settings ? (
        <SettingsForm settings={settings} />
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
