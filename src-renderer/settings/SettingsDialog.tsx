// Settings: the user's settings (some managed by the administrator), then the Docker
// and Proxmox VE endpoints.
import { Dialog } from '../components/Dialog';
import { useCatalogue } from '../catalogue/store-context';
import { useT } from '../i18n/i18n';
import { DockerEndpointsSection } from './DockerEndpointsSection';
import { GeneralSettings } from './GeneralSettings';
import { ProxmoxSection } from './ProxmoxSection';

export function SettingsDialog() {
  const t = useT();
  const open = useCatalogue((s) => s.settingsOpen);
  const close = useCatalogue((s) => s.closeSettings);
  if (!open) return null;
  return (
    <Dialog
      title={t('page.settings')}
      onClose={close}
      size="large"
      testId="settings"
      footer={
        <button type="button" className="button button-primary" onClick={close}>
          {t('common.done')}
        </button>
      }
    >
      <GeneralSettings />
      <DockerEndpointsSection />
      <ProxmoxSection />
    </Dialog>
  );
}
