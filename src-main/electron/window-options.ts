// The security options every window gets: no Node, isolated, sandboxed.
import type { BrowserWindowConstructorOptions } from 'electron';

export function secureWindowOptions(preload: string, extra: BrowserWindowConstructorOptions = {}): BrowserWindowConstructorOptions {
  return {
    show: false,
    backgroundColor: '#111418',
    ...extra,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: false,
      // A hidden viewer must keep answering the tunnel's pings, or the tunnel drops it.
      backgroundThrottling: false,
    },
  };
}
