// Pure helpers that keep the instance list live: upsert by id, newest first.
import type { Instance } from '../../src-shared/model';

function time(value: string): number {
  const t = Date.parse(value);
  return Number.isNaN(t) ? 0 : t;
}

/** Whether `incoming` is at least as recent as `existing` (stale updates are dropped). */
export function isNewerOrSame(incoming: Instance, existing: Instance): boolean {
  return time(incoming.updatedAt) >= time(existing.updatedAt);
}

export function sortNewestFirst(instances: readonly Instance[]): Instance[] {
  return [...instances].sort(
    (a, b) => time(b.createdAt) - time(a.createdAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
  );
}

/** Inserts or replaces one instance, ignoring updates older than what is shown. */
export function upsertInstance(list: readonly Instance[], incoming: Instance): Instance[] {
  const index = list.findIndex((i) => i.id === incoming.id);
  if (index >= 0 && !isNewerOrSame(incoming, list[index]!)) return list as Instance[];
  const next = index >= 0 ? list.with(index, incoming) : [...list, incoming];
  return sortNewestFirst(next);
}

/**
 * Merges a freshly loaded list with what events already delivered: an event that
 * arrived while the list was in flight may be newer than the list's copy.
 */
export function mergeLoaded(current: readonly Instance[], loaded: readonly Instance[]): Instance[] {
  let merged = [...current];
  for (const instance of loaded) merged = upsertInstance(merged, instance);
  return sortNewestFirst(merged);
}
