// The instance a viewer shows, kept live from instance.changed events (for the title
// and to explain a closed connection). Missing information is not an error here.
import { useEffect, useState } from 'react';
import type { Instance } from '../../src-shared/model';
import { call } from '../api/call';
import { getApi } from '../api/get-api';

export function useInstance(instanceId: string | null): Instance | null {
  const [instance, setInstance] = useState<Instance | null>(null);

  useEffect(() => {
    if (!instanceId) return;
    let active = true;
    let latest: Instance | null = null;
    const accept = (next: Instance) => {
      if (!active || next.id !== instanceId) return;
      if (latest && Date.parse(next.updatedAt) < Date.parse(latest.updatedAt)) return;
      latest = next;
      setInstance(next);
    };
    const unsubscribe = getApi().onEvent((event) => {
      if (event.event === 'instance.changed') accept(event.payload);
    });
    call('instances.list', {})
      .then((instances) => {
        const found = instances.find((i) => i.id === instanceId);
        if (found) accept(found);
      })
      .catch(() => undefined); // The title falls back to "Desktop".
    return () => {
      active = false;
      unsubscribe();
    };
  }, [instanceId]);

  return instance;
}
