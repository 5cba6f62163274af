// The tray / menu-bar icon: trayModel() turned into an Electron menu. Thin on purpose.
import { Menu, Tray, nativeImage } from 'electron';
import type { Instance } from '../../src-shared/model';
import { ENGLISH, type ShellTranslator } from './shell-texts';
import { trayMenuTemplate, trayModel, type TrayActions } from './tray-model';

export type { TrayActions } from './tray-model';

export class AppTray {
  private readonly tray: Tray;

  constructor(iconFile: string, private readonly actions: TrayActions) {
    this.tray = new Tray(nativeImage.createFromPath(iconFile));
    this.tray.on('click', () => actions.command('show-catalogue'));
  }

  update(instances: readonly Instance[], texts: ShellTranslator = ENGLISH): void {
    const model = trayModel(instances, texts);
    const template = trayMenuTemplate(model, this.actions, texts);
    this.tray.setToolTip(model.tooltip);
    this.tray.setContextMenu(Menu.buildFromTemplate(template));
  }

  destroy(): void {
    this.tray.destroy();
  }
}
