// From the catalogue's VM app settings (src-shared/app-config.ts) to the provider's config.
import type { ProxmoxAppSettings } from '../../../src-shared/app-config';
import type { ProxmoxAppConfig } from './proxmox-settings';

export function toProxmoxAppConfig(settings: ProxmoxAppSettings): ProxmoxAppConfig {
  if (settings.mode === 'existing') {
    return { mode: 'existing', vmid: settings.vmid!, node: settings.node! };
  }
  return {
    mode: 'clone',
    templateVmid: settings.templateVmid!,
    ...(settings.node ? { node: settings.node } : {}),
    full: settings.full,
    namePattern: settings.namePattern,
    ...(settings.pool ? { pool: settings.pool } : {}),
    onStop: settings.onStop,
  };
}
