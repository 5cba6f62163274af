import type { Instance } from '../../src-shared/model';
import { canStop, canView } from '../../src-shared/instance-states';
import { StateBadge } from './StateBadge';
import { useCatalogue } from './store-context';

const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function formatCreated(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const today = new Date().toDateString() === date.toDateString();
  return (today ? timeFormat : dateTimeFormat).format(date);
}

export function InstanceRow({ instance }: { instance: Instance }) {
  const action = useCatalogue((s) => s.instanceActions[instance.id]);
  const openInstance = useCatalogue((s) => s.openInstance);
  const stopInstance = useCatalogue((s) => s.stopInstance);
  const created = formatCreated(instance.createdAt);

  return (
    <li
      className={`instance-row instance-${instance.state}`}
      data-testid="instance-row"
      data-instance-id={instance.id}
      data-state={instance.state}
    >
      <div className="instance-main">
        <div className="instance-title">
          <span className="instance-name">{instance.name}</span>
          <StateBadge state={instance.state} />
        </div>
        <div className="instance-meta">
          <span>{instance.appName}</span>
          {created ? (
            <>
              <span aria-hidden="true"> · </span>
              <time dateTime={instance.createdAt}>Started {created}</time>
            </>
          ) : null}
        </div>
        {instance.stateReason ? (
          <p className="instance-reason" data-testid="state-reason">
            {instance.stateReason}
          </p>
        ) : null}
      </div>
      <div className="instance-actions">
        <button
          type="button"
          className="button button-primary"
          data-testid="open-instance"
          aria-label={`Open ${instance.name}`}
          disabled={!canView(instance.state) || action !== undefined}
          onClick={() => void openInstance(instance.id)}
        >
          {action === 'opening' ? 'Opening…' : 'Open'}
        </button>
        <button
          type="button"
          className="button button-secondary"
          data-testid="stop-instance"
          aria-label={`Stop ${instance.name}`}
          disabled={!canStop(instance.state) || action !== undefined}
          onClick={() => void stopInstance(instance.id)}
        >
          {action === 'stopping' ? 'Stopping…' : 'Stop'}
        </button>
      </div>
    </li>
  );
}
