// Instance states in words a person reads.
import type { InstanceState } from '../../src-shared/model';

export const STATE_LABELS: Record<InstanceState, string> = {
  creating: 'Creating',
  starting: 'Starting',
  running: 'Running',
  stopping: 'Stopping',
  stopped: 'Stopped',
  failed: 'Failed',
};
