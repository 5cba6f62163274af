import { InstanceRow } from './InstanceRow';
import { LoadState } from './LoadState';
import { useCatalogue } from './store-context';

export function InstanceList() {
  const instances = useCatalogue((s) => s.instances);
  const loadStatus = useCatalogue((s) => s.loadStatus);
  return (
    <section className="section" aria-labelledby="instances-heading">
      <h2 id="instances-heading" className="section-title">
        Instances
        {instances.length > 0 ? <span className="count">{instances.length}</span> : null}
      </h2>
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
    </section>
  );
}
