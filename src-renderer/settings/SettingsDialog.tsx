// Settings: Docker endpoints, Proxmox VE endpoints and lifecycle settings.
import { Dialog } from '../components/Dialog';
import { useCatalogue } from '../catalogue/store-context';
import { EndpointsSection } from './EndpointsSection';
import { GeneralSettings } from './GeneralSettings';
import { ProxmoxSection } from './ProxmoxSection';

export function SettingsDialog() {
  const open = useCatalogue((s) => s.settingsOpen);
  const close = useCatalogue((s) => s.closeSettings);
  if (!open) return null;
  return (
    <Dialog
      title="Settings"
      onClose={close}
      size="large"
      testId="settings"
      footer={
        <button type="button" className="button button-primary" onClick={close}>
          Done
        </button>
      }
    >
      <EndpointsSection />
      <ProxmoxSection />
      <GeneralSettings />
    </Dialog>
  );
}
