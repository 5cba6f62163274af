// CPU and memory samples per instance, kept in this window while it shows the instance:
// the row samples them (every STATS_POLL_MS while running) and its sparklines and the Stats
// tab read the same history.
import { useEffect, useSyncExternalStore } from 'react';
import type { InstanceStats } from '../../src-shared/contract';
import { toErrorInfo, type ErrorInfo } from '../../src-shared/errors';
import type { Instance } from '../../src-shared/model';
import { usePolling } from '../components/use-polling';
import { useCatalogue } from './store-context';

export const STATS_POLL_MS = 2000;
/** Samples kept per instance: two minutes at one every two seconds. */
export const HISTORY_SAMPLES = 60;

export interface StatsHistory {
  samples: InstanceStats[];
  error: ErrorInfo | null;
}

const EMPTY: StatsHistory = { samples: [], error: null };
const histories = new Map<string, StatsHistory>();
const listeners = new Set<() => void>();

function update(instanceId: string, next: StatsHistory): void {
  histories.set(instanceId, next);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useStatsHistory(instanceId: string): StatsHistory {
  return useSyncExternalStore(subscribe, () => histories.get(instanceId) ?? EMPTY);
}

/** Samples the instance while it runs; its history goes when it stops or the row goes. */
export function useStatsSampler(instance: Instance): void {
  const fetchStats = useCatalogue((s) => s.fetchStats);
  const running = instance.state === 'running';
  usePolling(
    async () => {
      const previous = histories.get(instance.id) ?? EMPTY;
      try {
        const sample = await fetchStats(instance.id);
        update(instance.id, { samples: [...previous.samples, sample].slice(-HISTORY_SAMPLES), error: null });
      } catch (err) {
        update(instance.id, { samples: previous.samples, error: toErrorInfo(err) });
      }
    },
    STATS_POLL_MS,
    running,
  );
  useEffect(() => {
    if (!running) return;
    return () => {
      histories.delete(instance.id);
    };
  }, [instance.id, running]);
}
