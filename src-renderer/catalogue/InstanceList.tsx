import { useState } from 'react';
import { canStop } from '../../src-shared/instance-states';
import type { Instance } from '../../src-shared/model';
import { useConfirm } from '../components/use-confirm';
import { useT } from '../i18n/i18n';
import { InstanceRow } from './InstanceRow';
import { LoadState } from './LoadState';
import { useCatalogue } from './store-context';

type Filter = 'active' | 'all';

const ended = (i: Instance) => i.state === 'stopped' || i.state === 'failed';

export function InstanceList() {
  const instances = useCatalogue((s) => s.instances);
  const loadStatus = useCatalogue((s) => s.loadStatus);
  const stoppingAll = useCatalogue((s) => s.stoppingAll);
  const stopAll = useCatalogue((s) => s.stopAll);
  const stopInstance = useCatalogue((s) => s.stopInstance);
  const removeInstances = useCatalogue((s) => s.removeInstances);
  const confirm = useConfirm();
  const t = useT();
  const [filter, setFilter] = useState<Filter>('all');
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const stoppable = instances.filter((i) => canStop(i.state)).length;
  const activeCount = instances.filter((i) => i.state !== 'stopped').length;
  const shown = filter === 'all' ? instances : instances.filter((i) => !ended(i));
  // Only what is shown counts as selected: a filter never acts on hidden rows.
  const selected = shown.filter((i) => picked.has(i.id));
  const stopped = instances.filter((i) => i.state === 'stopped');

  const select = (id: string, on: boolean) => {
    const next = new Set(picked);
    if (on) next.add(id);
    else next.delete(id);
    setPicked(next);
  };

  const askStopAll = () =>
    confirm.ask({
      title: t('instances.stopAllTitle', { count: stoppable }),
      message: <p>{t('instances.stopAllMessage')}</p>,
      confirmLabel: t('instances.stopAll'),
      danger: true,
      onConfirm: () => void stopAll(),
    });

  const askRemove = (rows: Instance[], title: string) => {
    const failed = rows.filter((i) => i.state === 'failed').length;
    confirm.ask({
      title,
      message: (
        <>
          <p>{t('instances.removeMessage')}</p>
          {failed > 0 ? <p className="confirm-warning">{t('instances.removeFailedLoses', { count: failed })}</p> : null}
          <p>{t('instances.removeKeepsHome')}</p>
        </>
      ),
      confirmLabel: t('instance.remove'),
      danger: true,
      onConfirm: () => {
        setPicked(new Set());
        void removeInstances(rows.map((i) => i.id));
      },
    });
  };

  const selectedStoppable = selected.filter((i) => canStop(i.state));
  const selectedEnded = selected.filter(ended);
  const askStopSelected = () =>
    confirm.ask({
      title: t('instances.stopSelectedTitle', { count: selectedStoppable.length }),
      message: <p>{t('instances.stopAllMessage')}</p>,
      confirmLabel: t('instances.stopSelected'),
      danger: true,
      onConfirm: () => {
        setPicked(new Set());
        for (const i of selectedStoppable) void stopInstance(i.id);
      },
    });

  const allShownSelected = shown.length > 0 && selected.length === shown.length;

  return (
    <section className="section" aria-labelledby="instances-heading">
      <div className="section-head">
        <h2 id="instances-heading" className="section-title">
          {t('instances.heading')}
          {instances.length > 0 ? (
            <span className="count" title={t('instances.activeCount', { count: activeCount })}>
              {instances.length}
            </span>
          ) : null}
        </h2>
        <div className="toolbar">
          <label className="instance-filter">
            <span>{t('instances.filterLabel')}</span>
            <select
              className="input select"
              data-testid="instance-filter"
              value={filter}
              onChange={(event) => setFilter(event.target.value as Filter)}
            >
              <option value="all">{t('instances.filterAll')}</option>
              <option value="active">{t('instances.filterRunning')}</option>
            </select>
          </label>
          <button
            type="button"
            className="button button-secondary button-small"
            data-testid="clear-stopped"
            disabled={stopped.length === 0}
            onClick={() => askRemove(stopped, t('instances.clearStoppedTitle', { count: stopped.length }))}
          >
            {t('instances.clearStopped')}
          </button>
          <button
            type="button"
            className="button button-secondary button-small"
            data-testid="stop-all"
            disabled={stoppable === 0 || stoppingAll}
            aria-busy={stoppingAll}
            onClick={askStopAll}
          >
            {stoppingAll ? (
              <>
                <span className="spinner spinner-small" aria-hidden="true" />
                {t('instances.stoppingAll')}
              </>
            ) : (
              t('instances.stopAll')
            )}
          </button>
        </div>
      </div>
      {shown.length > 0 ? (
        <div className="bulk-bar" data-testid="bulk-bar">
          <input
            type="checkbox"
            className="instance-select"
            data-testid="select-all-instances"
            aria-label={t('instances.selectAll')}
            checked={allShownSelected}
            ref={(el) => {
              if (el) el.indeterminate = selected.length > 0 && !allShownSelected;
            }}
            onChange={(event) => setPicked(event.target.checked ? new Set(shown.map((i) => i.id)) : new Set())}
          />
          {selected.length > 0 ? (
            <>
              <span className="muted" data-testid="selected-count" role="status">
                {t('instances.selectedCount', { count: selected.length })}
              </span>
              <button
                type="button"
                className="button button-secondary button-small"
                data-testid="stop-selected"
                disabled={selectedStoppable.length === 0}
                onClick={askStopSelected}
              >
                {t('instances.stopSelected')}
              </button>
              <button
                type="button"
                className="button button-ghost button-small button-ghost-danger"
                data-testid="remove-selected"
                disabled={selectedEnded.length === 0}
                onClick={() => askRemove(selectedEnded, t('instances.removeTitle', { count: selectedEnded.length }))}
              >
                {t('instances.removeSelected')}
              </button>
            </>
          ) : null}
        </div>
      ) : null}
      {shown.length > 0 ? (
        <ul className="instance-list" data-testid="instance-list">
          {shown.map((instance) => (
            <InstanceRow key={instance.id} instance={instance} selected={picked.has(instance.id)} onSelect={(on) => select(instance.id, on)} />
          ))}
        </ul>
      ) : instances.length > 0 ? (
        <p className="empty" data-testid="instances-filtered-empty">
          {t('instances.filteredEmpty')}
        </p>
      ) : loadStatus === 'ready' ? (
        <p className="empty">{t('instances.empty')}</p>
      ) : (
        <LoadState what="instances" />
      )}
      {confirm.dialog}
    </section>
  );
}
