// Whether an app's image is on its Docker host, how to get it when it is not, and the
// progress of a build started from here.
import type { DockerApp } from '../../src-shared/model';
import { LogView } from '../components/LogView';
import { useT } from '../i18n/i18n';
import { useCatalogue } from './store-context';
import { errorAction, errorMessage } from '../i18n/error-text';

function BuildLog({ appId }: { appId: string }) {
  const t = useT();
  const build = useCatalogue((s) => s.builds[appId]);
  const dismiss = useCatalogue((s) => s.dismissBuild);
  if (!build) return null;
  const title = build.running ? t('images.building') : build.outcome === 'built' ? t('images.built') : t('images.buildFailed');
  return (
    <div className={`build-log build-${build.running ? 'running' : build.outcome}`} data-testid="build-log" data-running={build.running}>
      <div className="build-log-head">
        <span className="build-log-title" role="status">
          {build.running ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
          {title}
        </span>
        {!build.running ? (
          <button type="button" className="button button-ghost button-small" onClick={() => dismiss(appId)}>
            {t('images.hideLog')}
          </button>
        ) : null}
      </div>
      {build.error ? (
        <p className="build-log-error">
          {errorMessage(build.error)} {errorAction(build.error)}
        </p>
      ) : null}
      <LogView text={build.lines.join('\n')} label={t('images.buildOutput', { image: build.image })} empty={t('images.waitingForOutput')} />
    </div>
  );
}

/** For container apps only: a VM app has no image. */
export function ImageStatusLine({ app }: { app: DockerApp }) {
  const t = useT();
  const status = useCatalogue((s) => s.images[app.id]);
  const imagesStatus = useCatalogue((s) => s.imagesStatus);
  const imagesError = useCatalogue((s) => s.imagesError);
  const building = useCatalogue((s) => s.builds[app.id]?.running === true);
  const buildImage = useCatalogue((s) => s.buildImage);
  const refreshImages = useCatalogue((s) => s.refreshImages);
  const image = app.docker.image;
  // A status for another image is stale (the app was just edited).
  const known = status && status.image === image ? status : undefined;

  let line;
  if (!known) {
    line =
      imagesStatus === 'failed' && imagesError ? (
        <p className="image-line muted" title={errorAction(imagesError)}>
          <code className="image-name">{image}</code> · {t('images.checkFailed', { message: errorMessage(imagesError) })}
        </p>
      ) : (
        <p className="image-line muted">
          <code className="image-name">{image}</code>
        </p>
      );
  } else if (known.present) {
    line = (
      <p className="image-line">
        <span className="image-status" data-testid="image-status" data-present="true">
          <span className="status-dot status-ok" aria-hidden="true" />
          <code className="image-name">{image}</code>
          <span className="visually-hidden"> {t('images.present')}</span>
        </span>
      </p>
    );
  } else {
    line = (
      <div className="image-missing">
        <p className="image-line">
          <span className="image-status" data-testid="image-status" data-present="false">
            <span className="status-dot status-warn" aria-hidden="true" />
            <code className="image-name">{image}</code>
            <span className="image-missing-label">{t('images.missing')}</span>
          </span>
        </p>
        {known.buildable ? (
          <div className="image-actions">
            <button
              type="button"
              className="button button-secondary button-small"
              data-testid="build-image"
              aria-label={t('images.buildLabel', { image })}
              disabled={building}
              aria-busy={building}
              onClick={() => void buildImage(app.id)}
            >
              {building ? (
                <>
                  <span className="spinner spinner-small" aria-hidden="true" />
                  {t('images.buildingShort')}
                </>
              ) : (
                t('images.build')
              )}
            </button>
            <span className="muted">{t('images.fromRecipe')}</span>
          </div>
        ) : (
          <p className="image-help">
            {t('images.getItPull')} <code>docker pull {image}</code>
            {t('images.getItLoad')} <code>docker load -i FILE.tar</code> {t('images.getItThen')}{' '}
            <button type="button" className="link-button" onClick={() => void refreshImages()}>
              {t('images.checkAgain')}
            </button>
            {t('images.getItEnd')}
          </p>
        )}
      </div>
    );
  }

  return (
    <>
      {line}
      <BuildLog appId={app.id} />
    </>
  );
}
