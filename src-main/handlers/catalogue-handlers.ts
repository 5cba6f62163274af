// Apps, the catalogue file and the desktop images.
import type { CatalogueService } from '../catalogue/catalogue-service';
import type { AppsRepository } from '../store/apps-repository';
import type { AreaChannel, Handlers } from './handler-types';

export function catalogueHandlers(apps: AppsRepository, catalogue: CatalogueService): Handlers<AreaChannel<'apps' | 'catalogue' | 'images'>> {
  return {
    'apps.list': () => apps.list(),
    'apps.create': ({ app }) => catalogue.create(app),
    'apps.update': ({ appId, app }) => catalogue.update(appId, app),
    'apps.duplicate': ({ appId }) => catalogue.duplicate(appId),
    'apps.delete': ({ appId, deleteHomeVolume }) => catalogue.delete(appId, { deleteHomeVolume }),
    'catalogue.export': () => catalogue.exportFile(),
    'catalogue.previewImport': ({ json }) => catalogue.previewImport(json),
    'catalogue.import': ({ json, previewToken }) => catalogue.importFile(json, previewToken),
    'images.status': () => catalogue.imageStatus(),
    'images.build': ({ appId }) => catalogue.buildImage(appId),
    'images.pull': ({ appId }) => catalogue.pullImage(appId),
  };
}
