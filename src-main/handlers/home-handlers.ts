// "Export home" and "Import home" of an instance's tools: the request checks the instance, the
// app's home folder and the policy's transfer switches, and hands out a single-use address the
// window streams the archive through (display/home-transfer.ts).
import type { HomeTransferTicket } from '../../src-shared/contract';
import { DaasError } from '../../src-shared/errors';
import { errorText } from '../../src-shared/error-texts';
import type { UserSettings } from '../config/user-settings';
import type { DisplayService } from '../display/display-service';
import type { Providers } from '../providers/providers';
import type { AppsRepository } from '../store/apps-repository';
import type { InstancesRepository } from '../store/instances-repository';
import type { AreaChannel, Handlers } from './handler-types';

export interface HomeHandlerDeps {
  apps: AppsRepository;
  instances: InstancesRepository;
  providers: Providers;
  userSettings: UserSettings;
  display: DisplayService;
}

/** "Linux desktop (1)" on 2026-12-02 -> "linux-desktop-1-home-2026-12-02.tar.gz". */
function archiveName(instanceName: string): string {
  const slug = instanceName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'desktop';
  return `${slug}-home-${new Date().toISOString().slice(0, 10)}.tar.gz`;
}

export function homeHandlers({ apps, instances, providers, userSettings, display }: HomeHandlerDeps): Handlers<AreaChannel<'home'>> {
  return {
    'home.transfer': async ({ instanceId, direction }): Promise<HomeTransferTicket> => {
      const instance = await instances.get(instanceId);
      if (!instance) {
        throw new DaasError('INSTANCE_NOT_FOUND', errorText('error.instance.notFound', { instanceId }), errorText('fix.instance.refreshList'));
      }
      const app = await apps.get(instance.appId);
      const folder = app ? providers.homeFolder(app) : null;
      const archive = providers.displaySource(instance.provider, instance.endpointId)?.homeArchive;
      if (!folder || !archive) throw new DaasError('INVALID_REQUEST', errorText('error.home.none', { name: instance.name }), errorText('fix.home.containersOnly'));
      if (instance.state !== 'running') throw new DaasError('INVALID_TRANSITION', errorText('error.home.notRunning', { name: instance.name }), errorText('fix.home.startFirst'));
      // The same switches as a viewer's transfers: an export is a download, an import an upload.
      const { fileUpload, fileDownload, maxTransferSizeMiB } = await userSettings.get();
      if (direction === 'export' && !fileDownload) throw new DaasError('INVALID_REQUEST', errorText('error.files.downloadOff'), errorText('fix.home.transfersOff'));
      if (direction === 'import' && !fileUpload) throw new DaasError('INVALID_REQUEST', errorText('error.files.uploadOff'), errorText('fix.home.transfersOff'));
      const url = display.issueHomeTransfer({ instanceId, name: instance.name, direction, archive, folder, maxBytes: maxTransferSizeMiB * 1024 * 1024 });
      return { url, folder, fileName: archiveName(instance.name) };
    },
  };
}
