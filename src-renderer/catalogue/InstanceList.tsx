import { canStop } from '../../src-shared/instance-states';
import { useConfirm } from '../components/use-confirm';
import { useT } from '../i18n/i18n';
import { InstanceRow } from './InstanceRow';
import { LoadState } from './LoadState';
import { useCatalogue } from './store-context';

export function InstanceList() {
  const instances = useCatalogue((s) => s.instances);
  const loadStatus = useCatalogue((s) => s.loadStatus);
  const stoppingAll = useCatalogue((s) => s.stoppingAll);
  const stopAll = useCatalogue((s) => s.stopAll);
  const confirm = useConfirm();
  const t = useT();
  const stoppable = instances.filter((i) => canStop(i.state)).length;
  const activeCount = instances.filter((i) => i.state !== 'stopped').length;

  const askStopAll = () =>
    confirm.ask({
      title: t('instances.stopAllTitle', { count: stoppable }),
      message: <p>{t('instances.stopAllMessage')}</p>,
      confirmLabel: t('instances.stopAll'),
      danger: true,
      onConfirm: () => void stopAll(),
    });

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
      {instances.length > 0 ? (
        <ul className="instance-list" data-testid="instance-list">
          {instances.map((instance) => (
            <InstanceRow key={instance.id} instance={instance} />
          ))}
        </ul>
      ) : loadStatus === 'ready' ? (
        <p className="empty">{t('instances.empty')}</p>
      ) : (
        <LoadState what="instances" />
      )}
      {confirm.dialog}
    </section>
  );
}
