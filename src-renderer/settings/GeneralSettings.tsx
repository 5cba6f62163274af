// Lifecycle settings: what happens to containers left behind after a crash, and how
// long a desktop may take to answer.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { requestSchemas, type SettingsView } from '../../src-shared/contract';
import type { ErrorInfo } from '../../src-shared/errors';
import { ErrorNotice } from '../components/ErrorNotice';
import { FormField, fieldProps } from '../components/FormField';
import { useCatalogue } from '../catalogue/store-context';
import { issueMessage } from '../store/zod-messages';

function SettingsForm({ settings }: { settings: SettingsView }) {
  const updateSettings = useCatalogue((s) => s.updateSettings);
  const [orphanPolicy, setOrphanPolicy] = useState(settings.orphanPolicy);
  const [timeout, setTimeoutText] = useState(String(settings.readinessTimeoutSeconds));
  const [saving, setSaving] = useState(false);
  const [serverError, setServerError] = useState<ErrorInfo | null>(null);
  const [saved, setSaved] = useState(false);
  const base = useId();
  const timeoutId = `${base}-timeout`;

  // Another window saved: show the stored values.
  useEffect(() => {
    setOrphanPolicy(settings.orphanPolicy);
    setTimeoutText(String(settings.readinessTimeoutSeconds));
  }, [settings]);

  const seconds = /^\d+$/.test(timeout.trim()) ? Number(timeout.trim()) : Number.NaN;
  let timeoutError: string | undefined;
  if (Number.isNaN(seconds)) timeoutError = 'write a whole number of seconds, like 60';
  else {
    const parsed = requestSchemas['settings.update'].safeParse({ readinessTimeoutSeconds: seconds });
    if (!parsed.success) timeoutError = issueMessage(parsed.error.issues[0]!);
  }
  const dirty = orphanPolicy !== settings.orphanPolicy || seconds !== settings.readinessTimeoutSeconds;
  const hint = 'How long a new desktop may take to answer before its start counts as failed (5–600).';

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (timeoutError) {
      document.getElementById(timeoutId)?.focus();
      return;
    }
    setSaving(true);
    setServerError(null);
    const outcome = await updateSettings({ orphanPolicy, readinessTimeoutSeconds: seconds });
    setSaving(false);
    if (outcome.ok) setSaved(true);
    else setServerError(outcome.error);
  };

  return (
    <form className="settings-form" data-testid="settings-form" noValidate onSubmit={(e) => void onSubmit(e)}>
      {serverError ? <ErrorNotice error={serverError} onDismiss={() => setServerError(null)} /> : null}
      <fieldset className="form-section radio-group">
        <legend>Containers found without an instance (after a crash)</legend>
        <label className="radio">
          <input
            type="radio"
            name={`${base}-orphan`}
            value="remove"
            data-testid="setting-orphan-remove"
            checked={orphanPolicy === 'remove'}
            onChange={() => {
              setOrphanPolicy('remove');
              setSaved(false);
            }}
          />
          <span>
            Remove them <span className="muted">(recommended: nothing is left running unnoticed)</span>
          </span>
        </label>
        <label className="radio">
          <input
            type="radio"
            name={`${base}-orphan`}
            value="adopt"
            data-testid="setting-orphan-adopt"
            checked={orphanPolicy === 'adopt'}
            onChange={() => {
              setOrphanPolicy('adopt');
              setSaved(false);
            }}
          />
          <span>
            Adopt them as instances <span className="muted">(keeps their desktops and what is open in them)</span>
          </span>
        </label>
      </fieldset>
      <FormField id={timeoutId} label="Readiness timeout (seconds)" hint={hint} error={timeoutError}>
        <input
          {...fieldProps(timeoutId, { hint, error: timeoutError })}
          data-testid="setting-readiness-timeout"
          type="text"
          inputMode="numeric"
          className="input input-narrow"
          value={timeout}
          onChange={(e) => {
            setTimeoutText(e.currentTarget.value);
            setSaved(false);
          }}
        />
      </FormField>
      <div className="form-actions">
        <span className="muted" role="status">
          {saved && !dirty ? 'Saved.' : ''}
        </span>
        <button type="submit" className="button button-primary button-small" data-testid="settings-save" disabled={!dirty || saving}>
          {saving ? 'Saving…' : 'Save settings'}
        </button>
      </div>
    </form>
  );
}

export function GeneralSettings() {
  const settings = useCatalogue((s) => s.settings);
  const status = useCatalogue((s) => s.settingsStatus);
  const error = useCatalogue((s) => s.settingsError);
  const loadSettings = useCatalogue((s) => s.loadSettings);
  return (
    <section className="settings-section" aria-labelledby="lifecycle-heading">
      <h3 id="lifecycle-heading" className="settings-title">
        Instances
      </h3>
      {settings ? (
        <SettingsForm settings={settings} />
      ) : status === 'failed' && error ? (
        <div className="notice notice-error" role="alert">
          <div className="notice-text">
            <strong>Could not load the settings.</strong> {error.message} {error.action}
          </div>
          <button type="button" className="button button-secondary button-small" onClick={() => void loadSettings()}>
            Try again
          </button>
        </div>
      ) : (
        <p className="muted" aria-busy="true">
          <span className="spinner spinner-small" aria-hidden="true" /> Loading settings…
        </p>
      )}
    </section>
  );
}
