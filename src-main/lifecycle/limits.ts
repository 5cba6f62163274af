// The limits a start must stay within (settings maxInstancesPerApp, maxInstancesTotal,
// maxTotalMemoryMiB): checked before the instance's row is written, so a refused start
// leaves nothing behind. Prepared (warm-pool) instances count like any other.
import { DaasError } from '../../src-shared/errors';
import { errorText } from '../../src-shared/error-texts';
import type { App, InstanceState } from '../../src-shared/model';
import type { MemoryClaim } from '../providers/providers';

export interface StartLimits {
  perApp: number | null;
  total: number | null;
  memoryMiB: number | null;
}


/** States in which an instance holds what it runs on. A failed one's kept container is stopped. */
const HOLDING: readonly InstanceState[] = ['creating', 'starting', 'running', 'stopping'];

export function holdsResources(state: InstanceState): boolean {
  return HOLDING.includes(state);
}

const MIB = 1024 * 1024;

/** Throws LIMIT_REACHED naming the limit and how to free room; `live` are the instances holding resources. */
export function checkStartLimits(app: App, live: readonly { appId: string }[], limits: StartLimits, claimOf: (appId: string) => MemoryClaim): void {
  const ofApp = live.filter((i) => i.appId === app.id).length;
  if (limits.perApp !== null && ofApp >= limits.perApp) {
    throw new DaasError(
      'LIMIT_REACHED',
      errorText('error.limit.perApp', { name: app.name, count: ofApp, limit: limits.perApp }),
      errorText('fix.limit.perApp', { name: app.name }),
    );
  }
  if (limits.total !== null && live.length >= limits.total) {
    throw new DaasError('LIMIT_REACHED', errorText('error.limit.total', { count: live.length, limit: limits.total }), errorText('fix.limit.total'));
  }
  if (limits.memoryMiB === null) return;
  const need = claimOf(app.id);
  if (need === 'not-counted') return;
  const budget = limits.memoryMiB * MIB;
  let used = 0;
  for (const instance of live) {
    const claim = claimOf(instance.appId);
    if (claim !== 'not-counted') used += claim === 'unlimited' ? budget : claim;
  }
  const usedMiB = Math.ceil(Math.min(used, budget) / MIB);
  if (need === 'unlimited') {
    if (used > 0) {
      throw new DaasError(
        'LIMIT_REACHED',
        errorText('error.limit.memoryUnlimited', { name: app.name, limitMiB: limits.memoryMiB, usedMiB }),
        errorText('fix.limit.memory'),
      );
    }
    return;
  }
  if (used + need > budget) {
    throw new DaasError(
      'LIMIT_REACHED',
      errorText('error.limit.memory', { name: app.name, needMiB: Math.ceil(need / MIB), usedMiB, limitMiB: limits.memoryMiB }),
      errorText('fix.limit.memory'),
    );
  }
}
