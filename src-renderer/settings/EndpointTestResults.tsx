// What an endpoint's connection test found, for a saved endpoint's row and for the form's
// "Test" before saving: in progress, what answered, or why it failed.
import type { DockerEndpointTest } from '../store/settings-slice';
import type { ProxmoxTest } from '../store/proxmox-slice';
import { useT } from '../i18n/i18n';
import { errorAction, errorMessage, reportLines } from '../i18n/error-text';

/** A Docker connection test: the engine's version and running containers, or the error. */
export function DockerTestResult({ test, testId = 'endpoint-test-result' }: { test: DockerEndpointTest | undefined; testId?: string }) {
  const t = useT();
  if (!test) return null;
  if (test.state === 'testing') {
    return (
      <p className="endpoint-test muted" role="status" data-testid={testId} data-outcome="testing">
        <span className="spinner spinner-small" aria-hidden="true" /> {t('endpoints.connecting')}
      </p>
    );
  }
  if (test.state === 'ok') {
    const { version, apiVersion, runningContainers } = test.result;
    return (
      <p className="endpoint-test endpoint-test-ok" role="status" data-testid={testId} data-outcome="ok">
        <span className="status-dot status-ok" aria-hidden="true" />{' '}
        {t('endpoints.connected', { version, apiVersion, count: runningContainers })}
      </p>
    );
  }
  return (
    <p className="endpoint-test endpoint-test-failed" role="status" data-testid={testId} data-outcome="failed">
      <span className="status-dot status-error" aria-hidden="true" /> {errorMessage(test.error)} {errorAction(test.error)}
    </p>
  );
}

/** A Proxmox connection test: in progress, its report, or why it failed. */
export function ProxmoxTestResult({ test, testId = 'proxmox-endpoint-test-result' }: { test: ProxmoxTest | undefined; testId?: string }) {
  const t = useT();
  if (!test) return null;
  if (test.state === 'testing') {
    return (
      <div className="endpoint-test muted" role="status" data-testid={testId} data-outcome="testing">
        <span className="spinner spinner-small" aria-hidden="true" /> {t('endpoints.connecting')}
      </div>
    );
  }
  if (test.state === 'ok') {
    const { version, summary, summaryText } = test.result;
    const lines = summary.length > 0 ? reportLines(summary, summaryText) : [t('proxmox.version', { version })];
    return (
      <div className="endpoint-test endpoint-test-ok" role="status" data-testid={testId} data-outcome="ok">
        <span className="status-dot status-ok" aria-hidden="true" />
        <div className="endpoint-test-text">
          <span className="visually-hidden">{t('proxmox.connected')} </span>
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
    <div className="endpoint-test endpoint-test-failed" role="status" data-testid={testId} data-outcome="failed">
      <span className="status-dot status-error" aria-hidden="true" />
      <div className="endpoint-test-text">
        <strong className="error-message">{errorMessage(test.error)}</strong>
        {test.error.action ? <span className="error-action"> {errorAction(test.error)}</span> : null}
      </div>
    </div>
  );
}

