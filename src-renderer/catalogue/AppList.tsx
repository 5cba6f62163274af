import { AppCard } from './AppCard';
import { CatalogueToolbar } from './CatalogueToolbar';
import { LoadState } from './LoadState';
import { useCatalogue } from './store-context';

export function AppList() {
  const apps = useCatalogue((s) => s.apps);
  const loadStatus = useCatalogue((s) => s.loadStatus);
  return (
    <section className="section" aria-labelledby="apps-heading">
      <div className="section-head">
        <h2 id="apps-heading" className="section-title">
          Apps
          {apps.length > 0 ? <span className="count">{apps.length}</span> : null}
        </h2>
        <CatalogueToolbar />
      </div>
      {apps.length > 0 ? (
        <div className="app-grid" data-testid="app-list">
          {apps.map((app) => (
            <AppCard key={app.id} app={app} />
          ))}
        </div>
      ) : loadStatus === 'ready' ? (
        <p className="empty">No apps yet. Choose New app, or import a catalogue.</p>
      ) : (
        <LoadState what="apps" />
      )}
    </section>
  );
}
