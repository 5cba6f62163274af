import type { InstanceState } from '../../src-shared/model';
import { STATE_LABELS } from '../store/state-words';

const BUSY: ReadonlySet<InstanceState> = new Set(['creating', 'starting', 'stopping']);

export function StateBadge({ state }: { state: InstanceState }) {
  return (
    <span className={`badge badge-${state}`} data-testid="state-badge">
      {BUSY.has(state) ? <span className="badge-pulse" aria-hidden="true" /> : null}
      {STATE_LABELS[state]}
    </span>
  );
}
