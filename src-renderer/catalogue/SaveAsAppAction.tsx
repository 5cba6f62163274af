// "Save as new app…" on an instance: asks for the new app's name, then commits the container
// (running, or kept after it stopped while the app was away) or turns a stopped, kept Proxmox
// clone into a template; a container instance whose container went says why it cannot. The new
// app arrives in the catalogue through apps.changed; this shows the step, the outcome or the error.
import { useId, useState, type FormEvent } from 'react';
import { toErrorInfo, type ErrorInfo } from '../../src-shared/errors';
import { keptAfterStopping } from '../../src-shared/instance-states';
import type { Instance } from '../../src-shared/model';
import { call } from '../api/call';
import { ErrorNotice } from '../components/ErrorNotice';
import { useT } from '../i18n/i18n';
import { reportLines } from '../i18n/error-text';
import { useCatalogue } from './store-context';

/** Where saving makes sense: a container that runs or is kept after it stopped, or a VM once stopped. */
function canSave(instance: Instance, vm: boolean): boolean {
  return vm ? instance.state === 'stopped' : instance.state === 'running' || keptAfterStopping(instance);
}

/** A container instance that ended without keeping its container: say why there is no Save. */
function removedContainer(instance: Instance, vm: boolean): boolean {
  return !vm && (instance.state === 'stopped' || instance.state === 'failed') && !keptAfterStopping(instance);
}

export function SaveAsAppAction({ instance, vm }: { instance: Instance; vm: boolean }) {
  const t = useT();
  const nameId = useId();
  const progress = useCatalogue((s) => s.instanceProgress[instance.id]);
  const [name, setName] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  if (removedContainer(instance, vm)) {
    return (
      <p className="muted save-as-app" data-testid="save-as-app-unavailable">
        {t('saveAsApp.unavailableContainer')}
      </p>
    );
  }
  if (!canSave(instance, vm)) return null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (saving || !name?.trim()) return;
    setSaving(true);
    setError(null);
    try {
      const app = await call('instances.saveAsApp', { instanceId: instance.id, name: name.trim() });
      setSaved(app.name);
      setName(null);
    } catch (err) {
      setError(toErrorInfo(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="save-as-app" data-testid="save-as-app">
      {name === null ? (
        <button
          type="button"
          className="button button-secondary button-small"
          data-testid="save-as-app-open"
          onClick={() => {
            setSaved(null);
            setName(t('saveAsApp.defaultName', { app: instance.appName }));
          }}
        >
          {t('saveAsApp.action')}
        </button>
      ) : (
        <form onSubmit={(e) => void submit(e)} aria-busy={saving}>
          <label htmlFor={nameId}>{t('saveAsApp.name')}</label>{' '}
          <input id={nameId} data-testid="save-as-app-name" value={name} maxLength={80} onChange={(e) => setName(e.target.value)} disabled={saving} />{' '}
          <button type="submit" className="button button-primary button-small" data-testid="save-as-app-save" aria-disabled={saving || !name.trim()}>
            {saving ? t('saveAsApp.saving') : t('saveAsApp.save')}
          </button>{' '}
          <button type="button" className="button button-ghost button-small" onClick={() => setName(null)} disabled={saving}>
            {t('saveAsApp.cancel')}
          </button>
          <p className="muted">{vm ? t('saveAsApp.hintVm') : t('saveAsApp.hintContainer')}</p>
          {saving && progress ? (
            <p className="muted" role="status">
              {reportLines([progress.message], progress.text ? [progress.text] : undefined)[0]}
            </p>
          ) : null}
        </form>
      )}
      {saved ? (
        <p role="status" data-testid="save-as-app-done">
          {t('saveAsApp.done', { name: saved })}
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} testId="save-as-app-error" className="inline-error" onDismiss={() => setError(null)} /> : null}
    </div>
  );
}
