// From the catalogue's VM app settings (src-shared/app-config.ts) to the provider's config.
import type { ProxmoxAppSettings, ProxmoxDisplaySettings } from '../../../src-shared/app-config';
import type { ProxmoxAppConfig, ProxmoxDisplay } from './proxmox-settings';

/**
 * The provider's display from the app's: `password` is the app's display password as the
 * store holds it (sealed there; the app's own settings never carry it).
 */
export function toProxmoxDisplay(display: ProxmoxDisplaySettings, password: string | undefined): ProxmoxDisplay {
  if (display.kind === 'vnc') return { kind: 'vnc', host: display.host, port: display.port, password: password ?? '' };
  if (display.kind === 'rdp') return { kind: 'rdp', port: display.port };
  return { kind: 'vncproxy' };
}

export function toProxmoxAppConfig(settings: ProxmoxAppSettings, displayPassword?: string): ProxmoxAppConfig {
  const display = toProxmoxDisplay(settings.display, displayPassword);
  if (settings.mode === 'existing') {
    return { mode: 'existing', vmid: settings.vmid!, node: settings.node!, display };
  }
  return {
    mode: 'clone',
    templateVmid: settings.templateVmid!,
    ...(settings.node ? { node: settings.node } : {}),
    full: settings.full,
    namePattern: settings.namePattern,
    ...(settings.pool ? { pool: settings.pool } : {}),
    onStop: settings.onStop,
    ...(settings.clipboard ? { clipboard: true } : {}),
    display,
  };
}
