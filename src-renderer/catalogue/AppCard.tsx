// One app of the catalogue: start it, see its image (or, for a VM app, its endpoint and
// template), edit, duplicate or delete it.
import type { App, ProxmoxApp } from '../../src-shared/model';
import { AppIcon } from '../components/AppIcon';
import { ErrorNotice } from '../components/ErrorNotice';
import { useConfirm } from '../components/use-confirm';
import { formatNumber, t, useT } from '../i18n/i18n';
import { LEAST_LOADED_NODE } from './app-form/proxmox-form';
import { MoreActions, OpenLatestButton, StartButton, useRunningCounts } from './AppActions';
import { ImageStatusLine } from './ImageStatusLine';
import { useCatalogue } from './store-context';

export function specSummary(app: App): string {
  const parts: string[] = [];
  if (app.provider === 'docker') {
    parts.push(`${app.desktopWidth}×${app.desktopHeight}`);
    if (app.docker.cpus !== null) parts.push(t('card.cpus', { cpus: formatNumber(app.docker.cpus) }));
    if (app.docker.memory) parts.push(app.docker.memory);
    if (app.docker.homeVolume) parts.push(t('card.homeVolume'));
  } else {
    const { proxmox } = app;
    if (proxmox.mode === 'clone') {
      parts.push(proxmox.full ? t('card.fullClone') : t('card.linkedClone'));
      parts.push(proxmox.onStop === 'delete' ? t('card.deletedOnStop') : t('card.keptOnStop'));
      if (proxmox.pool) parts.push(t('card.pool', { pool: proxmox.pool }));
    } else {
      parts.push(t('card.startedInPlace'));
    }
  }
  if (app.idleTimeoutMinutes !== null) parts.push(t('card.idleStop', { minutes: app.idleTimeoutMinutes }));
  return parts.join(' · ');
}

/** Where a VM app's machine comes from: its endpoint, and the template or VM on it. */
function VmLine({ app }: { app: ProxmoxApp }) {
  useT();
  const endpoint = useCatalogue((s) => s.proxmoxEndpoints.find((e) => e.id === app.proxmox.endpointId));
  const endpointsReady = useCatalogue((s) => s.proxmoxStatus === 'ready');
  const { proxmox } = app;
  const node =
    proxmox.node === null ? null : proxmox.node === LEAST_LOADED_NODE ? t('card.leastLoadedNode') : t('card.node', { node: proxmox.node });
  const source =
    proxmox.mode === 'clone'
      ? t('card.template', { vmid: String(proxmox.templateVmid ?? '?') })
      : t('card.vm', { vmid: String(proxmox.vmid ?? '?') });
  const missing = endpointsReady && !endpoint;
  return (
    <p className="image-line vm-line" data-testid="vm-source">
      <span className="vm-endpoint" title={endpoint?.url}>
        {endpoint ? endpoint.name : proxmox.endpointId}
      </span>
      {missing ? <span className="vm-missing"> {t('card.endpointRemoved')}</span> : null}
      <span aria-hidden="true">·</span>
      <code className="image-name">{source}</code>
      {node ? (
        <>
          <span aria-hidden="true">·</span>
          <span className="muted">{node}</span>
        </>
      ) : null}
    </p>
  );
}

/** The card's own instances: how many run or are on their way (Open is beside Start). */
function RunningLine({ app }: { app: App }) {
  useT();
  const { running, starting } = useRunningCounts(app);
  if (running === 0 && starting === 0) return null;
  const parts = [
    running > 0 ? t('card.runningCount', { count: running }) : null,
    starting > 0 ? t('card.startingCount', { count: starting }) : null,
  ].filter((part) => part !== null);
  return (
    <p className="card-running" data-testid="card-running">
      <span className={`badge ${running > 0 ? 'badge-running' : 'badge-starting'}`} data-testid="card-running-text">
        {parts.join(' · ')}
      </span>
    </p>
  );
}

/** The app's tags, as small chips. */
export function AppTags({ app }: { app: App }) {
  if (app.tags.length === 0) return null;
  return (
    <ul className="app-tags" data-testid="app-tags" aria-label={t('catalogue.tagsLabel')}>
      {app.tags.map((tag) => (
        <li key={tag} className="tag">
          {tag}
        </li>
      ))}
    </ul>
  );
}

/** The app's badges after its name: VM, built-in, managed. */
export function AppBadges({ app }: { app: App }) {
  return (
    <>
      {app.provider === 'proxmox' ? (
        <span className="tag tag-vm" data-testid="vm-badge" title={t('card.vmTitle')}>
          {t('card.vmBadge')}
        </span>
      ) : null}
      {app.builtIn ? <span className="tag">{t('card.builtIn')}</span> : null}
      {app.managed ? (
        <span className="tag tag-managed" data-testid="managed-badge" title={t('card.managedTitle')}>
          {t('card.managed')}
        </span>
      ) : null}
    </>
  );
}

/** The start error of an app, where it was started from. */
export function StartError({ app }: { app: App }) {
  useT();
  const startError = useCatalogue((s) => s.startErrors[app.id]);
  const dismissStartError = useCatalogue((s) => s.dismissStartError);
  if (!startError) return null;
  return (
    <ErrorNotice
      error={startError}
      alert={false}
      testId="card-error"
      className="inline-error"
      dismissLabel={t('card.dismissErrorLabel', { name: app.name })}
      onDismiss={() => dismissStartError(app.id)}
    />
  );
}

export function AppCard({ app }: { app: App }) {
  useT();
  const confirm = useConfirm();
  const headingId = `app-${app.id}-name`;
  const summary = specSummary(app);

  return (
    <article
      className="card app-card"
      data-testid="app-card"
      data-app-id={app.id}
      data-provider={app.provider}
      aria-labelledby={headingId}
    >
      <div className="app-card-head">
        <AppIcon app={app} />
        <div className="app-card-titles">
          <h3 id={headingId} className="app-name">
            {app.name}
            <AppBadges app={app} />
          </h3>
          {/* Long descriptions are cut to three lines; the whole text shows on hover. */}
          {app.description ? (
            <p className="app-description" data-testid="app-description" title={app.description}>
              {app.description}
            </p>
          ) : null}
          <AppTags app={app} />
        </div>
      </div>
      <div className="app-card-details">
        {app.provider === 'proxmox' ? <VmLine app={app} /> : <ImageStatusLine app={app} />}
        {summary ? <p className="app-meta">{summary}</p> : null}
        <RunningLine app={app} />
        <StartError app={app} />
      </div>
      <div className="app-card-footer">
        <div className="app-card-primary">
          <StartButton app={app} />
          <OpenLatestButton app={app} />
        </div>
        <MoreActions app={app} confirm={confirm} />
      </div>
      {confirm.dialog}
    </article>
  );
}
