// The latest failed action as a toast fixed in view (the page may be scrolled far from
// its top): it stays until dismissed, by its button or by Escape outside a dialog.
import { useEffect } from 'react';
import { ErrorNotice } from '../components/ErrorNotice';
import { useCatalogue } from './store-context';

export function ErrorBanner() {
  const error = useCatalogue((s) => s.error);
  const dismiss = useCatalogue((s) => s.dismissError);
  const close = () => {
    // Focus inside the toast would fall to the page body: hand it to the content.
    const hadFocus = document.activeElement?.closest('[data-testid="error-banner"]');
    dismiss();
    if (hadFocus) document.getElementById('main-content')?.focus();
  };

  useEffect(() => {
    if (!error) return;
    const onKeyDown = (event: KeyboardEvent) => {
      // A dialog owns Escape while it is open.
      if (event.key !== 'Escape' || event.defaultPrevented || document.querySelector('dialog[open]')) return;
      close();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  });

  if (!error) return null;
  return (
    <div className="toast-region">
      <ErrorNotice error={error} onDismiss={close} className="toast" />
    </div>
  );
}
