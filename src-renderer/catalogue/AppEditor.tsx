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
import { useT, type MessageKey } from '../i18n/i18n';
import {
  DEFAULT_GUACD_PORT,
  DEFAULT_RDP_PORT,
  LEAST_LOADED_NODE,
  RDP_SECURITY,
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
import { translateSharedMessage } from '../store/zod-messages';
import { useCatalogue } from './store-context';
import { errorMessage } from '../i18n/error-text';

const fieldId = (field: AppField) => `app-field-${fieldKey(field)}`;

/** The main process's own check names a schema path: show it next to that field. */
function serverFieldError(error: ErrorInfo): { field: AppField; message: string } | null {
  if (error.code !== 'INVALID_REQUEST') return null;
  const text = error.messageText;
  if (text?.key !== 'error.request.invalid') return null;
  const path = String(text.params.path ?? '');
  const problem = String(text.params.problem ?? '');
  if (!path.startsWith('app.')) return null;
  return { field: fieldOfPath(path.slice(4).split('.')), message: translateSharedMessage(problem) ?? problem };
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

const RDP_SECURITY_LABELS: Record<(typeof RDP_SECURITY)[number], MessageKey> = {
  any: 'editor.rdpSecurityAny',
  nla: 'editor.rdpSecurityNla',
  'nla-ext': 'editor.rdpSecurityNlaExt',
  tls: 'editor.rdpSecurityTls',
  vmconnect: 'editor.rdpSecurityVmconnect',
  rdp: 'editor.rdpSecurityRdp',
};

const PROVIDER_LABELS: Record<AppProvider, MessageKey> = {
  docker: 'editor.providerDocker',
  proxmox: 'editor.providerProxmox',
};

function AppEditorForm({ target, app }: { target: EditorTarget; app: App | undefined }) {
  const t = useT();
  const closeEditor = useCatalogue((s) => s.closeEditor);
  const saveApp = useCatalogue((s) => s.saveApp);
  const openSettings = useCatalogue((s) => s.openSettings);
  const endpoints = useCatalogue((s) => s.dockerEndpoints);
  const endpointsStatus = useCatalogue((s) => s.dockerEndpointsStatus);
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
      title: t('editor.discardTitle'),
      message: <p>{app ? t('editor.discardEdit', { name: app.name }) : t('editor.discardNew')}</p>,
      confirmLabel: t('editor.discard'),
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

  const endpointHint = t('editor.endpointHint');
  const knownEndpoint = values.endpointId === '' || endpoints.some((e) => e.id === values.endpointId);
  const knownProxmox = values.proxmoxEndpointId === '' || proxmoxEndpoints.some((e) => e.id === values.proxmoxEndpointId);
  const noProxmoxEndpoints = proxmoxStatus === 'ready' && proxmoxEndpoints.length === 0;

  const proxmoxEndpointHint = noProxmoxEndpoints ? (
    <span data-testid="app-proxmox-no-endpoints">
      {t('editor.noProxmoxBefore')}{' '}
      <button type="button" className="link-button" data-testid="app-open-settings" onClick={openSettings}>
        {t('editor.noProxmoxLink')}
      </button>
      {t('editor.noProxmoxAfter')}
    </span>
  ) : proxmoxStatus === 'failed' && proxmoxError ? (
    <span>
      {t('editor.proxmoxLoadFailed', { message: errorMessage(proxmoxError) })}{' '}
      <button type="button" className="link-button" onClick={() => void loadProxmoxEndpoints()}>
        {t('common.tryAgain')}
      </button>
    </span>
  ) : (
    <span>
      {t('editor.proxmoxEndpointHint')}{' '}
      <button type="button" className="link-button" onClick={openSettings}>
        {t('editor.manageEndpoints')}
      </button>
    </span>
  );

  const providerHint = vm ? t('editor.providerProxmoxHint') : t('editor.providerDockerHint');
  const modeHint = cloning ? t('editor.modeCloneHint') : t('editor.modeExistingHint');
  const onStopHint = values.proxmoxOnStop === 'delete' ? t('editor.onStopDeleteHint') : t('editor.onStopKeepHint');
  const nodeHint = cloning ? t('editor.nodeCloneHint', { leastLoaded: LEAST_LOADED_NODE }) : t('editor.nodeExistingHint');

  const title = app ? t('editor.editTitle', { name: app.name }) : t('editor.newTitle');

  const displayKind = values.proxmoxDisplayKind;
  const passwordSet = app?.provider === 'proxmox' && app.displayPasswordSet === true;
  const passwordHint = passwordSet ? t('editor.displayPasswordSet') : t('editor.displayPasswordNone');
  const checkbox = (field: 'proxmoxRdpIgnoreCert' | 'proxmoxClearPassword', title: string, hint?: string) => (
    <div className="field field-checkbox">
      <label className="checkbox">
        <input {...control(field, undefined)} type="checkbox" checked={values[field]} onChange={(e) => update(field, e.currentTarget.checked)} />
        <span>
          {title}
          {hint ? <span className="field-hint checkbox-hint">{hint}</span> : null}
        </span>
      </label>
    </div>
  );
  const displaySection = (
    <fieldset className="form-section" data-testid="app-display-section">
      <legend>{t('editor.sectionDisplay')}</legend>
      {vm ? (
        <>
          {wrapField(
            'proxmoxDisplayKind',
            t('editor.displayKind'),
            { hint: t('editor.displayKindHint') },
            <select
              {...control('proxmoxDisplayKind', t('editor.displayKindHint'))}
              value={displayKind}
              className="input select"
              onChange={(e) => update('proxmoxDisplayKind', e.currentTarget.value as AppFormValues['proxmoxDisplayKind'])}
            >
              <option value="vncproxy">{t('editor.displayVncproxy')}</option>
              <option value="vnc">{t('editor.displayVnc')}</option>
              <option value="rdp">{t('editor.displayRdp')}</option>
            </select>,
          )}
          {displayKind === 'vnc' ? (
            <div className="form-grid form-grid-2">
              {text('proxmoxVncHost', t('editor.vncHost'), { required: true, mono: true, placeholder: 'pve1.example.org', hint: t('editor.vncHostHint') })}
              {text('proxmoxVncPort', t('editor.vncPortDirect'), { required: true, inputMode: 'numeric', placeholder: '5977', hint: t('editor.vncPortDirectHint') })}
            </div>
          ) : null}
          {displayKind === 'rdp' ? (
            <>
              <div className="form-grid form-grid-3">
                {text('proxmoxRdpUsername', t('editor.rdpUsername'), { placeholder: 'alice' })}
                {text('proxmoxRdpDomain', t('editor.rdpDomain'), { placeholder: 'EXAMPLE' })}
                {text('proxmoxRdpPort', t('editor.rdpPort'), { inputMode: 'numeric', placeholder: String(DEFAULT_RDP_PORT) })}
              </div>
              <div className="form-grid form-grid-2">
                {wrapField(
                  'proxmoxRdpSecurity',
                  t('editor.rdpSecurity'),
                  { hint: t('editor.rdpSecurityHint') },
                  <select
                    {...control('proxmoxRdpSecurity', t('editor.rdpSecurityHint'))}
                    value={values.proxmoxRdpSecurity}
                    className="input select"
                    onChange={(e) => update('proxmoxRdpSecurity', e.currentTarget.value as AppFormValues['proxmoxRdpSecurity'])}
                  >
                    {RDP_SECURITY.map((security) => (
                      <option key={security} value={security}>
                        {t(RDP_SECURITY_LABELS[security] as 'editor.rdpSecurityAny')}
                      </option>
                    ))}
                  </select>,
                )}
                {checkbox('proxmoxRdpIgnoreCert', t('editor.rdpIgnoreCert'), t('editor.rdpIgnoreCertHint'))}
              </div>
            </>
          ) : null}
          {displayKind !== 'vncproxy' ? (
            <div className="form-grid form-grid-2">
              {wrapField(
                'proxmoxDisplayPassword',
                t('editor.displayPassword'),
                { hint: passwordHint },
                <input
                  {...control('proxmoxDisplayPassword', passwordHint)}
                  value={values.proxmoxDisplayPassword}
                  type="password"
                  className="input"
                  placeholder={passwordSet ? t('editor.displayPasswordKeep') : ''}
                  autoComplete="new-password"
                  disabled={values.proxmoxClearPassword}
                  onChange={(e) => update('proxmoxDisplayPassword', e.currentTarget.value)}
                />,
              )}
              {passwordSet ? checkbox('proxmoxClearPassword', t('editor.clearPassword')) : null}
            </div>
          ) : null}
        </>
      ) : null}
      <div className="form-grid form-grid-3">
        {wrapField(
          'gateway',
          t('editor.gateway'),
          { hint: t('editor.gatewayHint') },
          <select
            {...control('gateway', t('editor.gatewayHint'))}
            value={values.gateway}
            className="input select"
            onChange={(e) => update('gateway', e.currentTarget.value as AppFormValues['gateway'])}
          >
            <option value="default">{t('editor.gatewayDefault')}</option>
            <option value="embedded">{t('editor.gatewayEmbedded')}</option>
            <option value="guacd">{t('editor.gatewayGuacd')}</option>
          </select>,
        )}
        {values.gateway === 'guacd' ? (
          <>
            {text('guacdHost', t('editor.guacdHost'), { mono: true, placeholder: '127.0.0.1', hint: t('editor.guacdHostHint') })}
            {text('guacdPort', t('editor.guacdPort'), { inputMode: 'numeric', placeholder: String(DEFAULT_GUACD_PORT) })}
          </>
        ) : null}
      </div>
    </fieldset>
  );

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
            {t('common.required')}
          </span>
          <button type="button" className="button button-secondary" onClick={requestClose} disabled={saving}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button-primary" data-testid="app-editor-save" disabled={saving} aria-busy={saving}>
            {saving ? (
              <>
                <span className="spinner spinner-small spinner-on-accent" aria-hidden="true" />
                {t('common.saving')}
              </>
            ) : app ? (
              t('editor.save')
            ) : (
              t('editor.create')
            )}
          </button>
        </>
      }
    >
      {serverError ? <ErrorNotice error={serverError} onDismiss={() => setServerError(null)} /> : null}

      <fieldset className="form-section">
        <legend>{t('editor.sectionApp')}</legend>
        <div className="form-grid form-grid-name">
          {text('name', t('editor.name'), { required: true, maxLength: 80 })}
          {text('icon', t('editor.icon'), { placeholder: '🖥️', hint: t('editor.iconHint'), maxLength: 16, className: 'field-icon' })}
        </div>
        {area('description', t('editor.description'), { rows: 2 })}
        {wrapField(
          'provider',
          t('editor.runsAs'),
          { hint: providerHint },
          <select
            {...control('provider', providerHint)}
            value={values.provider}
            className="input select select-provider"
            onChange={(e) => chooseProvider(e.currentTarget.value as AppProvider)}
          >
            {(Object.keys(PROVIDER_LABELS) as AppProvider[]).map((provider) => (
              <option key={provider} value={provider}>
                {t(PROVIDER_LABELS[provider] as 'editor.providerDocker')}
              </option>
            ))}
          </select>,
        )}
      </fieldset>

      {vm ? (
        <fieldset className="form-section" data-testid="app-vm-section">
          <legend>{t('editor.sectionVm')}</legend>
          <div className="form-grid form-grid-2">
            {wrapField(
              'proxmoxEndpointId',
              t('editor.proxmoxEndpoint'),
              { required: true, hint: proxmoxEndpointHint },
              <select
                {...control('proxmoxEndpointId', proxmoxEndpointHint)}
                value={values.proxmoxEndpointId}
                className="input select"
                aria-required="true"
                aria-busy={proxmoxStatus === 'loading'}
                onChange={(e) => update('proxmoxEndpointId', e.currentTarget.value)}
              >
                <option value="">{noProxmoxEndpoints ? t('editor.noneSetUp') : t('editor.chooseEndpoint')}</option>
                {proxmoxEndpoints.map((endpoint) => (
                  <option key={endpoint.id} value={endpoint.id}>
                    {endpoint.name} — {endpoint.url}
                  </option>
                ))}
                {!knownProxmox ? (
                  <option value={values.proxmoxEndpointId}>
                    {proxmoxStatus === 'ready' ? t('editor.removedEndpoint', { id: values.proxmoxEndpointId }) : values.proxmoxEndpointId}
                  </option>
                ) : null}
              </select>,
            )}
            {wrapField(
              'proxmoxMode',
              t('editor.eachInstance'),
              { hint: modeHint },
              <select
                {...control('proxmoxMode', modeHint)}
                value={values.proxmoxMode}
                className="input select"
                onChange={(e) => update('proxmoxMode', e.currentTarget.value as AppFormValues['proxmoxMode'])}
              >
                <option value="clone">{t('editor.modeClone')}</option>
                <option value="existing">{t('editor.modeExisting')}</option>
              </select>,
            )}
          </div>
          <div className="form-grid form-grid-2">
            {cloning
              ? text('proxmoxTemplateVmid', t('editor.templateVmid'), {
                  required: true,
                  inputMode: 'numeric',
                  mono: true,
                  placeholder: '9000',
                  hint: t('editor.templateVmidHint'),
                })
              : text('proxmoxVmid', t('editor.vmid'), {
                  required: true,
                  inputMode: 'numeric',
                  mono: true,
                  placeholder: '120',
                  hint: t('editor.vmidHint'),
                })}
            {text('proxmoxNode', t('editor.node'), {
              required: !cloning,
              mono: true,
              placeholder: cloning ? t('editor.nodePlaceholder') : 'pve1',
              hint: nodeHint,
              list: cloning ? 'app-proxmox-node-options' : undefined,
            })}
            {cloning ? (
              <datalist id="app-proxmox-node-options">
                <option value={LEAST_LOADED_NODE}>{t('editor.leastLoadedNode')}</option>
              </datalist>
            ) : null}
          </div>
          {cloning ? (
            <>
              <div className="form-grid form-grid-2">
                {text('proxmoxNamePattern', t('editor.vmName'), {
                  mono: true,
                  placeholder: 'daas-{app}-{instance}',
                  maxLength: 63,
                  hint: t('editor.vmNameHint'),
                })}
                {text('proxmoxPool', t('editor.pool'), { mono: true, placeholder: t('editor.poolPlaceholder'), hint: t('editor.poolHint') })}
              </div>
              <div className="form-grid form-grid-2">
                {wrapField(
                  'proxmoxOnStop',
                  t('editor.whenStops'),
                  { hint: onStopHint },
                  <select
                    {...control('proxmoxOnStop', onStopHint)}
                    value={values.proxmoxOnStop}
                    className="input select"
                    onChange={(e) => update('proxmoxOnStop', e.currentTarget.value as AppFormValues['proxmoxOnStop'])}
                  >
                    <option value="delete">{t('editor.deleteClone')}</option>
                    <option value="keep">{t('editor.keepClone')}</option>
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
                      {t('editor.fullClone')}
                      <span className="field-hint checkbox-hint">{t('editor.fullCloneHint')}</span>
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
            <legend>{t('editor.sectionContainer')}</legend>
            {text('image', t('editor.image'), {
              required: true,
              mono: true,
              placeholder: 'daas/desktop:latest',
              hint: t('editor.imageHint'),
            })}
            <div className="form-grid form-grid-2">
              {area('command', t('editor.command'), {
                mono: true,
                rows: 4,
                placeholder: '/usr/local/bin/start-desktop.sh\n--geometry\n1280x800',
                hint: t('editor.commandHint'),
              })}
              {area('env', t('editor.env'), {
                mono: true,
                rows: 4,
                placeholder: 'TZ=Europe/Berlin\nLANG=de_DE.UTF-8',
                hint: t('editor.envHint'),
              })}
            </div>
          </fieldset>

          <fieldset className="form-section">
            <legend>{t('editor.sectionResources')}</legend>
            <div className="form-grid form-grid-3">
              {text('cpus', t('editor.cpus'), { inputMode: 'decimal', placeholder: t('editor.noLimit'), hint: t('editor.cpusHint') })}
              {text('memory', t('editor.memory'), { placeholder: t('editor.noLimit'), hint: t('editor.memoryHint') })}
              {text('shmSize', t('editor.shmSize'), { placeholder: '64m', hint: t('editor.shmSizeHint') })}
            </div>
          </fieldset>
        </>
      )}

      {displaySection}

      <fieldset className="form-section">
        <legend>{t('editor.sectionDesktop')}</legend>
        <div className={`form-grid ${vm ? 'form-grid-2' : 'form-grid-3'}`}>
          {vm ? null : text('vncPort', t('editor.vncPort'), { inputMode: 'numeric', placeholder: '5901' })}
          {text('desktopWidth', t('editor.width'), { inputMode: 'numeric', placeholder: '1280' })}
          {text('desktopHeight', t('editor.height'), { inputMode: 'numeric', placeholder: '800' })}
        </div>
      </fieldset>

      {vm ? null : (
        <fieldset className="form-section">
          <legend>{t('editor.sectionHome')}</legend>
          <p className="section-hint muted">{t('editor.homeHint')}</p>
          <div className="form-grid form-grid-2">
            {text('homeVolumeName', t('editor.volumeName'), { mono: true, placeholder: 'daas-home' })}
            {text('homeVolumeMountPath', t('editor.mountPath'), { mono: true, placeholder: '/home/desktop' })}
          </div>
        </fieldset>
      )}

      <fieldset className="form-section">
        <legend>{vm ? t('editor.sectionIdle') : t('editor.sectionPlacement')}</legend>
        <div className="form-grid form-grid-2">
          {vm
            ? null
            : wrapField(
                'endpointId',
                t('editor.dockerEndpoint'),
                { hint: endpointHint },
                <select
                  {...control('endpointId', endpointHint)}
                  value={values.endpointId}
                  className="input select"
                  onChange={(e) => update('endpointId', e.currentTarget.value)}
                  aria-busy={endpointsStatus === 'loading'}
                >
                  <option value="">{t('editor.leastLoaded')}</option>
                  {endpoints.map((endpoint) => (
                    <option key={endpoint.id} value={endpoint.id}>
                      {endpoint.name} — {endpoint.url}
                    </option>
                  ))}
                  {!knownEndpoint ? (
                    <option value={values.endpointId}>
                      {endpointsStatus === 'ready' ? t('editor.removedEndpoint', { id: values.endpointId }) : values.endpointId}
                    </option>
                  ) : null}
                </select>,
              )}
          {text('idleTimeoutMinutes', t('editor.idle'), {
            inputMode: 'numeric',
            placeholder: t('editor.never'),
            hint: t('editor.idleHint'),
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
  const t = useT();
  if (!target) return null;
  if (target.kind === 'edit' && !app) {
    return (
      <Dialog
        title={t('editor.notFoundTitle')}
        onClose={closeEditor}
        size="small"
        footer={
          <button type="button" className="button button-primary" onClick={closeEditor}>
            {t('common.close')}
          </button>
        }
      >
        <p>{t('editor.notFound')}</p>
      </Dialog>
    );
  }
  // A fresh form per app (keyed), filled from the app as it was when the editor opened.
  return <AppEditorForm key={target.kind === 'edit' ? target.appId : 'new'} target={target} app={app} />;
}
