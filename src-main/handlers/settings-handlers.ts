// The user's settings (under the administrator's policy).
import type { UserSettings } from '../config/user-settings';
import type { EventBus } from '../lifecycle/instance-events';
import type { AreaChannel, Handlers } from './handler-types';

export function settingsHandlers(userSettings: UserSettings, bus: EventBus): Handlers<AreaChannel<'settings'>> {
  return {
    'settings.get': () => userSettings.get(),
    'settings.update': async (patch) => {
      const view = await userSettings.update(patch);
      // Every window (and the shell's menu, tray and dialogs) follows at once.
      bus.publish({ event: 'settings.changed', payload: view });
      return view;
    },
  };
}
