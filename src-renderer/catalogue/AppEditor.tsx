// Creates or edits an app: every setting of a container app, checked as it is typed
// with the shared schema (errors show once a field was left, or on Save).
import { useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { ErrorInfo } from '../../src-shared/errors';
import type { App } from '../../src-shared/model';
import { Dialog } from '../components/Dialog';
import { ErrorNotice } from '../components/ErrorNotice';
import { FormField, fieldProps } from '../components/FormField';
import { useConfirm } from '../components/use-confirm';
import {
  buildAppInput,
  emptyAppForm,
  fieldOfPath,
  firstErrorField,
  formFromApp,
  type AppField,
  type AppFormValues,
} from '../store/app-form';
import type { EditorTarget } from '../store/catalogue-store';
import { useCatalogue } from './store-context';

const fieldId = (field: AppField) => `app-field-${field}`;

/** The main process's own check names a schema path: show it next to that field. */
function serverFieldError(error: ErrorInfo): { field: AppField; message: string } | null {
  if (error.code !== 'INVALID_REQUEST') return null;
  const match = /request: app\.([\w.]+): (.+?)\.?$/.exec(error.message);
  if (!match) return null;
  return { field: fieldOfPath(match[1]!.split('.')), message: match[2]! };
}

interface TextOptions {
  hint?: ReactNode;
  placeholder?: string;
  required?: boolean;
  className?: string;
  inputMode?: 'text' | 'numeric' | 'decimal';
  mono?: boolean;
  rows?: number;
  maxLength?: number;
}

function AppEditorForm({ target, app }: { target: EditorTarget; app: App | undefined }) {
  const closeEditor = useCatalogue((s) => s.closeEditor);
  const saveApp = useCatalogue((s) => s.saveApp);
  const endpoints = useCatalogue((s) => s.endpoints);
  const endpointsStatus = useCatalogue((s) => s.endpointsStatus);

  const [initial] = useState<AppFormValues>(() => (app ? formFromApp(app) : emptyAppForm()));
  const [values, setValues] = useState(initial);
  const [touched, setTouched] = useState<Partial<Record<AppField, true>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [serverError, setServerError] = useState<ErrorInfo | null>(null);
  const [serverFieldErrors, setServerFieldErrors] = useState<Partial<Record<AppField, string>>>({});
  const nameRef = useRef<HTMLInputElement>(null);
  const confirm = useConfirm();

  const { input, errors } = useMemo(() => buildAppInput(values), [values]);
  const shown = (field: AppField): string | undefined =>
    touched[field] || submitted ? (errors[field] ?? serverFieldErrors[field]) : undefined;
  const dirty = useMemo(() => (Object.keys(initial) as AppField[]).some((k) => initial[k] !== values[k]), [initial, values]);

  const update = (field: AppField, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    if (serverFieldErrors[field]) setServerFieldErrors(({ [field]: _dropped, ...rest }) => rest);
  };
  const touch = (field: AppField) => setTouched((t) => (t[field] ? t : { ...t, [field]: true }));

  const requestClose = () => {
    if (saving) return;
    if (!dirty) {
      closeEditor();
      return;
    }
    confirm.ask({
      title: 'Discard your changes?',
      message: <p>{app ? `The changes to ${app.name} are not saved.` : 'The new app is not saved.'}</p>,
      confirmLabel: 'Discard',
      danger: true,
      onConfirm: closeEditor,
    });
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    setSubmitted(true);
    const first = firstErrorField(errors);
    if (first) {
      document.getElementById(fieldId(first))?.focus();
      return;
    }
    setSaving(true);
    setServerError(null);
    const outcome = await saveApp(target.kind === 'edit' ? target.appId : null, input);
    // On success the store closed the editor.
    if (!outcome.ok) {
      setSaving(false);
      setServerError(outcome.error);
      const onField = serverFieldError(outcome.error);
      if (onField) {
        setServerFieldErrors({ [onField.field]: onField.message });
        document.getElementById(fieldId(onField.field))?.focus();
      }
    }
  };

  const common = (field: AppField, hint: ReactNode | undefined) => {
    const error = shown(field);
    return {
      ...fieldProps(fieldId(field), { hint, error }),
      'data-testid': fieldId(field),
      name: field,
      value: values[field],
      onBlur: () => touch(field),
    };
  };

  const label = (text: string, required?: boolean) => (
    <>
      {text}
      {required ? (
        <span className="required" aria-hidden="true">
          {' '}
          *
        </span>
      ) : null}
    </>
  );

  const text = (field: AppField, title: string, opts: TextOptions = {}) => (
    <FormField
      id={fieldId(field)}
      label={label(title, opts.required)}
      hint={opts.hint}
      error={shown(field)}
      errorTestId="app-field-error"
      errorKey={field}
      className={opts.className}
    >
      <input
        {...common(field, opts.hint)}
        ref={field === 'name' ? nameRef : undefined}
        type="text"
        className={`input${opts.mono ? ' mono' : ''}`}
        placeholder={opts.placeholder}
        inputMode={opts.inputMode}
        maxLength={opts.maxLength}
        aria-required={opts.required || undefined}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => update(field, e.currentTarget.value)}
      />
    </FormField>
  );

  const area = (field: AppField, title: string, opts: TextOptions = {}) => (
    <FormField
      id={fieldId(field)}
      label={label(title)}
      hint={opts.hint}
      error={shown(field)}
      errorTestId="app-field-error"
      errorKey={field}
      className={opts.className}
    >
      <textarea
        {...common(field, opts.hint)}
        className={`input textarea${opts.mono ? ' mono' : ''}`}
        rows={opts.rows ?? 3}
        placeholder={opts.placeholder}
        spellCheck={false}
        onChange={(e) => update(field, e.currentTarget.value)}
      />
    </FormField>
  );

  const endpointHint = 'Where its instances run. Least loaded picks the endpoint running the fewest instances.';
  const knownEndpoint = values.endpointId === '' || endpoints.some((e) => e.id === values.endpointId);

  const title = app ? `Edit ${app.name}` : 'New app';

  return (
    <Dialog
      title={title}
      onClose={requestClose}
      size="large"
      initialFocus={nameRef}
      testId="app-editor-dialog"
      wrap={(content) => (
        <form className="dialog-form" data-testid="app-editor" aria-label={title} noValidate onSubmit={(e) => void onSubmit(e)}>
          {content}
        </form>
      )}
      footer={
        <>
          <span className="footer-note muted">
            <span className="required" aria-hidden="true">
              *
            </span>{' '}
            required
          </span>
          <button type="button" className="button button-secondary" onClick={requestClose} disabled={saving}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" data-testid="app-editor-save" disabled={saving} aria-busy={saving}>
            {saving ? 'Saving…' : app ? 'Save' : 'Create app'}
          </button>
        </>
      }
    >
      {serverError ? <ErrorNotice error={serverError} onDismiss={() => setServerError(null)} /> : null}

      <fieldset className="form-section">
        <legend>App</legend>
        <div className="form-grid form-grid-name">
          {text('name', 'Name', { required: true, maxLength: 80 })}
          {text('icon', 'Icon', { placeholder: '🖥️', hint: 'An emoji for its card.', maxLength: 16, className: 'field-icon' })}
        </div>
        {area('description', 'Description', { rows: 2 })}
      </fieldset>

      <fieldset className="form-section">
        <legend>Container</legend>
        {text('image', 'Image', {
          required: true,
          mono: true,
          placeholder: 'daas/desktop:latest',
          hint: 'Any image that runs a VNC server.',
        })}
        <div className="form-grid form-grid-2">
          {area('command', 'Command and arguments', {
            mono: true,
            rows: 4,
            placeholder: '/usr/local/bin/start-desktop.sh\n--geometry\n1280x800',
            hint: "One argument per line, no quoting. Empty runs the image's own command.",
          })}
          {area('env', 'Environment', {
            mono: true,
            rows: 4,
            placeholder: 'TZ=Europe/Berlin\nLANG=de_DE.UTF-8',
            hint: 'One NAME=value per line. The VNC password and desktop size are set for each instance.',
          })}
        </div>
      </fieldset>

      <fieldset className="form-section">
        <legend>Resources</legend>
        <div className="form-grid form-grid-3">
          {text('cpus', 'CPU limit', { inputMode: 'decimal', placeholder: 'no limit', hint: 'CPUs, like 2 or 0.5.' })}
          {text('memory', 'Memory limit', { placeholder: 'no limit', hint: 'Like 512m or 2g.' })}
          {text('shmSize', 'Shared memory', { placeholder: '64m', hint: "Like 256m. Empty: Docker's 64m." })}
        </div>
      </fieldset>

      <fieldset className="form-section">
        <legend>Desktop</legend>
        <div className="form-grid form-grid-3">
          {text('vncPort', 'VNC port in the image', { inputMode: 'numeric', placeholder: '5901' })}
          {text('desktopWidth', 'Width (pixels)', { inputMode: 'numeric', placeholder: '1280' })}
          {text('desktopHeight', 'Height (pixels)', { inputMode: 'numeric', placeholder: '800' })}
        </div>
      </fieldset>

      <fieldset className="form-section">
        <legend>Persistent home (optional)</legend>
        <p className="section-hint muted">
          A Docker volume that keeps files between instances; every instance of this app mounts it. Leave both empty for
          none.
        </p>
        <div className="form-grid form-grid-2">
          {text('homeVolumeName', 'Volume name', { mono: true, placeholder: 'daas-home' })}
          {text('homeVolumeMountPath', 'Mount path', { mono: true, placeholder: '/home/desktop' })}
        </div>
      </fieldset>

      <fieldset className="form-section">
        <legend>Placement and idle stop</legend>
        <div className="form-grid form-grid-2">
          <FormField
            id={fieldId('endpointId')}
            label="Docker endpoint"
            hint={endpointHint}
            error={shown('endpointId')}
            errorTestId="app-field-error"
            errorKey="endpointId"
          >
            <select
              {...common('endpointId', endpointHint)}
              className="input select"
              onChange={(e) => update('endpointId', e.currentTarget.value)}
              aria-busy={endpointsStatus === 'loading'}
            >
              <option value="">Least loaded (automatic)</option>
              {endpoints.map((endpoint) => (
                <option key={endpoint.id} value={endpoint.id}>
                  {endpoint.name} — {endpoint.url}
                </option>
              ))}
              {!knownEndpoint ? (
                <option value={values.endpointId}>
                  {endpointsStatus === 'ready' ? `Removed endpoint (${values.endpointId})` : values.endpointId}
                </option>
              ) : null}
            </select>
          </FormField>
          {text('idleTimeoutMinutes', 'Stop when idle for (minutes)', {
            inputMode: 'numeric',
            placeholder: 'never',
            hint: 'No viewer and no input for this long. Empty: never.',
          })}
        </div>
      </fieldset>
      {confirm.dialog}
    </Dialog>
  );
}

/** The editor, when one is open. */
export function AppEditor() {
  const target = useCatalogue((s) => s.editor);
  const app = useCatalogue((s) => (s.editor?.kind === 'edit' ? s.apps.find((a) => a.id === (s.editor as { appId: string }).appId) : undefined));
  const closeEditor = useCatalogue((s) => s.closeEditor);
  if (!target) return null;
  if (target.kind === 'edit' && !app) {
    return (
      <Dialog
        title="App not found"
        onClose={closeEditor}
        size="small"
        footer={
          <button type="button" className="button button-primary" onClick={closeEditor}>
            Close
          </button>
        }
      >
        <p>This app is no longer in the catalogue; it may have been deleted in another window.</p>
      </Dialog>
    );
  }
  // A fresh form per app (keyed), filled from the app as it was when the editor opened.
  return <AppEditorForm key={target.kind === 'edit' ? target.appId : 'new'} target={target} app={app} />;
}
