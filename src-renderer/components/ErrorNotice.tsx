// What went wrong and what to do about it, with a way to dismiss it.
import type { ErrorInfo } from '../../src-shared/errors';
import { useT } from '../i18n/i18n';
import { errorAction, errorMessage } from '../i18n/error-text';

export function ErrorNotice({
  error,
  onDismiss,
  testId = 'error-banner',
}: {
  error: ErrorInfo;
  onDismiss?: () => void;
  testId?: string;
}) {
  const t = useT();
  return (
    <div className="notice notice-error" role="alert" data-testid={testId} data-error-code={error.code}>
      <div className="notice-text">
        <strong className="error-message">{errorMessage(error)}</strong>
        {errorAction(error) ? <span className="error-action"> {errorAction(error)}</span> : null}
      </div>
      {onDismiss ? (
        <button type="button" className="button button-secondary button-small" onClick={onDismiss}>
          {t('common.dismiss')}
        </button>
      ) : null}
    </div>
  );
}
