// Preload: exposes one typed `window.daas`. A sandboxed preload may require only
// 'electron', so this file imports types and nothing else at run time.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { DaasApi, DaasEvent } from '../../src-shared/contract';

// Sandboxed preloads cannot require sibling files, so these repeat IPC_REQUEST and
// IPC_EVENT from src-shared/contract.ts; test/unit/contract.test.ts checks they agree.
const PRELOAD_IPC_REQUEST = 'daas:request';
const PRELOAD_IPC_EVENT = 'daas:event';

const api: DaasApi = {
  request: (channel, payload) => ipcRenderer.invoke(PRELOAD_IPC_REQUEST, channel, payload),
  onEvent(listener) {
    const forward = (_event: IpcRendererEvent, daasEvent: DaasEvent) => listener(daasEvent);
    ipcRenderer.on(PRELOAD_IPC_EVENT, forward);
    return () => ipcRenderer.removeListener(PRELOAD_IPC_EVENT, forward);
  },
};

contextBridge.exposeInMainWorld('daas', api);
