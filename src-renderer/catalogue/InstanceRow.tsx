import { useId, useState } from 'react';
import type { Instance } from '../../src-shared/model';
import { canStop, canView } from '../../src-shared/instance-states';
import { InstanceTools } from './InstanceTools';
import { StateBadge } from './StateBadge';
import { StateReason } from './StateReason';
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
  const forceStopInstance = useCatalogue((s) => s.forceStopInstance);
  const restartInstance = useCatalogue((s) => s.restartInstance);
  // The app may be gone (deleted since); its instances keep their rows.
  const provider = useCatalogue((s) => s.apps.find((a) => a.id === instance.appId)?.provider);
  const vm = provider === 'proxmox';
  const [toolsOpen, setToolsOpen] = useState(false);
  const toolsId = useId();
  const created = formatCreated(instance.createdAt);
  const { state } = instance;
  const busy = action !== undefined;

  return (
    <li
      className={`instance-row instance-${state}`}
      data-testid="instance-row"
      data-instance-id={instance.id}
      data-app-id={instance.appId}
      data-state={state}
      data-provider={provider}
    >
      <div className="instance-line">
        <div className="instance-main">
          <div className="instance-title">
            <span className="instance-name">{instance.name}</span>
            <StateBadge state={state} />
          </div>
          <div className="instance-meta">
            <span>{instance.appName}</span>
            {vm ? (
              <span className="tag tag-vm" title="A Proxmox VE virtual machine">
                VM
              </span>
            ) : null}
            {created ? (
              <>
                <span aria-hidden="true"> · </span>
                <time dateTime={instance.createdAt}>Started {created}</time>
              </>
            ) : null}
          </div>
          {instance.stateReason ? <StateReason reason={instance.stateReason} failed={state === 'failed'} /> : null}
        </div>
        <div className="instance-actions" role="group" aria-label={`Actions for ${instance.name}`}>
          <button
            type="button"
            className="button button-primary button-small"
            data-testid="open-instance"
            aria-label={`Open ${instance.name}`}
            disabled={!canView(state) || busy}
            onClick={() => void openInstance(instance.id)}
          >
            {action === 'opening' ? 'Opening…' : 'Open'}
          </button>
          <button
            type="button"
            className="button button-secondary button-small"
            data-testid="stop-instance"
            aria-label={`Stop ${instance.name}`}
            disabled={!canStop(state) || busy}
            onClick={() => void stopInstance(instance.id)}
          >
            {action === 'stopping' ? 'Stopping…' : 'Stop'}
          </button>
          <button
            type="button"
            className="button button-secondary button-small"
            data-testid="restart-instance"
            aria-label={`Restart ${instance.name}`}
            disabled={state !== 'running' || busy}
            onClick={() => void restartInstance(instance.id)}
          >
            {action === 'restarting' ? 'Restarting…' : 'Restart'}
          </button>
          <button
            type="button"
            className="button button-ghost button-small button-ghost-danger"
            data-testid="force-stop-instance"
            aria-label={`Force stop ${instance.name}`}
            // Also while a normal stop hangs.
            disabled={state === 'stopped' || action === 'forceStopping'}
            title={vm ? 'Stop the VM at once, like pulling its power cord' : 'Kill the container at once, without a clean shutdown'}
            onClick={() => void forceStopInstance(instance.id)}
          >
            {action === 'forceStopping' ? 'Killing…' : 'Force stop'}
          </button>
          <button
            type="button"
            className="button button-ghost button-small disclosure"
            aria-expanded={toolsOpen}
            aria-controls={toolsOpen ? toolsId : undefined}
            aria-label={`Logs and stats of ${instance.name}`}
            data-testid="toggle-instance-tools"
            onClick={() => setToolsOpen((open) => !open)}
          >
            Logs &amp; stats
            <span className="chevron" aria-hidden="true" />
          </button>
        </div>
      </div>
      {toolsOpen ? <InstanceTools id={toolsId} instance={instance} vm={vm} /> : null}
    </li>
  );
}
