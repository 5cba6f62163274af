// The state of the link between a page and the DaaS Desktop core.

export type ConnectionStatus =
  /** `failures`: attempts that failed since the link was last open. */
  | { state: 'connecting'; everConnected: boolean; failures: number }
  | { state: 'open' }
  | { state: 'closed'; everConnected: boolean; retryAt: number };

/** Reports whether the core is reachable; Electron IPC is always "open". */
export interface ConnectionMonitor {
  status(): ConnectionStatus;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  /** Skips the back-off wait and tries to reconnect now. */
  retryNow(): void;
}

export const ALWAYS_OPEN: ConnectionMonitor = {
  status: () => ({ state: 'open' }),
  onStatus: () => () => undefined,
  retryNow: () => undefined,
};
