import type { ConnectionMonitor } from '../api/connection';
import { useT } from '../i18n/i18n';
import { SettingsDialog } from '../settings/SettingsDialog';
import { AppEditor } from './AppEditor';
import { AppList } from './AppList';
import { ConnectionNotice } from './ConnectionNotice';
import { ErrorBanner } from './ErrorBanner';
import { ImportPreviewDialog } from './ImportPreviewDialog';
import { InstanceList } from './InstanceList';
import { LoadErrorNotice } from './LoadErrorNotice';
import { PolicyProblems } from './PolicyProblems';
import { useCatalogue } from './store-context';
import { useConnectionStatus } from './use-connection-status';

export function CatalogueApp({ monitor }: { monitor: ConnectionMonitor }) {
  const t = useT();
  const announcement = useCatalogue((s) => s.announcement);
  const openSettings = useCatalogue((s) => s.openSettings);
  const connection = useConnectionStatus(monitor);
  return (
    <div className="page">
      <a className="skip-link" href="#main-content">
        {t('page.skipToContent')}
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <h1>{t('page.title')}</h1>
        </div>
        <nav className="topnav" aria-label={t('page.navLabel')}>
          <a href="#apps-heading">{t('apps.heading')}</a>
          <a href="#instances-heading">{t('instances.heading')}</a>
        </nav>
        <button
          type="button"
          className="button button-ghost button-small"
          data-testid="settings-open"
          aria-haspopup="dialog"
          onClick={openSettings}
        >
          <span className="gear" aria-hidden="true">
            ⚙
          </span>
          {t('page.settings')}
        </button>
      </header>
      <main className="content" id="main-content" tabIndex={-1}>
        <div className="notices">
          <ConnectionNotice monitor={monitor} />
          {/* While the link is down the connection notice explains it; reload follows by itself. */}
          {connection.state === 'open' ? <LoadErrorNotice /> : null}
          <PolicyProblems />
          <ErrorBanner />
        </div>
        <AppList />
        <InstanceList />
      </main>
      <AppEditor />
      <ImportPreviewDialog />
      <SettingsDialog />
      <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {announcement}
      </div>
    </div>
  );
}
