// The container's configuration as Docker reports it, with secrets (environment values
// that look like secrets, the VNC password, tokens, the published ports) already masked
// by the main process.
import { useState } from 'react';
import type { Instance } from '../../../src-shared/model';
import { useT } from '../../i18n/i18n';
import { errorMessage } from '../../i18n/error-text';
import { useInspect } from '../use-inspect';

export function InspectTab({ instance }: { instance: Instance }) {
  const t = useT();
  const { inspect, error, reload } = useInspect(instance);
  const [copyNote, setCopyNote] = useState('');
  if (instance.state !== 'running') return <p className="muted">{t('inspect.whileRunning')}</p>;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(inspect?.config ?? '');
      setCopyNote(t('logs.copied'));
    } catch {
      setCopyNote(t('logs.copyFailed'));
    }
  };
  return (
    <div className="inspect">
      <div className="logs-toolbar">
        <span className="muted" role="status" data-testid="inspect-status">
          {error
            ? errorMessage(error)
            : !inspect
              ? t('inspect.loading')
              : inspect.masked > 0
                ? t('inspect.masked', { count: inspect.masked })
                : t('inspect.noneMasked')}{' '}
          {copyNote}
        </span>
        <button type="button" className="button button-ghost button-small" data-testid="inspect-refresh" onClick={reload}>
          {t('inspect.refresh')}
        </button>
        <button type="button" className="button button-ghost button-small" data-testid="inspect-copy" disabled={!inspect} onClick={() => void copy()}>
          {t('logs.copy')}
        </button>
      </div>
      {inspect ? (
        <pre className="log-view inspect-view" data-testid="instance-inspect" tabIndex={0} aria-label={t('inspect.label', { name: instance.name })}>
          {inspect.config}
        </pre>
      ) : null}
    </div>
  );
}
