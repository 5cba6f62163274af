// Docker endpoints: where instances run. Add, edit, delete and test each one.
import { useRef, useState } from 'react';
import type { EndpointView } from '../../src-shared/contract';
import type { ErrorInfo } from '../../src-shared/errors';
import { ErrorNotice } from '../components/ErrorNotice';
import { useConfirm } from '../components/use-confirm';
import { useCatalogue } from '../catalogue/store-context';
import type { EndpointTest } from '../store/settings-slice';
import { EndpointForm } from './EndpointForm';

type Editing = { kind: 'new' } | { kind: 'edit'; endpoint: EndpointView } | null;

function TestResult({ test }: { test: EndpointTest | undefined }) {
  if (!test) return null;
  if (test.state === 'testing') {
    return (
      <p className="endpoint-test muted" role="status" data-testid="endpoint-test-result" data-outcome="testing">
        <span className="spinner spinner-small" aria-hidden="true" /> Connecting…
      </p>
    );
  }
  if (test.state === 'ok') {
    const { version, apiVersion, runningContainers } = test.result;
    return (
      <p className="endpoint-test endpoint-test-ok" role="status" data-testid="endpoint-test-result" data-outcome="ok">
        <span className="status-dot status-ok" aria-hidden="true" /> Connected: Docker {version} (API {apiVersion}),{' '}
        {runningContainers} running {runningContainers === 1 ? 'container' : 'containers'}.
      </p>
    );
  }
  return (
    <p className="endpoint-test endpoint-test-failed" role="status" data-testid="endpoint-test-result" data-outcome="failed">
      <span className="status-dot status-error" aria-hidden="true" /> {test.error.message} {test.error.action}
    </p>
  );
}

function EndpointRow({
  endpoint,
  onEdit,
  onError,
}: {
  endpoint: EndpointView;
  onEdit: () => void;
  onError: (error: ErrorInfo | null) => void;
}) {
  const test = useCatalogue((s) => s.endpointTests[endpoint.id]);
  const testEndpoint = useCatalogue((s) => s.testEndpoint);
  const deleteEndpoint = useCatalogue((s) => s.deleteEndpoint);
  const confirm = useConfirm();

  const askDelete = () =>
    confirm.ask({
      title: `Delete the endpoint ${endpoint.name}?`,
      message: <p>Apps that name it start on the least-loaded endpoint instead. Its stored certificates are deleted.</p>,
      confirmLabel: 'Delete',
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
          {endpoint.hasTls ? <span className="tag" title="Connects with TLS client certificates">TLS</span> : null}
          <code className="endpoint-url">{endpoint.url}</code>
        </div>
        <div className="endpoint-actions" role="group" aria-label={`Actions for ${endpoint.name}`}>
          <button
            type="button"
            className="button button-secondary button-small"
            data-testid="test-endpoint"
            disabled={test?.state === 'testing'}
            onClick={() => void testEndpoint(endpoint.id)}
          >
            Test connection
          </button>
          <button type="button" className="button button-ghost button-small" data-testid="edit-endpoint" aria-label={`Edit ${endpoint.name}`} onClick={onEdit}>
            Edit
          </button>
          <button
            type="button"
            className="button button-ghost button-small button-ghost-danger"
            data-testid="delete-endpoint"
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

export function EndpointsSection() {
  const endpoints = useCatalogue((s) => s.endpoints);
  const status = useCatalogue((s) => s.endpointsStatus);
  const loadError = useCatalogue((s) => s.endpointsError);
  const loadEndpoints = useCatalogue((s) => s.loadEndpoints);
  const [editing, setEditing] = useState<Editing>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const addRef = useRef<HTMLButtonElement>(null);
  // The form goes away: keep focus in the dialog, on a sensible control.
  const closeForm = () => {
    setEditing(null);
    requestAnimationFrame(() => addRef.current?.focus());
  };

  return (
    <section className="settings-section" aria-labelledby="endpoints-heading">
      <div className="section-head">
        <h3 id="endpoints-heading" className="settings-title">
          Docker endpoints
        </h3>
        <button
          ref={addRef}
          type="button"
          className="button button-secondary button-small"
          data-testid="add-endpoint"
          disabled={editing !== null}
          onClick={() => setEditing({ kind: 'new' })}
        >
          Add endpoint
        </button>
      </div>
      <p className="section-hint muted">
        The engines that run instances. Apps name one, or run on the least loaded. Use tcp:// with TLS or ssh:// for
        remote machines.
      </p>
      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
      {status === 'failed' && loadError ? (
        <div className="notice notice-error" role="alert">
          <div className="notice-text">
            <strong>Could not load the endpoints.</strong> {loadError.message} {loadError.action}
          </div>
          <button type="button" className="button button-secondary button-small" onClick={() => void loadEndpoints()}>
            Try again
          </button>
        </div>
      ) : status !== 'ready' && endpoints.length === 0 ? (
        <p className="muted" aria-busy="true">
          <span className="spinner spinner-small" aria-hidden="true" /> Loading endpoints…
        </p>
      ) : endpoints.length === 0 ? (
        <p className="empty">No endpoints configured.</p>
      ) : (
        <ul className="endpoint-list" data-testid="endpoint-list">
          {endpoints.map((endpoint) =>
            editing?.kind === 'edit' && editing.endpoint.id === endpoint.id ? (
              <li key={endpoint.id} className="endpoint-row endpoint-row-editing" data-testid="endpoint-row" data-endpoint-id={endpoint.id}>
                <EndpointForm existing={endpoint} onDone={closeForm} />
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
          <EndpointForm existing={null} onDone={closeForm} />
        </div>
      ) : null}
    </section>
  );
}
