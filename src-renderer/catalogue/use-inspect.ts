// An instance's configuration and summary (instances.inspect), read once it runs and
// again on request; secrets were masked by the main process before it got here.
import { useCallback, useEffect, useState } from 'react';
import type { InstanceInspect } from '../../src-shared/contract';
import { toErrorInfo, type ErrorInfo } from '../../src-shared/errors';
import type { Instance } from '../../src-shared/model';
import { call } from '../api/call';

export function useInspect(instance: Instance): { inspect: InstanceInspect | null; error: ErrorInfo | null; reload: () => void } {
  const running = instance.state === 'running';
  const [inspect, setInspect] = useState<InstanceInspect | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!running) {
      setInspect(null);
      return;
    }
    let current = true;
    call('instances.inspect', { instanceId: instance.id }).then(
      (result) => {
        if (!current) return;
        setInspect(result);
        setError(null);
      },
      (err) => {
        if (current) setError(toErrorInfo(err));
      },
    );
    return () => {
      current = false;
    };
  }, [instance.id, running, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { inspect, error, reload };
}
