import { useSyncExternalStore } from 'react';
import type { ConnectionMonitor, ConnectionStatus } from '../api/connection';

export function useConnectionStatus(monitor: ConnectionMonitor): ConnectionStatus {
  return useSyncExternalStore(
    (notify) => monitor.onStatus(notify),
    () => monitor.status(),
  );
}
