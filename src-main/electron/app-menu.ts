// The native application menu: the platform's usual roles plus the app's own commands.
// Returns a template (plain data typed with Electron's definitions) so it is tested under Node.
import type { MenuItemConstructorOptions } from 'electron';
import { ENGLISH, type ShellTranslator } from './shell-texts';

export interface AppMenuActions {
  showCatalogue(): void;
  stopAll(): void;
}

export interface AppMenuOptions {
  platform: NodeJS.Platform;
  /** Developer tools and reload only in development builds. */
  development: boolean;
  /** The app's own labels in the interface language; the roles are labelled by the system. */
  texts?: ShellTranslator;
}

export function appMenuTemplate(actions: AppMenuActions, options: AppMenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const { t } = options.texts ?? ENGLISH;
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
      label: t('menu.file'),
      submenu: [
        { label: t('menu.showCatalogue'), accelerator: 'CmdOrCtrl+Shift+L', click: () => actions.showCatalogue() },
        { label: t('menu.stopAll'), click: () => actions.stopAll() },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { label: t('menu.view'), submenu: view },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ role: 'about' }] },
  );
  return template;
}
