// Adds or edits a Docker endpoint. Certificates are write-only: the boxes start empty
// and, left empty, keep what is stored.
import type { DockerEndpointView } from '../../src-shared/contract';
import { ErrorNotice } from '../components/ErrorNotice';
import { FormField, fieldProps } from '../components/FormField';
import { useCatalogue } from '../catalogue/store-context';
import { example, useT, type MessageKey } from '../i18n/i18n';
import {
  DOCKER_ENDPOINT_FIELDS,
  buildDockerEndpointSave,
  emptyDockerEndpointForm,
  formFromDockerEndpoint,
  usesTls,
  type DockerEndpointFormValues,
} from '../store/docker-endpoint-form';
import { DockerTestResult } from './EndpointTestResults';
import { useEndpointDraft } from './use-endpoint-draft';

const TLS_FIELDS: { field: 'ca' | 'cert' | 'key'; label: MessageKey; placeholder: string }[] = [
  { field: 'ca', label: 'endpointForm.ca', placeholder: '-----BEGIN CERTIFICATE-----' },
  { field: 'cert', label: 'endpointForm.cert', placeholder: '-----BEGIN CERTIFICATE-----' },
  { field: 'key', label: 'endpointForm.key', placeholder: '-----BEGIN PRIVATE KEY-----' },
];

export function DockerEndpointForm({ existing, onDone }: { existing: DockerEndpointView | null; onDone: () => void }) {
  const t = useT();
  const saveEndpoint = useCatalogue((s) => s.saveDockerEndpoint);
  const testDraft = useCatalogue((s) => s.testDockerDraft);
  const { values, set, touch, shown, draftTest, onTest, onSubmit, saving, serverError, setServerError, nameRef, headingId, idOf } =
    useEndpointDraft({
      initial: (): DockerEndpointFormValues => (existing ? formFromDockerEndpoint(existing) : emptyDockerEndpointForm()),
      build: (v: DockerEndpointFormValues) => buildDockerEndpointSave(v, existing),
      fields: DOCKER_ENDPOINT_FIELDS,
      test: testDraft,
      save: saveEndpoint,
      onSaved: onDone,
    });
  const tls = usesTls(values.url);

  const input = (field: 'name' | 'url', label: string, hint: string, placeholder: string) => {
    const error = shown(field);
    return (
      <FormField id={idOf(field)} label={label} hint={hint} error={error} errorTestId="endpoint-field-error" errorKey={field}>
        <input
          {...fieldProps(idOf(field), { hint, error })}
          ref={field === 'name' ? nameRef : undefined}
          data-testid={`endpoint-field-${field}`}
          type="text"
          className={`input${field === 'url' ? ' mono' : ''}`}
          value={values[field]}
          placeholder={placeholder}
          autoComplete="off"
          spellCheck={false}
          aria-required="true"
          onChange={(e) => set(field, e.currentTarget.value)}
          onBlur={() => touch(field)}
        />
      </FormField>
    );
  };

  const tlsHint = existing?.hasTls ? t('endpointForm.tlsHintStored') : t('endpointForm.tlsHint');

  return (
    <form
      className="endpoint-form"
      data-testid="endpoint-form"
      aria-labelledby={headingId}
      noValidate
      onSubmit={(e) => void onSubmit(e)}
      // Escape inside the form cancels it, not the whole settings dialog.
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          e.preventDefault();
          onDone();
        }
      }}
    >
      <h4 id={headingId} className="subsection-title">
        {existing ? t('editor.editTitle', { name: existing.name }) : t('endpointForm.addTitle')}
      </h4>
      {serverError ? <ErrorNotice error={serverError} onDismiss={() => setServerError(null)} /> : null}
      <div className="form-grid form-grid-2">
        {input('name', t('editor.name'), t('endpointForm.nameHint'), t('endpointForm.namePlaceholder'))}
        {input('url', t('endpointForm.address'), t('endpointForm.addressHint'), example('tcp://docker.example:2376'))}
      </div>
      {tls ? (
        <fieldset className="form-section tls-section">
          <legend>{t('endpointForm.tlsLegend')}</legend>
          <p className="section-hint muted">{tlsHint}</p>
          {existing?.hasTls ? (
            <label className="checkbox">
              <input
                type="checkbox"
                data-testid="endpoint-remove-tls"
                checked={values.removeTls}
                onChange={(e) => set('removeTls', e.currentTarget.checked)}
              />
              {t('endpointForm.removeTls')}
            </label>
          ) : null}
          {!values.removeTls ? (
            <div className="form-grid form-grid-3">
              {TLS_FIELDS.map(({ field, label, placeholder }) => {
                const error = shown(field);
                return (
                  <FormField key={field} id={idOf(field)} label={t(label as 'endpointForm.ca')} error={error} errorTestId="endpoint-field-error" errorKey={field}>
                    <textarea
                      {...fieldProps(idOf(field), { error })}
                      data-testid={`endpoint-field-${field}`}
                      className="input textarea mono pem"
                      rows={4}
                      value={values[field]}
                      placeholder={existing?.hasTls ? t('endpointForm.storedPlaceholder') : example(placeholder)}
                      spellCheck={false}
                      autoComplete="off"
                      onChange={(e) => set(field, e.currentTarget.value)}
                      onBlur={() => touch(field)}
                    />
                  </FormField>
                );
              })}
            </div>
          ) : null}
        </fieldset>
      ) : null}
      <DockerTestResult test={draftTest} testId="endpoint-draft-test-result" />
      <div className="form-actions">
        <button
          type="button"
          className="button button-secondary button-small form-actions-start"
          data-testid="endpoint-test-draft"
          aria-busy={draftTest?.state === 'testing'}
          onClick={() => void onTest()}
        >
          {draftTest?.state === 'testing' ? t('endpoints.testing') : t('endpoints.test')}
        </button>
        <button type="button" className="button button-secondary button-small" onClick={onDone} disabled={saving}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="button button-primary button-small" data-testid="endpoint-save" disabled={saving} aria-busy={saving}>
          {saving ? t('common.saving') : existing ? t('endpointForm.save') : t('endpoints.add')}
        </button>
      </div>
    </form>
  );
}
