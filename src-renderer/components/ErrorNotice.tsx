// What went wrong and what to do about it, with a way to dismiss it.
import type { KeyboardEvent } from 'react';
import type { ErrorInfo } from '../../src-shared/errors';
import { useT } from '../i18n/i18n';
import { errorAction, errorMessage } from '../i18n/error-text';

export function ErrorNotice({
  error,
  onDismiss,
  testId = 'error-banner',
  className = '',
  alert = true,
  dismissLabel,
}: {
  error: ErrorInfo;
  onDismiss?: () => void;
  testId?: string;
  className?: string;
  /** False where the same error is already announced (a card repeats the toast). */
  alert?: boolean;
  /** Names what is dismissed, where several notices are on screen. */
  dismissLabel?: string;
}) {
  const t = useT();
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !onDismiss) return;
    event.stopPropagation();
    onDismiss();
  };
  return (
    <div
      className={`notice notice-error ${className}`.trim()}
      role={alert ? 'alert' : undefined}
      data-testid={testId}
      data-error-code={error.code}
      onKeyDown={onKeyDown}
    >
      <div className="notice-text">
        <strong className="error-message">{errorMessage(error)}</strong>
        {errorAction(error) ? <span className="error-action"> {errorAction(error)}</span> : null}
      </div>
      {onDismiss ? (
        <button
          type="button"
          className="button button-secondary button-small"
          data-testid={`${testId}-dismiss`}
          aria-label={dismissLabel}
          onClick={onDismiss}
        >
          {t('common.dismiss')}
        </button>
      ) : null}
    </div>
  );
}
