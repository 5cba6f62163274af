// The API object the Electron preload exposes through contextBridge.
import type { DaasApi } from '../src-shared/contract';

declare global {
  interface Window {
    /** Present in Electron windows only; the headless host is reached over a WebSocket. */
    readonly daas?: DaasApi;
  }
}

export {};
