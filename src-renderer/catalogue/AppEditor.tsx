// Creates or edits an app: every setting of a container app or a Proxmox VE VM app,
// checked as it is typed with the shared schema (errors show once a field was left, or
// on Save).
import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { ErrorInfo } from '../../src-shared/errors';
import type { App } from '../../src-shared/model';
import { Dialog } from '../components/Dialog';
import { ErrorNotice } from '../components/ErrorNotice';
import { FormField, fieldProps } from '../components/FormField';
import { useConfirm } from '../components/use-confirm';
import {
  LEAST_LOADED_NODE,
  buildAppInput,
  emptyAppForm,
  fieldApplies,
  fieldKey,
  fieldOfPath,
  firstErrorField,
  formFromApp,
  type AppField,
  type AppFormValues,
  type AppProvider,
  type AppTextField,
} from '../store/app-form';
import type { EditorTarget } from '../store/catalogue-store';
import { useCatalogue } from './store-context';

const fieldId = (field: AppField) => `app-field-${fieldKey(field)}`;

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

const PROVIDER_LABELS: Record<AppProvider, string> = {
  docker: 'Container',
  proxmox: 'Virtual machine (Proxmox)',
};

function AppEditorForm({ target, app }: { target: EditorTarget; app: App | undefined }) {
  const closeEditor = useCatalogue((s) => s.closeEditor);
  const saveApp = useCatalogue((s) => s.saveApp);
  const openSettings = useCatalogue((s) => s.openSettings);
  const endpoints = useCatalogue((s) => s.endpoints);
  const endpointsStatus = useCatalogue((s) => s.endpointsStatus);
  const proxmoxEndpoints = useCatalogue((s) => s.proxmoxEndpoints);
  const proxmoxStatus = useCatalogue((s) => s.proxmoxStatus);
  const proxmoxError = useCatalogue((s) => s.proxmoxError);
  const loadProxmoxEndpoints = useCatalogue((s) => s.loadProxmoxEndpoints);

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
    (touched[field] || submitted) && fieldApplies(values, field) ? (errors[field] ?? serverFieldErrors[field]) : undefined;
  const dirty = useMemo(() => (Object.keys(initial) as AppField[]).some((k) => initial[k] !== values[k]), [initial, values]);
  const vm = values.provider === 'proxmox';
  const cloning = values.proxmoxMode === 'clone';

  const update = <K extends AppField>(field: K, value: AppFormValues[K]) => {
    setValues((v) => ({ ...v, [field]: value }));
    if (serverFieldErrors[field]) setServerFieldErrors(({ [field]: _dropped, ...rest }) => rest);
  };
  const touch = (field: AppField) => setTouched((t) => (t[field] ? t : { ...t, [field]: true }));

  // An endpoint added from here (Settings, over the editor) is the one meant.
  const onlyProxmoxId = proxmoxEndpoints.length === 1 ? proxmoxEndpoints[0]!.id : null;
  useEffect(() => {
    if (onlyProxmoxId === null) return;
    setValues((v) => (v.provider === 'proxmox' && v.proxmoxEndpointId === '' ? { ...v, proxmoxEndpointId: onlyProxmoxId } : v));
  }, [onlyProxmoxId]);

  const chooseProvider = (provider: AppProvider) => {
    setValues((v) => ({
      ...v,
      provider,
      // With one Proxmox endpoint there is nothing to choose.
      proxmoxEndpointId:
        provider === 'proxmox' && v.proxmoxEndpointId === '' && proxmoxEndpoints.length === 1
          ? proxmoxEndpoints[0]!.id
          : v.proxmoxEndpointId,
    }));
  };

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

  /** id, test hook, name, ARIA and blur of any control. */
  const control = (field: AppField, hint: ReactNode | undefined) => {
    const error = shown(field);
    return {
      ...fieldProps(fieldId(field), { hint, error }),
      'data-testid': fieldId(field),
      name: fieldKey(field),
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

  const wrapField = (field: AppField, title: string, opts: { hint?: ReactNode; required?: boolean; className?: string }, children: ReactNode) => (
    <FormField
      id={fieldId(field)}
      label={label(title, opts.required)}
      hint={opts.hint}
      error={shown(field)}
      errorTestId="app-field-error"
      errorKey={fieldKey(field)}
      className={opts.className}
    >
      {children}
    </FormField>
  );

  const text = (field: AppTextField, title: string, opts: TextOptions & { list?: string } = {}) =>
    wrapField(
      field,
      title,
      opts,
      <input
        {...control(field, opts.hint)}
        value={values[field]}
        ref={field === 'name' ? nameRef : undefined}
        type="text"
        className={`input${opts.mono ? ' mono' : ''}`}
        placeholder={opts.placeholder}
        inputMode={opts.inputMode}
        maxLength={opts.maxLength}
        list={opts.list}
        aria-required={opts.required || undefined}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => update(field, e.currentTarget.value)}
      />,
    );

  const area = (field: AppTextField, title: string, opts: TextOptions = {}) =>
    wrapField(
      field,
      title,
      opts,
      <textarea
        {...control(field, opts.hint)}
        value={values[field]}
        className={`input textarea${opts.mono ? ' mono' : ''}`}
        rows={opts.rows ?? 3}
        placeholder={opts.placeholder}
        spellCheck={false}
        onChange={(e) => update(field, e.currentTarget.value)}
      />,
    );

  const endpointHint = 'Where its instances run. Least loaded picks the endpoint running the fewest instances.';
  const knownEndpoint = values.endpointId === '' || endpoints.some((e) => e.id === values.endpointId);
  const knownProxmox = values.proxmoxEndpointId === '' || proxmoxEndpoints.some((e) => e.id === values.proxmoxEndpointId);
  const noProxmoxEndpoints = proxmoxStatus === 'ready' && proxmoxEndpoints.length === 0;

  const proxmoxEndpointHint = noProxmoxEndpoints ? (
    <span data-testid="app-proxmox-no-endpoints">
      No Proxmox endpoint is set up yet.{' '}
      <button type="button" className="link-button" data-testid="app-open-settings" onClick={openSettings}>
        Add one in Settings
      </button>
      , then pick it here.
    </span>
  ) : proxmoxStatus === 'failed' && proxmoxError ? (
    <span>
      Could not load the Proxmox endpoints: {proxmoxError.message}{' '}
      <button type="button" className="link-button" onClick={() => void loadProxmoxEndpoints()}>
        Try again
      </button>
    </span>
  ) : (
    <span>
      The cluster that holds the VM.{' '}
      <button type="button" className="link-button" onClick={openSettings}>
        Manage endpoints
      </button>
    </span>
  );

  const providerHint = vm
    ? 'A Proxmox VE virtual machine: a clone of a template for each instance, or one existing VM.'
    : 'A Docker container for each instance.';
  const modeHint = cloning ? 'Gets its own clone of the template.' : 'Starts and stops this one VM in place.';
  const onStopHint =
    values.proxmoxOnStop === 'delete'
      ? 'Shut it down and delete the clone with its disks.'
      : 'Shut it down and keep the clone in Proxmox.';
  const nodeHint = cloning
    ? `Where the clone runs. Empty: the template's node; ${LEAST_LOADED_NODE}: the node with the most room.`
    : 'The node the VM is on, as Proxmox shows it.';

  const title = app ? `Edit ${app.name}` : 'New app';

  return (
    <Dialog
      title={title}
      onClose={requestClose}
      size="large"
      initialFocus={nameRef}
      testId="app-editor-dialog"
      wrap={(content) => (
        <form
          className="dialog-form"
          data-testid="app-editor"
          data-provider={values.provider}
          aria-label={title}
          noValidate
          onSubmit={(e) => void onSubmit(e)}
        >
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
        {wrapField(
          'provider',
          'Runs as',
          { hint: providerHint },
          <select
            {...control('provider', providerHint)}
            value={values.provider}
            className="input select select-provider"
            onChange={(e) => chooseProvider(e.currentTarget.value as AppProvider)}
          >
            {(Object.keys(PROVIDER_LABELS) as AppProvider[]).map((provider) => (
              <option key={provider} value={provider}>
                {PROVIDER_LABELS[provider]}
              </option>
            ))}
          </select>,
        )}
      </fieldset>

      {vm ? (
        <fieldset className="form-section" data-testid="app-vm-section">
          <legend>Virtual machine</legend>
          <div className="form-grid form-grid-2">
            {wrapField(
              'proxmoxEndpointId',
              'Proxmox endpoint',
              { required: true, hint: proxmoxEndpointHint },
              <select
                {...control('proxmoxEndpointId', proxmoxEndpointHint)}
                value={values.proxmoxEndpointId}
                className="input select"
                aria-required="true"
                aria-busy={proxmoxStatus === 'loading'}
                onChange={(e) => update('proxmoxEndpointId', e.currentTarget.value)}
              >
                <option value="">{noProxmoxEndpoints ? 'None set up' : 'Choose an endpoint…'}</option>
                {proxmoxEndpoints.map((endpoint) => (
                  <option key={endpoint.id} value={endpoint.id}>
                    {endpoint.name} — {endpoint.url}
                  </option>
                ))}
                {!knownProxmox ? (
                  <option value={values.proxmoxEndpointId}>
                    {proxmoxStatus === 'ready' ? `Removed endpoint (${values.proxmoxEndpointId})` : values.proxmoxEndpointId}
                  </option>
                ) : null}
              </select>,
            )}
            {wrapField(
              'proxmoxMode',
              'Each instance',
              { hint: modeHint },
              <select
                {...control('proxmoxMode', modeHint)}
                value={values.proxmoxMode}
                className="input select"
                onChange={(e) => update('proxmoxMode', e.currentTarget.value as AppFormValues['proxmoxMode'])}
              >
                <option value="clone">Clones a template</option>
                <option value="existing">Uses an existing VM</option>
              </select>,
            )}
          </div>
          <div className="form-grid form-grid-2">
            {cloning
              ? text('proxmoxTemplateVmid', 'Template VM ID', {
                  required: true,
                  inputMode: 'numeric',
                  mono: true,
                  placeholder: '9000',
                  hint: 'The template (or, for full clones, any VM) to clone.',
                })
              : text('proxmoxVmid', 'VM ID', {
                  required: true,
                  inputMode: 'numeric',
                  mono: true,
                  placeholder: '120',
                  hint: 'The numeric ID Proxmox shows next to the VM.',
                })}
            {text('proxmoxNode', 'Node', {
              required: !cloning,
              mono: true,
              placeholder: cloning ? "template's node" : 'pve1',
              hint: nodeHint,
              list: cloning ? 'app-proxmox-node-options' : undefined,
            })}
            {cloning ? (
              <datalist id="app-proxmox-node-options">
                <option value={LEAST_LOADED_NODE}>Least loaded node</option>
              </datalist>
            ) : null}
          </div>
          {cloning ? (
            <>
              <div className="form-grid form-grid-2">
                {text('proxmoxNamePattern', 'VM name', {
                  mono: true,
                  placeholder: 'daas-{app}-{instance}',
                  maxLength: 63,
                  hint: '{app}, {instance} and {vmid} are replaced; the result must be a DNS name.',
                })}
                {text('proxmoxPool', 'Pool', { mono: true, placeholder: 'none', hint: 'Put each clone in this resource pool.' })}
              </div>
              <div className="form-grid form-grid-2">
                {wrapField(
                  'proxmoxOnStop',
                  'When an instance stops',
                  { hint: onStopHint },
                  <select
                    {...control('proxmoxOnStop', onStopHint)}
                    value={values.proxmoxOnStop}
                    className="input select"
                    onChange={(e) => update('proxmoxOnStop', e.currentTarget.value as AppFormValues['proxmoxOnStop'])}
                  >
                    <option value="delete">Delete the clone</option>
                    <option value="keep">Keep the clone</option>
                  </select>,
                )}
                <div className="field field-checkbox">
                  <label className="checkbox">
                    <input
                      {...control('proxmoxFull', undefined)}
                      type="checkbox"
                      checked={values.proxmoxFull}
                      onChange={(e) => update('proxmoxFull', e.currentTarget.checked)}
                    />
                    <span>
                      Full clone
                      <span className="field-hint checkbox-hint">
                        Independent disks: slower to create, but no longer tied to the template. Off: a linked clone that
                        shares the template's disks and is ready at once.
                      </span>
                    </span>
                  </label>
                </div>
              </div>
            </>
          ) : null}
        </fieldset>
      ) : (
        <>
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
        </>
      )}

      <fieldset className="form-section">
        <legend>Desktop</legend>
        <div className={`form-grid ${vm ? 'form-grid-2' : 'form-grid-3'}`}>
          {vm ? null : text('vncPort', 'VNC port in the image', { inputMode: 'numeric', placeholder: '5901' })}
          {text('desktopWidth', 'Width (pixels)', { inputMode: 'numeric', placeholder: '1280' })}
          {text('desktopHeight', 'Height (pixels)', { inputMode: 'numeric', placeholder: '800' })}
        </div>
      </fieldset>

      {vm ? null : (
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
      )}

      <fieldset className="form-section">
        <legend>{vm ? 'Idle stop' : 'Placement and idle stop'}</legend>
        <div className="form-grid form-grid-2">
          {vm
            ? null
            : wrapField(
                'endpointId',
                'Docker endpoint',
                { hint: endpointHint },
                <select
                  {...control('endpointId', endpointHint)}
                  value={values.endpointId}
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
                </select>,
              )}
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
