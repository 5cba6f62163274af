// One app of the catalogue: start it, see its image (or, for a VM app, its endpoint and
// template), edit, duplicate or delete it.
import type { App, ProxmoxApp } from '../../src-shared/model';
import { useShallow } from 'zustand/react/shallow';
import { isActive } from '../../src-shared/instance-states';
import { AppIcon } from '../components/AppIcon';
import { ErrorNotice } from '../components/ErrorNotice';
import { useConfirm } from '../components/use-confirm';
import { formatNumber, t, useT } from '../i18n/i18n';
import { LEAST_LOADED_NODE } from './app-form/proxmox-form';
import { ImageStatusLine } from './ImageStatusLine';
import { useCatalogue } from './store-context';

function specSummary(app: App): string {
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

/** The card's own instances: how many run or are on their way, and the newest running one to open. */
function RunningLine({ app }: { app: App }) {
  useT();
  const mine = useCatalogue(useShallow((s) => s.instances.filter((i) => i.appId === app.id)));
  const openInstance = useCatalogue((s) => s.openInstance);
  // The list is newest first.
  const running = mine.filter((i) => i.state === 'running');
  const starting = mine.filter((i) => i.state === 'creating' || i.state === 'starting').length;
  if (running.length === 0 && starting === 0) return null;
  const parts = [
    running.length > 0 ? t('card.runningCount', { count: running.length }) : null,
    starting > 0 ? t('card.startingCount', { count: starting }) : null,
  ].filter((part) => part !== null);
  return (
    <p className="card-running" data-testid="card-running">
      <span className={`badge ${running.length > 0 ? 'badge-running' : 'badge-starting'}`} data-testid="card-running-text">
        {parts.join(' · ')}
      </span>
      {running[0] ? (
        <>
          <span aria-hidden="true">·</span>
          <button
            type="button"
            className="button button-secondary button-small"
            data-testid="card-open-instance"
            aria-label={t('instance.openLabel', { name: running[0].name })}
            onClick={() => void openInstance(running[0]!.id)}
          >
            {t('instance.open')}
          </button>
        </>
      ) : null}
    </p>
  );
}

export function AppCard({ app }: { app: App }) {
  useT();
  // The administrator may switch catalogue editing off, and owns the apps of the policy.
  const canEdit = useCatalogue((s) => s.settings?.allowCatalogueEditing ?? s.settingsStatus === 'failed');
  const starting = useCatalogue((s) => s.startingApps[app.id] === true);
  const startError = useCatalogue((s) => s.startErrors[app.id]);
  const dismissStartError = useCatalogue((s) => s.dismissStartError);
  const action = useCatalogue((s) => s.appActions[app.id]);
  // The main process refuses to delete an app while instances of it run (failed ones do not count).
  const liveCount = useCatalogue(
    (s) => s.instances.filter((i) => i.appId === app.id && isActive(i.state) && i.state !== 'failed').length,
  );
  const startApp = useCatalogue((s) => s.startApp);
  const openEditor = useCatalogue((s) => s.openEditor);
  const duplicateApp = useCatalogue((s) => s.duplicateApp);
  const deleteApp = useCatalogue((s) => s.deleteApp);
  const confirm = useConfirm();
  const headingId = `app-${app.id}-name`;
  const summary = specSummary(app);

  const askDelete = () =>
    confirm.ask({
      title: t('card.deleteTitle', { name: app.name }),
      message: (
        <>
          <p>{t('card.deleteMessage')}</p>
          {liveCount > 0 ? <p className="confirm-warning">{t('card.deleteStillRunning', { count: liveCount })}</p> : null}
        </>
      ),
      confirmLabel: t('common.delete'),
      danger: true,
      onConfirm: () => void deleteApp(app.id),
    });

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
          </h3>
          {app.description ? <p className="app-description">{app.description}</p> : null}
        </div>
      </div>
      <div className="app-card-details">
        {app.provider === 'proxmox' ? <VmLine app={app} /> : <ImageStatusLine app={app} />}
        {summary ? <p className="app-meta">{summary}</p> : null}
        <RunningLine app={app} />
        {startError ? (
          <ErrorNotice
            error={startError}
            alert={false}
            testId="card-error"
            className="inline-error"
            dismissLabel={t('card.dismissErrorLabel', { name: app.name })}
            onDismiss={() => dismissStartError(app.id)}
          />
        ) : null}
      </div>
      <div className="app-card-footer">
        {canEdit ? (
          <div className="app-card-tools">
            <button
              type="button"
              className="button button-ghost button-small"
              data-testid="edit-app"
              aria-label={t('card.editLabel', { name: app.name })}
              title={app.managed ? t('card.managedTitle') : undefined}
              disabled={app.managed}
              onClick={() => openEditor({ kind: 'edit', appId: app.id })}
            >
              {t('common.edit')}
            </button>
            <button
              type="button"
              className="button button-ghost button-small"
              data-testid="duplicate-app"
              aria-label={t('card.duplicateLabel', { name: app.name })}
              disabled={action !== undefined}
              aria-busy={action === 'duplicating'}
              onClick={() => void duplicateApp(app.id)}
            >
              {action === 'duplicating' ? t('card.duplicating') : t('card.duplicate')}
            </button>
            <button
              type="button"
              className="button button-ghost button-small button-ghost-danger"
              data-testid="delete-app"
              aria-label={t('card.deleteLabel', { name: app.name })}
              title={app.managed ? t('card.managedTitle') : undefined}
              disabled={action !== undefined || app.managed}
              aria-busy={action === 'deleting'}
              onClick={askDelete}
            >
              {action === 'deleting' ? t('card.deleting') : t('common.delete')}
            </button>
          </div>
        ) : (
          <span />
        )}
        <button
          type="button"
          className="button button-primary"
          data-testid="start-app"
          aria-label={t('card.startLabel', { name: app.name })}
          // Not disabled: a disabled button drops keyboard focus to the page body.
          aria-disabled={starting}
          aria-busy={starting}
          onClick={() => void startApp(app.id)}
        >
          {starting ? (
            <>
              <span className="spinner spinner-small spinner-on-accent" aria-hidden="true" />
              {t('card.starting')}
            </>
          ) : (
            t('card.start')
          )}
        </button>
      </div>
      {confirm.dialog}
    </article>
  );
}
