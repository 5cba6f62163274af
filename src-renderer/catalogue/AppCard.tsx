import type { App } from '../../src-shared/model';
import { useCatalogue } from './store-context';

export function AppCard({ app }: { app: App }) {
  const starting = useCatalogue((s) => s.startingApps[app.id] === true);
  const startApp = useCatalogue((s) => s.startApp);
  const headingId = `app-${app.id}-name`;
  return (
    <article className="card app-card" data-testid="app-card" data-app-id={app.id} aria-labelledby={headingId}>
      <div className="app-card-body">
        <h3 id={headingId} className="app-name">
          {app.name}
        </h3>
        {app.description ? <p className="app-description">{app.description}</p> : null}
      </div>
      <div className="app-card-footer">
        <span className="app-meta" title={app.image}>
          {app.desktopWidth}×{app.desktopHeight}
        </span>
        <button
          type="button"
          className="button button-primary"
          data-testid="start-app"
          aria-label={`Start ${app.name}`}
          disabled={starting}
          aria-busy={starting}
          onClick={() => void startApp(app.id)}
        >
          {starting ? 'Starting…' : 'Start'}
        </button>
      </div>
    </article>
  );
}
