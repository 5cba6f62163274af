// Why the catalogue could not be loaded, when the link itself is fine.
import { useT } from '../i18n/i18n';
import { useCatalogue } from './store-context';
import { errorAction, errorMessage } from '../i18n/error-text';

export function LoadErrorNotice() {
  const t = useT();
  const loadStatus = useCatalogue((s) => s.loadStatus);
  const loadError = useCatalogue((s) => s.loadError);
  const load = useCatalogue((s) => s.load);
  if (loadStatus !== 'failed' || !loadError) return null;
  return (
    <div className="notice notice-error" role="alert" data-testid="load-error">
      <div className="notice-text">
        <strong>{t('load.catalogueFailed')}</strong> {errorMessage(loadError)}
        {loadError.action ? <span> {errorAction(loadError)}</span> : null}
      </div>
      <button type="button" className="button button-secondary" onClick={() => void load()}>
        {t('common.tryAgain')}
      </button>
    </div>
  );
}
