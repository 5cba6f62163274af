// The settings a viewer obeys (clipboard policy), kept live from settings.changed events.
import { useEffect, useState } from 'react';
import { parseEvent, type SettingsView } from '../../src-shared/contract';
import { call } from '../api/call';
import { getApi } from '../api/get-api';

export function useViewerSettings(): SettingsView | null {
  const [settings, setSettings] = useState<SettingsView | null>(null);
  useEffect(() => {
    let active = true;
    call('settings.get', {})
      .then((s) => active && setSettings(s))
      .catch(() => undefined); // Unknown: the panel says what it cannot tell.
    const unsubscribe = getApi().onEvent((received) => {
      const event = received.event === 'settings.changed' ? parseEvent(received.event, received.payload) : null;
      if (active && event?.event === 'settings.changed') setSettings(event.payload);
    });
    return () => {
      active = false;
      unsubscribe();
    };
  }, []);
  return settings;
}
