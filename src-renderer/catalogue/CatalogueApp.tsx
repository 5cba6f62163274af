import type { ConnectionMonitor } from '../api/connection';
import { SettingsDialog } from '../settings/SettingsDialog';
import { AppEditor } from './AppEditor';
import { AppList } from './AppList';
import { ConnectionNotice } from './ConnectionNotice';
import { ErrorBanner } from './ErrorBanner';
import { InstanceList } from './InstanceList';
import { LoadErrorNotice } from './LoadErrorNotice';
import { useCatalogue } from './store-context';
import { useConnectionStatus } from './use-connection-status';

export function CatalogueApp({ monitor }: { monitor: ConnectionMonitor }) {
  const announcement = useCatalogue((s) => s.announcement);
  const openSettings = useCatalogue((s) => s.openSettings);
  const connection = useConnectionStatus(monitor);
  return (
    <div className="page">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <h1>DaaS Desktop</h1>
        </div>
        <button type="button" className="button button-ghost button-small" data-testid="settings-open" onClick={openSettings}>
          <span className="gear" aria-hidden="true">
            ⚙
          </span>
          Settings
        </button>
      </header>
      <div className="notices">
        <ConnectionNotice monitor={monitor} />
        {/* While the link is down the connection notice explains it; reload follows by itself. */}
        {connection.state === 'open' ? <LoadErrorNotice /> : null}
        <ErrorBanner />
      </div>
      <main className="content">
        <AppList />
        <InstanceList />
      </main>
      <AppEditor />
      <SettingsDialog />
      <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {announcement}
      </div>
    </div>
  );
}
