// Adds or edits a Proxmox VE endpoint. The token secret or password is write-only: the
// box starts empty and, left empty, keeps what is stored. Turning certificate checks off
// takes an explicit confirmation.
import type { ReactNode } from 'react';
import type { ProxmoxEndpointView } from '../../src-shared/contract';
import { ErrorNotice } from '../components/ErrorNotice';
import { FormField, fieldProps } from '../components/FormField';
import { useCatalogue } from '../catalogue/store-context';
import { example, useT, type MessageKey } from '../i18n/i18n';
import {
  PROXMOX_FIELDS,
  buildProxmoxSave,
  emptyProxmoxForm,
  formFromProxmoxEndpoint,
  keepsStoredSecret,
  type ProxmoxAuthKind,
  type ProxmoxField,
  type ProxmoxFormValues,
  type ProxmoxTlsMode,
} from '../store/proxmox-form';
import { ProxmoxTestResult } from './EndpointTestResults';
import { useEndpointDraft } from './use-endpoint-draft';

const TLS_LABELS: Record<ProxmoxTlsMode, MessageKey> = {
  system: 'proxmoxForm.tlsSystem',
  pinned: 'proxmoxForm.tlsPinned',
  insecure: 'proxmoxForm.tlsInsecure',
};

const TLS_HINTS: Record<ProxmoxTlsMode, MessageKey> = {
  system: 'proxmoxForm.tlsSystemHint',
  pinned: 'proxmoxForm.tlsPinnedHint',
  insecure: 'proxmoxForm.tlsInsecureHint',
};

export function ProxmoxEndpointForm({
  existing,
  onDone,
}: {
  existing: ProxmoxEndpointView | null;
  /** Called after Cancel, or with the saved endpoint. */
  onDone: (saved: ProxmoxEndpointView | null) => void;
}) {
  const t = useT();
  const saveProxmoxEndpoint = useCatalogue((s) => s.saveProxmoxEndpoint);
  const testDraft = useCatalogue((s) => s.testProxmoxDraft);
  const { values, set, update, touch, shown, draftTest, onTest, onSubmit, saving, serverError, setServerError, nameRef, headingId, idOf } =
    useEndpointDraft({
      initial: (): ProxmoxFormValues => (existing ? formFromProxmoxEndpoint(existing) : emptyProxmoxForm()),
      build: (v: ProxmoxFormValues) => buildProxmoxSave(v, existing),
      fields: PROXMOX_FIELDS,
      test: testDraft,
      save: saveProxmoxEndpoint,
      onSaved: (outcome) => onDone(outcome.endpoint ?? null),
    });
  const token = values.authKind === 'token';
  const keepSecret = keepsStoredSecret(values, existing);

  const field = (name: ProxmoxField, label: string, hint: ReactNode, control: ReactNode) => (
    <FormField id={idOf(name)} label={label} hint={hint} error={shown(name)} errorTestId="proxmox-field-error" errorKey={name}>
      {control}
    </FormField>
  );
  const controlProps = (name: ProxmoxField, hint: ReactNode) => ({
    ...fieldProps(idOf(name), { hint, error: shown(name) }),
    'data-testid': `proxmox-field-${name}`,
    name,
    onBlur: () => touch(name),
  });

  const text = (
    name: 'name' | 'url' | 'principal' | 'fingerprint',
    label: string,
    hint: ReactNode,
    placeholder: string,
    mono = true,
  ) =>
    field(
      name,
      label,
      hint,
      <input
        {...controlProps(name, hint)}
        ref={name === 'name' ? nameRef : undefined}
        type="text"
        className={`input${mono ? ' mono' : ''}`}
        value={values[name]}
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={false}
        aria-required="true"
        // A policy endpoint: only the secret (and a principal the policy leaves open) is the user's.
        readOnly={Boolean(existing?.managed) && (name !== 'principal' || existing?.principal !== '')}
        onChange={(e) => set(name, e.currentTarget.value)}
      />,
    );

  const principalHint = token ? t('proxmoxForm.tokenIdHint') : t('proxmoxForm.userHint');
  const secretHint = keepSecret
    ? t('proxmoxForm.secretStoredHint')
    : token
      ? t('proxmoxForm.tokenSecretHint')
      : t('proxmoxForm.passwordHint');
  const authHint = token ? t('proxmoxForm.authTokenHint') : t('proxmoxForm.authPasswordHint');
  const tlsHint = t(TLS_HINTS[values.tls] as 'proxmoxForm.tlsSystemHint');

  return (
    <form
      className="endpoint-form"
      data-testid="proxmox-endpoint-form"
      aria-labelledby={headingId}
      noValidate
      onSubmit={(e) => void onSubmit(e)}
      // Escape inside the form cancels it, not the whole settings dialog.
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          e.preventDefault();
          onDone(null);
        }
      }}
    >
      <h4 id={headingId} className="subsection-title">
        {existing ? t('editor.editTitle', { name: existing.name }) : t('proxmoxForm.addTitle')}
      </h4>
      {serverError ? <ErrorNotice error={serverError} onDismiss={() => setServerError(null)} /> : null}
      <div className="form-grid form-grid-2">
        {text('name', t('editor.name'), t('endpointForm.nameHint'), t('proxmoxForm.namePlaceholder'), false)}
        {text('url', t('endpointForm.address'), t('proxmoxForm.addressHint'), example('https://pve.example.org:8006'))}
      </div>
      <div className="form-grid form-grid-3">
        {field(
          'authKind',
          t('proxmoxForm.signInWith'),
          authHint,
          <select
            {...controlProps('authKind', authHint)}
            className="input select"
            disabled={Boolean(existing?.managed && existing.principal)}
            value={values.authKind}
            onChange={(e) => set('authKind', e.currentTarget.value as ProxmoxAuthKind)}
          >
            <option value="token">{t('proxmoxForm.apiToken')}</option>
            <option value="password">{t('proxmoxForm.userAndPassword')}</option>
          </select>,
        )}
        {text('principal', token ? t('proxmoxForm.tokenId') : t('proxmoxForm.user'), principalHint, example(token ? 'daas@pve!desktop' : 'root@pam'))}
        {field(
          'secret',
          token ? t('proxmoxForm.tokenSecret') : t('proxmoxForm.password'),
          secretHint,
          <input
            {...controlProps('secret', secretHint)}
            type="password"
            className={`input${token ? ' mono' : ''}`}
            value={values.secret}
            placeholder={keepSecret ? t('proxmoxForm.storedPlaceholder') : token ? example('xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx') : ''}
            autoComplete="new-password"
            spellCheck={false}
            aria-required={!keepSecret}
            onChange={(e) => set('secret', e.currentTarget.value)}
          />,
        )}
      </div>
      <fieldset className="form-section tls-section">
        <legend>{t('proxmoxForm.certificate')}</legend>
        {field(
          'tls',
          t('proxmoxForm.checkBy'),
          tlsHint,
          <select
            {...controlProps('tls', tlsHint)}
            className="input select"
            disabled={existing?.managed}
            value={values.tls}
            onChange={(e) => {
              const tls = e.currentTarget.value as ProxmoxTlsMode;
              update((v) => ({ ...v, tls, insecureConfirmed: tls === 'insecure' ? v.insecureConfirmed : false }));
            }}
          >
            {(Object.keys(TLS_LABELS) as ProxmoxTlsMode[]).map((mode) => (
              <option key={mode} value={mode}>
                {t(TLS_LABELS[mode] as 'proxmoxForm.tlsSystem')}
              </option>
            ))}
          </select>,
        )}
        {values.tls === 'pinned'
          ? text(
              'fingerprint',
              t('proxmoxForm.fingerprint'),
              <>
                {t('proxmoxForm.fingerprintHint')}{' '}
                <code>openssl x509 -noout -fingerprint -sha256 -in /etc/pve/local/pve-ssl.pem</code>.
              </>,
              'AB:CD:EF:…',
            )
          : null}
        {values.tls === 'insecure' ? (
          <div className="notice notice-warning insecure-warning" data-testid="proxmox-insecure-warning">
            <div className="notice-text">
              <p>
                <strong>{t('proxmoxForm.insecureTitle')}</strong>{' '}
                {token ? t('proxmoxForm.insecureTokenWarning') : t('proxmoxForm.insecurePasswordWarning')}
              </p>
              <label className="checkbox">
                <input
                  {...fieldProps(idOf('insecureConfirmed'), { error: shown('insecureConfirmed') })}
                  type="checkbox"
                  data-testid="proxmox-field-insecureConfirmed"
                  name="insecureConfirmed"
                  checked={values.insecureConfirmed}
                  onChange={(e) => set('insecureConfirmed', e.currentTarget.checked)}
                  onBlur={() => touch('insecureConfirmed')}
                />
                <span>{t('proxmoxForm.insecureConfirm')}</span>
              </label>
              {shown('insecureConfirmed') ? (
                <p id={`${idOf('insecureConfirmed')}-error`} className="field-error" data-testid="proxmox-field-error" data-field="insecureConfirmed">
                  {shown('insecureConfirmed')}
                </p>
              ) : null}
            </div>
          </div>
        ) : null}
      </fieldset>
      <ProxmoxTestResult test={draftTest} testId="proxmox-draft-test-result" />
      <div className="form-actions">
        <button
          type="button"
          className="button button-secondary button-small form-actions-start"
          data-testid="proxmox-endpoint-test-draft"
          aria-busy={draftTest?.state === 'testing'}
          onClick={() => void onTest()}
        >
          {draftTest?.state === 'testing' ? t('endpoints.testing') : t('endpoints.test')}
        </button>
        <button type="button" className="button button-secondary button-small" onClick={() => onDone(null)} disabled={saving}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="button button-primary button-small" data-testid="proxmox-endpoint-save" disabled={saving} aria-busy={saving}>
          {saving ? t('common.saving') : existing ? t('endpointForm.save') : t('endpoints.add')}
        </button>
      </div>
    </form>
  );
}
