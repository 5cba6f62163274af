// Live instances and what can be done to them.
import type { InstanceActivity, InstanceStats, ViewerOpened } from '../../src-shared/contract';
import { toErrorInfo, type ErrorInfo } from '../../src-shared/errors';
import type { Instance } from '../../src-shared/model';
import { upsertInstance } from './instance-list';
import { without, type SliceContext } from './slice';
import { t } from '../i18n/i18n';
import { stateLabel } from './state-words';
import { instanceReason } from '../i18n/error-text';

export type InstanceAction = 'stopping' | 'forceStopping' | 'restarting' | 'opening' | 'removing';

/** How many log lines the tools panel asks for. */
export const LOG_LINES = 500;

/** A step of a long start or stop: its English line, and its key when it is DaaS Desktop's own words. */
export interface InstanceProgress {
  message: string;
  text?: { key: string; params: Record<string, string | number> };
}

export interface InstancesSlice {
  instances: Instance[];
  /** Instances with a request in flight. */
  instanceActions: Record<string, InstanceAction>;
  /** Why the latest action on an instance failed, shown on its row until dismissed or tried again. */
  instanceErrors: Record<string, ErrorInfo>;
  stoppingAll: boolean;
  /** The latest step of a long start or stop (instance.progress), by instance id. */
  instanceProgress: Record<string, InstanceProgress>;

  applyInstance(instance: Instance): void;
  dismissInstanceError(instanceId: string): void;
  applyInstanceProgress(progress: { instanceId: string } & InstanceProgress): void;
  stopInstance(instanceId: string): Promise<void>;
  forceStopInstance(instanceId: string): Promise<void>;
  restartInstance(instanceId: string): Promise<void>;
  openInstance(instanceId: string): Promise<void>;
  stopAll(): Promise<void>;
  /** Deletes the rows of ended instances (a failed one's kept resource goes too). */
  removeInstances(instanceIds: string[]): Promise<void>;
  /** Rows deleted (here or in another window): `instances.removed`. */
  applyRemoved(instanceIds: string[]): void;
  /** Who uses the desktop now: asked before a stop or restart. */
  fetchActivity(instanceId: string): Promise<InstanceActivity>;
  /** For the tools panel, which polls; failures are returned, not shown in the banner. */
  fetchLogs(instanceId: string, timestamps?: boolean): Promise<string>;
  fetchStats(instanceId: string): Promise<InstanceStats>;
}

function popupBlocked(): ErrorInfo {
  return { code: 'INTERNAL', message: t('instances.popupBlocked'), action: t('instances.popupBlockedAction') };
}

function stateMessage(previous: Instance | undefined, next: Instance): string | null {
  if (previous && previous.state === next.state) return null;
  const text = instanceReason(next);
  const reason = text ? ` ${text.split('\n')[0]}` : '';
  return t('instances.stateAnnouncement', { name: next.name, state: stateLabel(next.state), reason });
}

export function createInstancesSlice({ set, get, deps, fail, announce }: SliceContext): InstancesSlice {
  // Browser mode: one viewer window per instance, focused again instead of duplicated.
  const viewerWindows = new Map<string, Window>();

  /** Runs one request for an instance, marking it busy; a second click while busy is ignored. */
  async function act(
    instanceId: string,
    action: InstanceAction,
    run: () => Promise<void>,
    canOverlap = false,
  ): Promise<void> {
    const current = get().instanceActions[instanceId];
    if (current === action || (current !== undefined && !canOverlap)) return;
    set({ instanceActions: { ...get().instanceActions, [instanceId]: action }, instanceErrors: without(get().instanceErrors, instanceId) });
    try {
      await run();
    } catch (err) {
      set({ instanceErrors: { ...get().instanceErrors, [instanceId]: toErrorInfo(err) } });
      fail(err);
    } finally {
      // Only clear what this request set: a force stop may have overtaken a stop.
      if (get().instanceActions[instanceId] === action) {
        set({ instanceActions: without(get().instanceActions, instanceId) });
      }
    }
  }

  return {
    instances: [],
    instanceActions: {},
    instanceErrors: {},
    stoppingAll: false,
    instanceProgress: {},

    applyInstance(instance) {
      const previous = get().instances.find((i) => i.id === instance.id);
      const instances = upsertInstance(get().instances, instance);
      if (instances === get().instances) return;
      // A step message belongs to the transition it described.
      const settled = instance.state === 'running' || instance.state === 'stopped' || instance.state === 'failed';
      const progress = get().instanceProgress;
      set(settled && progress[instance.id] !== undefined ? { instances, instanceProgress: without(progress, instance.id) } : { instances });
      const message = stateMessage(previous, instance);
      if (message) announce(message);
    },

    dismissInstanceError(instanceId) {
      set({ instanceErrors: without(get().instanceErrors, instanceId) });
    },

    applyInstanceProgress({ instanceId, message, text }) {
      const instance = get().instances.find((i) => i.id === instanceId);
      if (instance && (instance.state === 'running' || instance.state === 'stopped' || instance.state === 'failed')) return;
      set({ instanceProgress: { ...get().instanceProgress, [instanceId]: text ? { message, text } : { message } } });
    },

    stopInstance(instanceId) {
      return act(instanceId, 'stopping', async () => {
        get().applyInstance(await deps.call('instances.stop', { instanceId }));
      });
    },

    forceStopInstance(instanceId) {
      // Allowed while a normal stop hangs: that is what it is for.
      return act(
        instanceId,
        'forceStopping',
        async () => {
          get().applyInstance(await deps.call('instances.forceStop', { instanceId }));
        },
        true,
      );
    },

    restartInstance(instanceId) {
      return act(instanceId, 'restarting', async () => {
        get().applyInstance(await deps.call('instances.restart', { instanceId }));
      });
    },

    openInstance(instanceId) {
      return act(instanceId, 'opening', async () => {
        const opened: ViewerOpened = await deps.call('viewer.open', { instanceId });
        if (opened.kind !== 'navigate') return; // Electron opened (or focused) a native window itself.
        const existing = viewerWindows.get(instanceId);
        if (existing && !existing.closed) {
          existing.focus();
          return;
        }
        const win = deps.openWindow(opened.url);
        if (win) viewerWindows.set(instanceId, win);
        else set({ error: popupBlocked() });
      });
    },

    async stopAll() {
      if (get().stoppingAll) return;
      set({ stoppingAll: true });
      try {
        const { stopping } = await deps.call('instances.stopAll', {});
        announce(stopping === 0 ? t('instances.noneToStop') : t('instances.stoppingCount', { count: stopping }));
      } catch (err) {
        fail(err);
      } finally {
        set({ stoppingAll: false });
      }
    },

    async removeInstances(instanceIds) {
      const ids = instanceIds.filter((id) => get().instanceActions[id] === undefined);
      if (ids.length === 0) return;
      const marked = Object.fromEntries(ids.map((id) => [id, 'removing' as const]));
      set({ instanceActions: { ...get().instanceActions, ...marked } });
      try {
        const { removed } = await deps.call('instances.remove', { instanceIds: ids });
        get().applyRemoved(removed);
        announce(t('instances.removedCount', { count: removed.length }));
      } catch (err) {
        fail(err);
      } finally {
        const actions = { ...get().instanceActions };
        for (const id of ids) if (actions[id] === 'removing') delete actions[id];
        set({ instanceActions: actions });
      }
    },

    applyRemoved(instanceIds) {
      const gone = new Set(instanceIds);
      if (!get().instances.some((i) => gone.has(i.id))) return;
      const keep = <T,>(record: Record<string, T>) => Object.fromEntries(Object.entries(record).filter(([id]) => !gone.has(id)));
      set({
        instances: get().instances.filter((i) => !gone.has(i.id)),
        instanceErrors: keep(get().instanceErrors),
        instanceProgress: keep(get().instanceProgress),
      });
    },

    fetchActivity(instanceId) {
      return deps.call('instances.activity', { instanceId });
    },

    async fetchLogs(instanceId, timestamps = false) {
      return (await deps.call('instances.logs', { instanceId, lines: LOG_LINES, timestamps })).text;
    },

    fetchStats(instanceId) {
      return deps.call('instances.stats', { instanceId });
    },
  };
}
