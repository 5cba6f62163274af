// "Save as new app…" from an instance: a catalogue change, locked like the catalogue's own.
import type { AppSaver } from '../catalogue/save-as-app';
import type { Handlers } from './handler-types';

export function saveAsAppHandlers(saver: AppSaver): Handlers<'instances.saveAsApp'> {
  return {
    'instances.saveAsApp': ({ instanceId, name }) => saver.save(instanceId, name),
  };
}
