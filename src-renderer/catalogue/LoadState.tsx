// What a list shows before it has data.
import { useT } from '../i18n/i18n';
import { useCatalogue } from './store-context';

export function LoadState({ what }: { what: 'apps' | 'instances' }) {
  const t = useT();
  const loadStatus = useCatalogue((s) => s.loadStatus);
  if (loadStatus === 'failed') {
    return <p className="empty muted">{what === 'apps' ? t('load.noAppsUntil') : t('load.noInstancesUntil')}</p>;
  }
  return (
    <p className="empty muted" role="status">
      <span className="spinner" aria-hidden="true" /> {what === 'apps' ? t('load.loadingApps') : t('load.loadingInstances')}
    </p>
  );
}
