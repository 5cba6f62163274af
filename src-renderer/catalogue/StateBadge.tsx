import type { InstanceState } from '../../src-shared/model';
import { useT } from '../i18n/i18n';
import { stateLabel } from '../store/state-words';

const BUSY: ReadonlySet<InstanceState> = new Set(['creating', 'starting', 'stopping']);

export function StateBadge({ state }: { state: InstanceState }) {
  useT();
  return (
    <span className={`badge badge-${state}`} data-testid="state-badge">
      {BUSY.has(state) ? <span className="badge-pulse" aria-hidden="true" /> : null}
      {stateLabel(state)}
    </span>
  );
}
