// The latest failed action: what went wrong and what to do about it.
import { useCatalogue } from './store-context';

export function ErrorBanner() {
  const error = useCatalogue((s) => s.error);
  const dismiss = useCatalogue((s) => s.dismissError);
  if (!error) return null;
  return (
    <div className="notice notice-error" role="alert" data-testid="error-banner" data-error-code={error.code}>
      <div className="notice-text">
        <strong className="error-message">{error.message}</strong>
        {error.action ? <span className="error-action"> {error.action}</span> : null}
      </div>
      <button type="button" className="button button-secondary" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
