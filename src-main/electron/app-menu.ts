// The native application menu: the platform's usual roles plus the app's own commands.
// Returns a template (plain data typed with Electron's definitions) so it is tested under Node.
import type { MenuItemConstructorOptions } from 'electron';

export interface AppMenuActions {
  showCatalogue(): void;
  stopAll(): void;
}

export interface AppMenuOptions {
  platform: NodeJS.Platform;
  /** Developer tools and reload only in development builds. */
  development: boolean;
}

export function appMenuTemplate(actions: AppMenuActions, options: AppMenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const view: MenuItemConstructorOptions[] = [
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  if (options.development) view.unshift({ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' });
  const template: MenuItemConstructorOptions[] = [];
  if (mac) template.push({ role: 'appMenu' });
  template.push(
    {
      label: '&File',
      submenu: [
        { label: 'Show Catalogue', accelerator: 'CmdOrCtrl+Shift+L', click: () => actions.showCatalogue() },
        { label: 'Stop All Instances', click: () => actions.stopAll() },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { label: '&View', submenu: view },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ role: 'about' }] },
  );
  return template;
}
