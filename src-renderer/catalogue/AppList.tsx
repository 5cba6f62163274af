import { AppCard } from './AppCard';
import { LoadState } from './LoadState';
import { useCatalogue } from './store-context';

export function AppList() {
  const apps = useCatalogue((s) => s.apps);
  const loadStatus = useCatalogue((s) => s.loadStatus);
  return (
    <section className="section" aria-labelledby="apps-heading">
      <h2 id="apps-heading" className="section-title">
        Apps
      </h2>
      {apps.length > 0 ? (
        <div className="app-grid">
          {apps.map((app) => (
            <AppCard key={app.id} app={app} />
          ))}
        </div>
      ) : loadStatus === 'ready' ? (
        <p className="empty">No apps are configured. Ask your administrator to add one.</p>
      ) : (
        <LoadState what="apps" />
      )}
    </section>
  );
}
