// What the tray (menu-bar) menu shows: the instances that hold resources, each with
// Open and Stop, then the app's own commands. A pure function of the instance list, so
// the thin tray.ts only turns it into an Electron menu.
import type { MenuItemConstructorOptions } from 'electron';
import { canStop, canView, isActive } from '../../src-shared/instance-states';
import type { DaasEvent } from '../../src-shared/contract';
import type { Instance } from '../../src-shared/model';
import { ENGLISH, type ShellTranslator } from './shell-texts';

export type TrayCommand = 'show-catalogue' | 'stop-all' | 'quit';

export interface TrayActions {
  open(instanceId: string): void;
  stop(instanceId: string): void;
  command(command: TrayCommand): void;
}

export type TrayItem =
  | { kind: 'instance'; instanceId: string; label: string; canOpen: boolean; canStop: boolean }
  | { kind: 'note'; label: string }
  | { kind: 'separator' }
  | { kind: 'command'; command: TrayCommand; label: string; enabled: boolean };

export interface TrayModel {
  tooltip: string;
  items: TrayItem[];
}

/** Menu labels treat & as an accelerator marker on some platforms; names are shown literally. */
function literal(text: string): string {
  return text.replace(/&/g, '&&');
}

/**
 * Keeps the shell's copy of the instances in step with the core's events: a changed instance
 * is put in, removed rows are taken out (a removed failed instance would otherwise stay in
 * the tray, with a Stop that can only fail). True when the tray needs redrawing.
 */
export function followInstances(instances: Map<string, Instance>, event: DaasEvent): boolean {
  if (event.event === 'instance.changed') {
    instances.set(event.payload.id, event.payload);
    return true;
  }
  if (event.event === 'instances.removed') {
    let changed = false;
    for (const id of event.payload.instanceIds) changed = instances.delete(id) || changed;
    return changed;
  }
  return false;
}

export function trayModel(instances: readonly Instance[], { t, state }: ShellTranslator = ENGLISH): TrayModel {
  const shown = instances
    .filter((i) => isActive(i.state))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const running = shown.filter((i) => i.state === 'running').length;
  const stoppable = shown.filter((i) => canStop(i.state)).length;
  const items: TrayItem[] = shown.length
    ? shown.map((i) => ({
        kind: 'instance' as const,
        instanceId: i.id,
        label: t('tray.instance', { name: literal(i.name), state: state(i.state) }),
        canOpen: canView(i.state),
        canStop: canStop(i.state),
      }))
    : [{ kind: 'note', label: t('tray.noInstances') }];
  items.push(
    { kind: 'separator' },
    { kind: 'command', command: 'show-catalogue', label: t('tray.showApp'), enabled: true },
    { kind: 'command', command: 'stop-all', label: t('tray.stopAll'), enabled: stoppable > 0 },
    { kind: 'separator' },
    { kind: 'command', command: 'quit', label: t('tray.quit'), enabled: true },
  );
  const tooltip = running === 0 ? t('tray.tooltip') : t('tray.tooltipRunning', { count: running });
  return { tooltip, items };
}

/** The model as an Electron menu template: each instance gets Open and Stop. */
export function trayMenuTemplate(model: TrayModel, actions: TrayActions, { t }: ShellTranslator = ENGLISH): MenuItemConstructorOptions[] {
  return model.items.map((item): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'instance':
        return {
          label: item.label,
          submenu: [
            { label: t('tray.open'), enabled: item.canOpen, click: () => actions.open(item.instanceId) },
            { label: t('tray.stop'), enabled: item.canStop, click: () => actions.stop(item.instanceId) },
          ],
        };
      case 'note':
        return { label: item.label, enabled: false };
      case 'separator':
        return { type: 'separator' };
      case 'command':
        return { label: item.label, enabled: item.enabled, click: () => actions.command(item.command) };
    }
  });
}
