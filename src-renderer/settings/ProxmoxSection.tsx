// Proxmox VE endpoints: the clusters VM apps run on. Add, edit, delete and test each one.
import { useRef, useState } from 'react';
import type { ProxmoxEndpointView } from '../../src-shared/contract';
import type { ErrorInfo } from '../../src-shared/errors';
import { ErrorNotice } from '../components/ErrorNotice';
import { useConfirm } from '../components/use-confirm';
import { useT, type MessageKey } from '../i18n/i18n';
import { useCatalogue } from '../catalogue/store-context';
import { EndpointActions } from './EndpointActions';
import { ProxmoxEndpointForm } from './ProxmoxEndpointForm';
import { errorAction, errorMessage } from '../i18n/error-text';
import { ProxmoxTestResult as TestResult } from './EndpointTestResults';

type Editing = { kind: 'new' } | { kind: 'edit'; endpoint: ProxmoxEndpointView } | null;

const TLS_TAGS: Record<ProxmoxEndpointView['tls'], { label: MessageKey; title: MessageKey; className: string } | null> = {
  system: null,
  pinned: { label: 'proxmox.pinned', title: 'proxmox.pinnedTitle', className: 'tag' },
  insecure: { label: 'proxmox.insecure', title: 'proxmox.insecureTitle', className: 'tag tag-warn' },
};

function ProxmoxRow({
  endpoint,
  onEdit,
  onError,
}: {
  endpoint: ProxmoxEndpointView;
  onEdit: () => void;
  onError: (error: ErrorInfo | null) => void;
}) {
  const t = useT();
  const canEdit = useCatalogue((s) => s.settings?.allowEndpointEditing ?? s.settingsStatus === 'failed');
  const test = useCatalogue((s) => s.proxmoxTests[endpoint.id]);
  const testEndpoint = useCatalogue((s) => s.testProxmoxEndpoint);
  const deleteEndpoint = useCatalogue((s) => s.deleteProxmoxEndpoint);
  const apps = useCatalogue((s) => s.apps);
  const usedBy = apps.filter((a) => a.provider === 'proxmox' && a.proxmox.endpointId === endpoint.id).map((a) => a.name);
  const confirm = useConfirm();
  const tlsTag = TLS_TAGS[endpoint.tls];

  const askDelete = () =>
    confirm.ask({
      title: t('proxmox.deleteTitle', { name: endpoint.name }),
      message: (
        <>
          <p>{endpoint.authKind === 'token' ? t('proxmox.deleteTokenMessage') : t('proxmox.deletePasswordMessage')}</p>
          {usedBy.length > 0 ? (
            <p className="confirm-warning">{t('proxmox.deleteUsedBy', { count: usedBy.length, apps: usedBy.join(', ') })}</p>
          ) : null}
        </>
      ),
      confirmLabel: t('common.delete'),
      danger: true,
      onConfirm: () => {
        void deleteEndpoint(endpoint.id).then((outcome) => onError(outcome.ok ? null : outcome.error));
      },
    });

  return (
    <li className="endpoint-row" data-testid="proxmox-endpoint-row" data-endpoint-id={endpoint.id}>
      <div className="endpoint-line">
        <div className="endpoint-main">
          <span className="endpoint-name">{endpoint.name}</span>
          {endpoint.managed ? (
            <span className="tag tag-managed" data-testid="proxmox-endpoint-managed" title={t('common.managedByAdmin')}>
              {t('card.managed')}
            </span>
          ) : null}
          {endpoint.needsSecret ? (
            <span className="tag tag-warn" data-testid="proxmox-endpoint-needs-secret">
              {t('proxmox.needsSecret')}
            </span>
          ) : null}
          <span className="tag" title={endpoint.authKind === 'token' ? t('proxmox.tokenTitle') : t('proxmox.passwordTitle')}>
            {endpoint.authKind === 'token' ? t('proxmoxForm.apiToken') : t('proxmoxForm.password')}
          </span>
          {tlsTag ? (
            <span className={tlsTag.className} title={t(tlsTag.title as 'proxmox.pinnedTitle')}>
              {t(tlsTag.label as 'proxmox.pinned')}
            </span>
          ) : null}
          <code className="endpoint-url">{endpoint.url}</code>
          <code className="endpoint-url">{endpoint.principal}</code>
        </div>
        <EndpointActions
          name={endpoint.name}
          testIds={{ test: 'proxmox-endpoint-test', edit: 'proxmox-endpoint-edit', delete: 'proxmox-endpoint-delete' }}
          testing={test?.state === 'testing'}
          canEdit={canEdit || endpoint.managed}
          canDelete={canEdit && !endpoint.managed}
          onTest={() => void testEndpoint(endpoint.id)}
          onEdit={onEdit}
          onDelete={askDelete}
        />
      </div>
      <TestResult test={test} />
      {confirm.dialog}
    </li>
  );
}

export function ProxmoxSection() {
  const t = useT();
  const canEdit = useCatalogue((s) => s.settings?.allowEndpointEditing ?? s.settingsStatus === 'failed');
  const endpoints = useCatalogue((s) => s.proxmoxEndpoints);
  const status = useCatalogue((s) => s.proxmoxStatus);
  const loadError = useCatalogue((s) => s.proxmoxError);
  const loadEndpoints = useCatalogue((s) => s.loadProxmoxEndpoints);
  const testEndpoint = useCatalogue((s) => s.testProxmoxEndpoint);
  const [editing, setEditing] = useState<Editing>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const addRef = useRef<HTMLButtonElement>(null);

  const closeForm = (saved: ProxmoxEndpointView | null) => {
    setEditing(null);
    // Whether the new settings work is the next thing anyone wants to know.
    if (saved) void testEndpoint(saved.id);
    // The form goes away: keep focus in the dialog, on a sensible control.
    requestAnimationFrame(() => addRef.current?.focus());
  };

  return (
    <section className="settings-section" id="settings-section-proxmox" aria-labelledby="proxmox-heading" data-testid="proxmox-section">
      <div className="section-head">
        <h3 id="proxmox-heading" className="settings-title" tabIndex={-1}>
          {t('proxmox.heading')}
        </h3>
        {canEdit ? (
          <button
            ref={addRef}
            type="button"
            className="button button-secondary button-small"
            data-testid="proxmox-endpoint-add"
            disabled={editing !== null}
            onClick={() => setEditing({ kind: 'new' })}
          >
            {t('proxmox.add')}
          </button>
        ) : null}
      </div>
      <p className="section-hint muted">{t('proxmox.hint')}</p>
      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
      {status === 'failed' && loadError ? (
        <div className="notice notice-error" role="alert">
          <div className="notice-text">
            <strong>{t('proxmox.loadFailed')}</strong> {errorMessage(loadError)} {errorAction(loadError)}
          </div>
          <button type="button" className="button button-secondary button-small" onClick={() => void loadEndpoints()}>
            {t('common.tryAgain')}
          </button>
        </div>
      ) : status !== 'ready' && endpoints.length === 0 ? (
        <p className="muted" role="status">
          <span className="spinner spinner-small" aria-hidden="true" /> {t('proxmox.loading')}
        </p>
      ) : endpoints.length === 0 ? (
        editing?.kind === 'new' ? null : <p className="empty">{t('proxmox.empty')}</p>
      ) : (
        <ul className="endpoint-list" data-testid="proxmox-endpoint-list">
          {endpoints.map((endpoint) =>
            editing?.kind === 'edit' && editing.endpoint.id === endpoint.id ? (
              <li
                key={endpoint.id}
                className="endpoint-row endpoint-row-editing"
                data-testid="proxmox-endpoint-row"
                data-endpoint-id={endpoint.id}
              >
                <ProxmoxEndpointForm existing={endpoint} onDone={closeForm} />
              </li>
            ) : (
              <ProxmoxRow
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
          <ProxmoxEndpointForm existing={null} onDone={closeForm} />
        </div>
      ) : null}
    </section>
  );
}
