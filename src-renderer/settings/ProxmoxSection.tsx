// Proxmox VE endpoints: the clusters VM apps run on. Add, edit, delete and test each one.
import { useRef, useState } from 'react';
import type { ProxmoxEndpointView } from '../../src-shared/contract';
import type { ErrorInfo } from '../../src-shared/errors';
import { ErrorNotice } from '../components/ErrorNotice';
import { useConfirm } from '../components/use-confirm';
import { useCatalogue } from '../catalogue/store-context';
import type { ProxmoxTest } from '../store/proxmox-slice';
import { ProxmoxEndpointForm } from './ProxmoxEndpointForm';

type Editing = { kind: 'new' } | { kind: 'edit'; endpoint: ProxmoxEndpointView } | null;

function TestResult({ test }: { test: ProxmoxTest | undefined }) {
  if (!test) return null;
  if (test.state === 'testing') {
    return (
      <div className="endpoint-test muted" role="status" data-testid="proxmox-endpoint-test-result" data-outcome="testing">
        <span className="spinner spinner-small" aria-hidden="true" /> Connecting…
      </div>
    );
  }
  if (test.state === 'ok') {
    const { version, summary } = test.result;
    const lines = summary.length > 0 ? summary : [`Proxmox VE ${version}.`];
    return (
      <div className="endpoint-test endpoint-test-ok" role="status" data-testid="proxmox-endpoint-test-result" data-outcome="ok">
        <span className="status-dot status-ok" aria-hidden="true" />
        <div className="endpoint-test-text">
          <span className="visually-hidden">Connected. </span>
          <ul className="test-summary">
            {lines.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        </div>
      </div>
    );
  }
  return (
    <div className="endpoint-test endpoint-test-failed" role="status" data-testid="proxmox-endpoint-test-result" data-outcome="failed">
      <span className="status-dot status-error" aria-hidden="true" />
      <div className="endpoint-test-text">
        <strong className="error-message">{test.error.message}</strong>
        {test.error.action ? <span className="error-action"> {test.error.action}</span> : null}
      </div>
    </div>
  );
}

const TLS_TAGS: Record<ProxmoxEndpointView['tls'], { label: string; title: string; className: string } | null> = {
  system: null,
  pinned: { label: 'Pinned', title: 'Trusts only the certificate with the stored fingerprint', className: 'tag' },
  insecure: { label: 'Insecure', title: 'Certificate checks are off', className: 'tag tag-warn' },
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
  const test = useCatalogue((s) => s.proxmoxTests[endpoint.id]);
  const testEndpoint = useCatalogue((s) => s.testProxmoxEndpoint);
  const deleteEndpoint = useCatalogue((s) => s.deleteProxmoxEndpoint);
  const apps = useCatalogue((s) => s.apps);
  const usedBy = apps.filter((a) => a.provider === 'proxmox' && a.proxmox.endpointId === endpoint.id).map((a) => a.name);
  const confirm = useConfirm();
  const tlsTag = TLS_TAGS[endpoint.tls];

  const askDelete = () =>
    confirm.ask({
      title: `Delete the Proxmox endpoint ${endpoint.name}?`,
      message: (
        <>
          <p>Its stored {endpoint.authKind === 'token' ? 'token secret' : 'password'} is deleted. VMs on the cluster are not touched.</p>
          {usedBy.length > 0 ? (
            <p className="confirm-warning">
              {usedBy.join(', ')} {usedBy.length === 1 ? 'uses' : 'use'} it: change or delete{' '}
              {usedBy.length === 1 ? 'that app' : 'those apps'} first, or deleting will be refused.
            </p>
          ) : null}
        </>
      ),
      confirmLabel: 'Delete',
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
          <span className="tag" title={endpoint.authKind === 'token' ? 'Signs in with an API token' : 'Signs in with a user and password'}>
            {endpoint.authKind === 'token' ? 'API token' : 'Password'}
          </span>
          {tlsTag ? (
            <span className={tlsTag.className} title={tlsTag.title}>
              {tlsTag.label}
            </span>
          ) : null}
          <code className="endpoint-url">{endpoint.url}</code>
          <code className="endpoint-url">{endpoint.principal}</code>
        </div>
        <div className="endpoint-actions" role="group" aria-label={`Actions for ${endpoint.name}`}>
          <button
            type="button"
            className="button button-secondary button-small"
            data-testid="proxmox-endpoint-test"
            disabled={test?.state === 'testing'}
            onClick={() => void testEndpoint(endpoint.id)}
          >
            Test connection
          </button>
          <button
            type="button"
            className="button button-ghost button-small"
            data-testid="proxmox-endpoint-edit"
            aria-label={`Edit ${endpoint.name}`}
            onClick={onEdit}
          >
            Edit
          </button>
          <button
            type="button"
            className="button button-ghost button-small button-ghost-danger"
            data-testid="proxmox-endpoint-delete"
            aria-label={`Delete ${endpoint.name}`}
            onClick={askDelete}
          >
            Delete
          </button>
        </div>
      </div>
      <TestResult test={test} />
      {confirm.dialog}
    </li>
  );
}

export function ProxmoxSection() {
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
    <section className="settings-section" aria-labelledby="proxmox-heading" data-testid="proxmox-section">
      <div className="section-head">
        <h3 id="proxmox-heading" className="settings-title">
          Proxmox VE
        </h3>
        <button
          ref={addRef}
          type="button"
          className="button button-secondary button-small"
          data-testid="proxmox-endpoint-add"
          disabled={editing !== null}
          onClick={() => setEditing({ kind: 'new' })}
        >
          Add Proxmox endpoint
        </button>
      </div>
      <p className="section-hint muted">
        Clusters that run virtual-machine apps. Use an API token where you can; pin the certificate fingerprint when
        Proxmox uses its own self-signed certificate.
      </p>
      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
      {status === 'failed' && loadError ? (
        <div className="notice notice-error" role="alert">
          <div className="notice-text">
            <strong>Could not load the Proxmox endpoints.</strong> {loadError.message} {loadError.action}
          </div>
          <button type="button" className="button button-secondary button-small" onClick={() => void loadEndpoints()}>
            Try again
          </button>
        </div>
      ) : status !== 'ready' && endpoints.length === 0 ? (
        <p className="muted" aria-busy="true">
          <span className="spinner spinner-small" aria-hidden="true" /> Loading Proxmox endpoints…
        </p>
      ) : endpoints.length === 0 ? (
        editing?.kind === 'new' ? null : <p className="empty">No Proxmox endpoints. Add one to run VM apps.</p>
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
