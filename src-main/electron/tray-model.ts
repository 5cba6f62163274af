// What the tray (menu-bar) menu shows: the instances that hold resources, each with
// Open and Stop, then the app's own commands. A pure function of the instance list, so
// the thin tray.ts only turns it into an Electron menu.
import { canStop, canView, isActive } from '../../src-shared/instance-states';
import type { Instance } from '../../src-shared/model';

export type TrayCommand = 'show-catalogue' | 'stop-all' | 'quit';

export type TrayItem =
  | { kind: 'instance'; instanceId: string; label: string; canOpen: boolean; canStop: boolean }
  | { kind: 'note'; label: string }
  | { kind: 'separator' }
  | { kind: 'command'; command: TrayCommand; label: string; enabled: boolean };

export interface TrayModel {
  tooltip: string;
  items: TrayItem[];
}

const STATE_LABEL: Record<Instance['state'], string> = {
  creating: 'creating',
  starting: 'starting',
  running: 'running',
  stopping: 'stopping',
  stopped: 'stopped',
  failed: 'failed',
};

/** Menu labels treat & as an accelerator marker on some platforms; names are shown literally. */
function literal(text: string): string {
  return text.replace(/&/g, '&&');
}

export function trayModel(instances: readonly Instance[]): TrayModel {
  const shown = instances
    .filter((i) => isActive(i.state))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const running = shown.filter((i) => i.state === 'running').length;
  const stoppable = shown.filter((i) => canStop(i.state)).length;
  const items: TrayItem[] = shown.length
    ? shown.map((i) => ({
        kind: 'instance' as const,
        instanceId: i.id,
        label: `${literal(i.name)} (${STATE_LABEL[i.state]})`,
        canOpen: canView(i.state),
        canStop: canStop(i.state),
      }))
    : [{ kind: 'note', label: 'No instances running' }];
  items.push(
    { kind: 'separator' },
    { kind: 'command', command: 'show-catalogue', label: 'Show DaaS Desktop', enabled: true },
    { kind: 'command', command: 'stop-all', label: 'Stop all instances', enabled: stoppable > 0 },
    { kind: 'separator' },
    { kind: 'command', command: 'quit', label: 'Quit DaaS Desktop', enabled: true },
  );
  const tooltip = running === 0 ? 'DaaS Desktop' : `DaaS Desktop: ${running} running`;
  return { tooltip, items };
}
