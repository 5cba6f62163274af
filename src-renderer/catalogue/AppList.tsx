import { useT } from '../i18n/i18n';
import { AppCard } from './AppCard';
import { CatalogueToolbar } from './CatalogueToolbar';
import { LoadState } from './LoadState';
import { useCatalogue } from './store-context';

export function AppList() {
  const apps = useCatalogue((s) => s.apps);
  const loadStatus = useCatalogue((s) => s.loadStatus);
  const editingOff = useCatalogue((s) => s.settings?.allowCatalogueEditing === false);
  const t = useT();
  return (
    <section className="section" aria-labelledby="apps-heading">
      <div className="section-head">
        <h2 id="apps-heading" className="section-title">
          {t('apps.heading')}
          {apps.length > 0 ? <span className="count">{apps.length}</span> : null}
        </h2>
        <CatalogueToolbar />
      </div>
      {editingOff ? (
        <p className="section-hint muted" data-testid="catalogue-managed">
          <span className="lock" aria-hidden="true" /> {t('apps.editingOff')}
        </p>
      ) : null}
      {apps.length > 0 ? (
        <div className="app-grid" data-testid="app-list">
          {apps.map((app) => (
            <AppCard key={app.id} app={app} />
          ))}
        </div>
      ) : loadStatus === 'ready' ? (
        <p className="empty">{editingOff ? t('apps.emptyManaged') : t('apps.empty')}</p>
      ) : (
        <LoadState what="apps" />
      )}
    </section>
  );
}
