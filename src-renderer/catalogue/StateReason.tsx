// Why an instance is failed or stopped. Long reasons (a failed start carries the
// container's last log lines) fold into an expandable block.
import { useT } from '../i18n/i18n';

export function StateReason({ reason, failed }: { reason: string; failed: boolean }) {
  const t = useT();
  const lines = reason.replace(/\s+$/, '').split('\n');
  if (lines.length <= 1 && reason.length <= 160) {
    return (
      <p className="instance-reason" data-testid="state-reason">
        {reason}
      </p>
    );
  }
  return (
    <details className="instance-reason reason-details" data-testid="state-reason">
      <summary>
        <span className="reason-summary">{lines[0]}</span>
        <span className="reason-more muted">
          {lines.length > 1 ? ` ${t('reason.moreLines', { count: lines.length - 1 })}` : ` ${t('reason.more')}`}
        </span>
      </summary>
      <pre className={`reason-text${failed ? ' reason-failed' : ''}`} tabIndex={0} aria-label={t('reason.full')}>
        {reason}
      </pre>
    </details>
  );
}
