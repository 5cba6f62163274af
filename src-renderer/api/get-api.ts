// One DaasApi per page: Electron's preload object, or the headless host's WebSocket.
import type { DaasApi } from '../../src-shared/contract';
import { ALWAYS_OPEN, type ConnectionMonitor } from './connection';
import { WsTransport, apiSocketUrl } from './ws-transport';

let api: DaasApi | undefined;
let monitor: ConnectionMonitor = ALWAYS_OPEN;

export function getApi(): DaasApi {
  if (api) return api;
  if (window.daas) {
    api = window.daas;
    monitor = ALWAYS_OPEN;
  } else {
    const transport = new WsTransport(apiSocketUrl(window.location));
    api = transport;
    monitor = transport;
  }
  return api;
}

/** Whether the core is reachable right now (always true inside Electron). */
export function getConnectionMonitor(): ConnectionMonitor {
  getApi();
  return monitor;
}
