// The latest failed action: what went wrong and what to do about it.
import { ErrorNotice } from '../components/ErrorNotice';
import { useCatalogue } from './store-context';

export function ErrorBanner() {
  const error = useCatalogue((s) => s.error);
  const dismiss = useCatalogue((s) => s.dismissError);
  if (!error) return null;
  return <ErrorNotice error={error} onDismiss={dismiss} />;
}
