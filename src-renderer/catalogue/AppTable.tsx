// The catalogue as a table: one compact row per app, with the same actions as its card.
import type { App } from '../../src-shared/model';
import { AppIcon } from '../components/AppIcon';
import { useConfirm } from '../components/use-confirm';
import { t, useT } from '../i18n/i18n';
import { MoreActions, OpenLatestButton, StartButton, useRunningCounts } from './AppActions';
import { AppBadges, AppTags, StartError } from './AppCard';

function Instances({ app }: { app: App }) {
  const { running, starting } = useRunningCounts(app);
  const parts = [
    running > 0 ? t('card.runningCount', { count: running }) : null,
    starting > 0 ? t('card.startingCount', { count: starting }) : null,
  ].filter((part) => part !== null);
  return parts.length > 0 ? (
    <span className={`badge ${running > 0 ? 'badge-running' : 'badge-starting'}`} data-testid="card-running-text">
      {parts.join(' · ')}
    </span>
  ) : (
    <span className="muted">–</span>
  );
}

function AppRow({ app }: { app: App }) {
  useT();
  const confirm = useConfirm();
  return (
    <tr data-testid="app-row" data-app-id={app.id} data-provider={app.provider}>
      <th scope="row" className="app-table-name">
        <span className="app-table-title">
          <AppIcon app={app} />
          <span>
            {app.name}
            <AppBadges app={app} />
          </span>
        </span>
      </th>
      <td>{app.provider === 'docker' ? t('editor.providerDocker') : t('editor.providerProxmox')}</td>
      <td>
        <AppTags app={app} />
      </td>
      <td className="app-table-description">
        {/* One line here; the whole text on hover. */}
        {app.description ? (
          <span className="truncate" data-testid="app-description" title={app.description}>
            {app.description}
          </span>
        ) : null}
      </td>
      <td>
        <Instances app={app} />
        <StartError app={app} />
      </td>
      <td>
        <div className="app-table-actions">
          <StartButton app={app} />
          <OpenLatestButton app={app} />
          <MoreActions app={app} confirm={confirm} />
        </div>
        {confirm.dialog}
      </td>
    </tr>
  );
}

export function AppTable({ apps }: { apps: App[] }) {
  const t = useT();
  return (
    <div className="app-table-wrap">
      <table className="app-table" data-testid="app-table">
        <caption className="visually-hidden">{t('apps.heading')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('catalogue.colApp')}</th>
            <th scope="col">{t('catalogue.provider')}</th>
            <th scope="col">{t('catalogue.tagsLabel')}</th>
            <th scope="col">{t('editor.description')}</th>
            <th scope="col">{t('catalogue.colInstances')}</th>
            <th scope="col">{t('catalogue.colActions')}</th>
          </tr>
        </thead>
        <tbody>
          {apps.map((app) => (
            <AppRow key={app.id} app={app} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
