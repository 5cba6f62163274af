// What a list shows before it has data.
import { useCatalogue } from './store-context';

export function LoadState({ what }: { what: string }) {
  const loadStatus = useCatalogue((s) => s.loadStatus);
  if (loadStatus === 'failed') {
    return <p className="empty muted">No {what} to show until DaaS Desktop answers.</p>;
  }
  return (
    <p className="empty muted" aria-busy="true">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}
