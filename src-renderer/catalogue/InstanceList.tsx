import { canStop } from '../../src-shared/instance-states';
import { useConfirm } from '../components/use-confirm';
import { InstanceRow } from './InstanceRow';
import { LoadState } from './LoadState';
import { useCatalogue } from './store-context';

export function InstanceList() {
  const instances = useCatalogue((s) => s.instances);
  const loadStatus = useCatalogue((s) => s.loadStatus);
  const stoppingAll = useCatalogue((s) => s.stoppingAll);
  const stopAll = useCatalogue((s) => s.stopAll);
  const confirm = useConfirm();
  const stoppable = instances.filter((i) => canStop(i.state)).length;
  const activeCount = instances.filter((i) => i.state !== 'stopped').length;

  const askStopAll = () =>
    confirm.ask({
      title: stoppable === 1 ? 'Stop the running instance?' : `Stop all ${stoppable} instances?`,
      message: <p>Their desktops close; unsaved work inside them is lost.</p>,
      confirmLabel: 'Stop all',
      danger: true,
      onConfirm: () => void stopAll(),
    });

  return (
    <section className="section" aria-labelledby="instances-heading">
      <div className="section-head">
        <h2 id="instances-heading" className="section-title">
          Instances
          {instances.length > 0 ? (
            <span className="count" title={`${activeCount} active`}>
              {instances.length}
            </span>
          ) : null}
        </h2>
        <div className="toolbar">
          <button
            type="button"
            className="button button-secondary button-small"
            data-testid="stop-all"
            disabled={stoppable === 0 || stoppingAll}
            onClick={askStopAll}
          >
            {stoppingAll ? 'Stopping all…' : 'Stop all'}
          </button>
        </div>
      </div>
      {instances.length > 0 ? (
        <ul className="instance-list" data-testid="instance-list">
          {instances.map((instance) => (
            <InstanceRow key={instance.id} instance={instance} />
          ))}
        </ul>
      ) : loadStatus === 'ready' ? (
        <p className="empty">No instances yet. Start an app to get a desktop.</p>
      ) : (
        <LoadState what="instances" />
      )}
      {confirm.dialog}
    </section>
  );
}
