// Docker endpoints: where instances run. Add, edit, delete and test each one.
import { useRef, useState } from 'react';
import type { DockerEndpointView } from '../../src-shared/contract';
import type { ErrorInfo } from '../../src-shared/errors';
import { ErrorNotice } from '../components/ErrorNotice';
import { useConfirm } from '../components/use-confirm';
import { useT } from '../i18n/i18n';
import { useCatalogue } from '../catalogue/store-context';
import { EndpointActions } from './EndpointActions';
import type { DockerEndpointTest } from '../store/settings-slice';
import { DockerEndpointForm } from './DockerEndpointForm';
import { errorAction, errorMessage } from '../i18n/error-text';
import { DockerTestResult } from './EndpointTestResults';

type Editing = { kind: 'new' } | { kind: 'edit'; endpoint: DockerEndpointView } | null;

/** An unknown ssh host key: its fingerprint, and a button to trust (pin) exactly that key. */
function TrustHostKey({ endpointId, fingerprint }: { endpointId: string; fingerprint: string }) {
  const t = useT();
  const canEdit = useCatalogue((s) => s.settings?.allowEndpointEditing ?? false);
  const trustHostKey = useCatalogue((s) => s.trustDockerHostKey);
  const [error, setError] = useState<ErrorInfo | null>(null);
  if (!canEdit) return null;
  return (
    <div className="endpoint-trust" data-testid="endpoint-host-key">
      <button
        type="button"
        className="button button-secondary button-small"
        data-testid="trust-host-key"
        onClick={() => void trustHostKey(endpointId, fingerprint).then((outcome) => setError(outcome.ok ? null : outcome.error))}
      >
        {t('endpoints.trustHostKey', { fingerprint })}
      </button>
      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
    </div>
  );
}

function TestResult({ endpoint, test }: { endpoint: DockerEndpointView; test: DockerEndpointTest | undefined }) {
  const unknownKey = test?.state === 'failed' && test.error.messageText?.key === 'error.ssh.hostUnknown' ? test.error.messageText.params?.fingerprint : undefined;
  return (
    <>
      <DockerTestResult test={test} />
      {typeof unknownKey === 'string' && !endpoint.managed ? <TrustHostKey endpointId={endpoint.id} fingerprint={unknownKey} /> : null}
    </>
  );
}

function EndpointRow({
  endpoint,
  onEdit,
  onError,
}: {
  endpoint: DockerEndpointView;
  onEdit: () => void;
  onError: (error: ErrorInfo | null) => void;
}) {
  const t = useT();
  const canEdit = useCatalogue((s) => s.settings?.allowEndpointEditing ?? s.settingsStatus === 'failed');
  const test = useCatalogue((s) => s.dockerEndpointTests[endpoint.id]);
  const testEndpoint = useCatalogue((s) => s.testDockerEndpoint);
  const deleteEndpoint = useCatalogue((s) => s.deleteDockerEndpoint);
  const confirm = useConfirm();

  const askDelete = () =>
    confirm.ask({
      title: t('endpoints.deleteTitle', { name: endpoint.name }),
      message: <p>{t('endpoints.deleteMessage')}</p>,
      confirmLabel: t('common.delete'),
      danger: true,
      onConfirm: () => {
        void deleteEndpoint(endpoint.id).then((outcome) => onError(outcome.ok ? null : outcome.error));
      },
    });

  return (
    <li className="endpoint-row" data-testid="endpoint-row" data-endpoint-id={endpoint.id}>
      <div className="endpoint-line">
        <div className="endpoint-main">
          <span className="endpoint-name">{endpoint.name}</span>
          {endpoint.managed ? (
            <span className="tag tag-managed" data-testid="endpoint-managed" title={t('common.managedByAdmin')}>
              {t('card.managed')}
            </span>
          ) : null}
          {endpoint.hasTls ? <span className="tag" title={t('endpoints.tlsTitle')}>TLS</span> : null}
          {endpoint.hostKeyFingerprint ? (
            <span className="tag" data-testid="endpoint-host-key-pinned" title={t('endpoints.hostKeyPinnedTitle', { fingerprint: endpoint.hostKeyFingerprint })}>
              {t('endpoints.hostKeyPinned')}
            </span>
          ) : null}
          <code className="endpoint-url">{endpoint.url}</code>
        </div>
        <EndpointActions
          name={endpoint.name}
          testIds={{ test: 'test-endpoint', edit: 'edit-endpoint', delete: 'delete-endpoint' }}
          testing={test?.state === 'testing'}
          canEdit={canEdit && !endpoint.managed}
          onTest={() => void testEndpoint(endpoint.id)}
          onEdit={onEdit}
          onDelete={askDelete}
        />
      </div>
      <TestResult endpoint={endpoint} test={test} />
      {confirm.dialog}
    </li>
  );
}

export function DockerEndpointsSection() {
  const t = useT();
  const canEdit = useCatalogue((s) => s.settings?.allowEndpointEditing ?? s.settingsStatus === 'failed');
  const editingOff = useCatalogue((s) => s.settings?.allowEndpointEditing === false);
  const endpoints = useCatalogue((s) => s.dockerEndpoints);
  const status = useCatalogue((s) => s.dockerEndpointsStatus);
  const loadError = useCatalogue((s) => s.dockerEndpointsError);
  const loadEndpoints = useCatalogue((s) => s.loadDockerEndpoints);
  const [editing, setEditing] = useState<Editing>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const addRef = useRef<HTMLButtonElement>(null);
  // The form goes away: keep focus in the dialog, on a sensible control.
  const closeForm = () => {
    setEditing(null);
    requestAnimationFrame(() => addRef.current?.focus());
  };

  return (
    <section className="settings-section" id="settings-section-docker" aria-labelledby="endpoints-heading">
      <div className="section-head">
        <h3 id="endpoints-heading" className="settings-title" tabIndex={-1}>
          {t('endpoints.heading')}
        </h3>
        {canEdit ? (
          <button
            ref={addRef}
            type="button"
            className="button button-secondary button-small"
            data-testid="add-endpoint"
            disabled={editing !== null}
            onClick={() => setEditing({ kind: 'new' })}
          >
            {t('endpoints.add')}
          </button>
        ) : null}
      </div>
      <p className="section-hint muted">{t('endpoints.hint')}</p>
      {editingOff ? (
        <p className="section-hint managed-note" data-testid="endpoints-managed">
          <span className="lock" aria-hidden="true" /> {t('endpoints.editingOff')}
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
      {status === 'failed' && loadError ? (
        <div className="notice notice-error" role="alert">
          <div className="notice-text">
            <strong>{t('endpoints.loadFailed')}</strong> {errorMessage(loadError)} {errorAction(loadError)}
          </div>
          <button type="button" className="button button-secondary button-small" onClick={() => void loadEndpoints()}>
            {t('common.tryAgain')}
          </button>
        </div>
      ) : status !== 'ready' && endpoints.length === 0 ? (
        <p className="muted" role="status">
          <span className="spinner spinner-small" aria-hidden="true" /> {t('endpoints.loading')}
        </p>
      ) : endpoints.length === 0 ? (
        <p className="empty">{t('endpoints.empty')}</p>
      ) : (
        <ul className="endpoint-list" data-testid="endpoint-list">
          {endpoints.map((endpoint) =>
            editing?.kind === 'edit' && editing.endpoint.id === endpoint.id ? (
              <li key={endpoint.id} className="endpoint-row endpoint-row-editing" data-testid="endpoint-row" data-endpoint-id={endpoint.id}>
                <DockerEndpointForm existing={endpoint} onDone={closeForm} />
              </li>
            ) : (
              <EndpointRow
                key={endpoint.id}
                endpoint={endpoint}
                onEdit={() => setEditing({ kind: 'edit', endpoint })}
                onError={setError}
              />
            ),
          )}
        </ul>
      )}
      {editing?.kind === 'new' ? (
        <div className="endpoint-new">
          <DockerEndpointForm existing={null} onDone={closeForm} />
        </div>
      ) : null}
    </section>
  );
}
