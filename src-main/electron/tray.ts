// The tray / menu-bar icon: trayModel() turned into an Electron menu. Thin on purpose.
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import type { Instance } from '../../src-shared/model';
import { trayModel, type TrayCommand } from './tray-model';

export interface TrayActions {
  open(instanceId: string): void;
  stop(instanceId: string): void;
  command(command: TrayCommand): void;
}

export class AppTray {
  private readonly tray: Tray;

  constructor(iconFile: string, private readonly actions: TrayActions) {
    this.tray = new Tray(nativeImage.createFromPath(iconFile));
    this.tray.on('click', () => actions.command('show-catalogue'));
  }

  update(instances: readonly Instance[]): void {
    const model = trayModel(instances);
    const template: MenuItemConstructorOptions[] = model.items.map((item): MenuItemConstructorOptions => {
      switch (item.kind) {
        case 'instance':
          return {
            label: item.label,
            submenu: [
              { label: 'Open', enabled: item.canOpen, click: () => this.actions.open(item.instanceId) },
              { label: 'Stop', enabled: item.canStop, click: () => this.actions.stop(item.instanceId) },
            ],
          };
        case 'note':
          return { label: item.label, enabled: false };
        case 'separator':
          return { type: 'separator' };
        case 'command':
          return { label: item.label, enabled: item.enabled, click: () => this.actions.command(item.command) };
      }
    });
    this.tray.setToolTip(model.tooltip);
    this.tray.setContextMenu(Menu.buildFromTemplate(template));
  }

  destroy(): void {
    this.tray.destroy();
  }
}
