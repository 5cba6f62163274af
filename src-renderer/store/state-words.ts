// Instance states in words a person reads.
import type { InstanceState } from '../../src-shared/model';
import { t, type MessageKey } from '../i18n/i18n';

const STATE_KEYS: Record<InstanceState, MessageKey> = {
  creating: 'state.creating',
  starting: 'state.starting',
  running: 'state.running',
  stopping: 'state.stopping',
  stopped: 'state.stopped',
  failed: 'state.failed',
};

/** The state's label in the current language. */
export function stateLabel(state: InstanceState): string {
  return t(STATE_KEYS[state] as 'state.running');
}
