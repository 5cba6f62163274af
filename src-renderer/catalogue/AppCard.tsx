// One app of the catalogue: start it, see its image (or, for a VM app, its endpoint and
// template), edit, duplicate or delete it.
import type { App, ProxmoxApp } from '../../src-shared/model';
import { isActive } from '../../src-shared/instance-states';
import { useConfirm } from '../components/use-confirm';
import { LEAST_LOADED_NODE } from '../store/app-form';
import { ImageStatusLine } from './ImageStatusLine';
import { useCatalogue } from './store-context';

function specSummary(app: App): string {
  const parts: string[] = [];
  if (app.provider === 'docker') {
    parts.push(`${app.desktopWidth}×${app.desktopHeight}`);
    if (app.docker.cpus !== null) parts.push(`${app.docker.cpus} CPU`);
    if (app.docker.memory) parts.push(app.docker.memory);
    if (app.docker.homeVolume) parts.push('home volume');
  } else {
    const { proxmox } = app;
    if (proxmox.mode === 'clone') {
      parts.push(proxmox.full ? 'full clone' : 'linked clone');
      parts.push(proxmox.onStop === 'delete' ? 'deleted on stop' : 'kept on stop');
      if (proxmox.pool) parts.push(`pool ${proxmox.pool}`);
    } else {
      parts.push('started in place');
    }
  }
  if (app.idleTimeoutMinutes !== null) parts.push(`idle stop ${app.idleTimeoutMinutes} min`);
  return parts.join(' · ');
}

/** Where a VM app's machine comes from: its endpoint, and the template or VM on it. */
function VmLine({ app }: { app: ProxmoxApp }) {
  const endpoint = useCatalogue((s) => s.proxmoxEndpoints.find((e) => e.id === app.proxmox.endpointId));
  const endpointsReady = useCatalogue((s) => s.proxmoxStatus === 'ready');
  const { proxmox } = app;
  const node =
    proxmox.node === null ? null : proxmox.node === LEAST_LOADED_NODE ? 'least-loaded node' : `node ${proxmox.node}`;
  const source = proxmox.mode === 'clone' ? `template ${proxmox.templateVmid ?? '?'}` : `VM ${proxmox.vmid ?? '?'}`;
  const missing = endpointsReady && !endpoint;
  return (
    <p className="image-line vm-line" data-testid="vm-source">
      <span className="vm-endpoint" title={endpoint?.url}>
        {endpoint ? endpoint.name : proxmox.endpointId}
      </span>
      {missing ? <span className="vm-missing"> (endpoint removed)</span> : null}
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

export function AppCard({ app }: { app: App }) {
  const starting = useCatalogue((s) => s.startingApps[app.id] === true);
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
      title: `Delete ${app.name}?`,
      message: (
        <>
          <p>It is removed from the catalogue. This cannot be undone; export the catalogue first to keep a copy.</p>
          {liveCount > 0 ? (
            <p className="confirm-warning">
              {liveCount === 1 ? '1 instance of it is' : `${liveCount} instances of it are`} still running: stop{' '}
              {liveCount === 1 ? 'it' : 'them'} first, or deleting will be refused.
            </p>
          ) : null}
        </>
      ),
      confirmLabel: 'Delete',
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
        <span className="app-icon" aria-hidden="true">
          {app.icon || app.name.trim().charAt(0).toUpperCase() || '?'}
        </span>
        <div className="app-card-titles">
          <h3 id={headingId} className="app-name">
            {app.name}
            {app.provider === 'proxmox' ? (
              <span className="tag tag-vm" data-testid="vm-badge" title="A Proxmox VE virtual machine">
                VM
              </span>
            ) : null}
            {app.builtIn ? <span className="tag">Built-in</span> : null}
          </h3>
          {app.description ? <p className="app-description">{app.description}</p> : null}
        </div>
      </div>
      <div className="app-card-details">
        {app.provider === 'proxmox' ? <VmLine app={app} /> : <ImageStatusLine app={app} />}
        {summary ? <p className="app-meta">{summary}</p> : null}
      </div>
      <div className="app-card-footer">
        <div className="app-card-tools">
          <button
            type="button"
            className="button button-ghost button-small"
            data-testid="edit-app"
            aria-label={`Edit ${app.name}`}
            onClick={() => openEditor({ kind: 'edit', appId: app.id })}
          >
            Edit
          </button>
          <button
            type="button"
            className="button button-ghost button-small"
            data-testid="duplicate-app"
            aria-label={`Duplicate ${app.name}`}
            disabled={action !== undefined}
            onClick={() => void duplicateApp(app.id)}
          >
            {action === 'duplicating' ? 'Duplicating…' : 'Duplicate'}
          </button>
          <button
            type="button"
            className="button button-ghost button-small button-ghost-danger"
            data-testid="delete-app"
            aria-label={`Delete ${app.name}`}
            disabled={action !== undefined}
            onClick={askDelete}
          >
            {action === 'deleting' ? 'Deleting…' : 'Delete'}
          </button>
        </div>
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
      {confirm.dialog}
    </article>
  );
}
