// The instance state machine, written down as one table.
import type { Instance, InstanceState } from './model';

/** Allowed transitions: from -> the states it may move to. */
export const TRANSITIONS: Readonly<Record<InstanceState, readonly InstanceState[]>> = {
  creating: ['starting', 'stopping', 'failed', 'stopped'],
  starting: ['running', 'stopping', 'failed', 'stopped'],
  // running -> starting is a restart.
  running: ['starting', 'stopping', 'failed', 'stopped'],
  stopping: ['stopped', 'failed'],
  stopped: [],
  // failed -> starting: reconcile re-attaches a resource its engine started again.
  failed: ['starting', 'stopping', 'stopped'],
};

export function canTransition(from: InstanceState, to: InstanceState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** States in which the instance holds (or may hold) resources. */
export function isActive(state: InstanceState): boolean {
  return state !== 'stopped';
}

/** Whether a user may ask to stop an instance in this state. */
export function canStop(state: InstanceState): boolean {
  return canTransition(state, 'stopping');
}

/** Whether a viewer can be opened. */
export function canView(state: InstanceState): boolean {
  return state === 'running';
}

/** Whether a user may restart an instance in this state. */
export function canRestart(state: InstanceState): boolean {
  return state === 'running';
}

/**
 * Failed because its resource stopped while the app or its engine was away: the resource is
 * kept with the user's files (a failed start or stop leaves nothing worth keeping).
 */
export function keptAfterStopping(instance: Pick<Instance, 'state' | 'stateReasonText'>): boolean {
  return instance.state === 'failed' && (instance.stateReasonText?.texts.some((t) => t.key === 'reason.stoppedWhileAwayKept') ?? false);
}
