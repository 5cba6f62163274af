// Whether an app's image is on its Docker host, how to get it when it is not, and the
// progress of a build started from here.
import type { LayerProgress } from '../../src-shared/contract';
import type { DockerApp } from '../../src-shared/model';
import { LogView } from '../components/LogView';
import { formatBytes } from '../store/format';
import { useT } from '../i18n/i18n';
import { useCatalogue } from './store-context';
import { errorAction, errorMessage } from '../i18n/error-text';

/** A pull's layers, each with its bar: what `docker pull` prints, as a list. */
function Layers({ image, layers }: { image: string; layers: LayerProgress[] }) {
  const t = useT();
  if (layers.length === 0) return null;
  return (
    <ul className="pull-layers" data-testid="pull-layers" aria-label={t('images.layersLabel', { image })}>
      {layers.map((layer) => (
        <li key={layer.id} className="pull-layer" data-testid="pull-layer" data-layer={layer.id}>
          <code className="pull-layer-id">{layer.id}</code>
          <span className="pull-layer-status">{layer.status}</span>
          {layer.total > 0 ? (
            <>
              <progress max={layer.total} value={Math.min(layer.current, layer.total)} aria-label={`${layer.id} ${layer.status}`} />
              <span className="muted">
                {formatBytes(layer.current)} / {formatBytes(layer.total)}
              </span>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function BuildLog({ appId }: { appId: string }) {
  const t = useT();
  const build = useCatalogue((s) => s.builds[appId]);
  const dismiss = useCatalogue((s) => s.dismissBuild);
  if (!build) return null;
  const pull = build.kind === 'pull';
  const title = build.running
    ? t(pull ? 'images.pulling' : 'images.building')
    : build.outcome === 'built'
      ? t(pull ? 'images.pulled' : 'images.built')
      : t(pull ? 'images.pullFailed' : 'images.buildFailed');
  return (
    <div
      className={`build-log build-${build.running ? 'running' : build.outcome}`}
      data-testid="build-log"
      data-kind={build.kind}
      data-running={build.running}
      data-outcome={build.outcome ?? undefined}
    >
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
      {pull ? <Layers image={build.image} layers={build.layers} /> : null}
      <LogView
        text={build.lines.join('\n')}
        label={t(pull ? 'images.pullOutput' : 'images.buildOutput', { image: build.image })}
        empty={t('images.waitingForOutput')}
      />
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
  const pulling = useCatalogue((s) => s.builds[app.id]?.running === true && s.builds[app.id]?.kind === 'pull');
  // Start failed for want of the image: offer to pull it and then start.
  const startNeedsImage = useCatalogue((s) => s.startErrors[app.id]?.code === 'IMAGE_MISSING');
  const buildImage = useCatalogue((s) => s.buildImage);
  const pullImage = useCatalogue((s) => s.pullImage);
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
        <div className="image-actions">
          <button
            type="button"
            className={`button button-small ${startNeedsImage ? 'button-primary' : 'button-secondary'}`}
            data-testid="pull-image"
            aria-label={startNeedsImage ? t('images.pullAndStartLabel', { image, name: app.name }) : t('images.pullLabel', { image })}
            aria-disabled={building}
            aria-busy={pulling}
            onClick={() => (building ? undefined : void pullImage(app.id, startNeedsImage))}
          >
            {pulling ? (
              <>
                <span className="spinner spinner-small" aria-hidden="true" />
                {t('images.pullingShort')}
              </>
            ) : startNeedsImage ? (
              t('images.pullAndStart')
            ) : (
              t('images.pull')
            )}
          </button>
          {known.buildable ? (
            <button
              type="button"
              className="button button-secondary button-small"
              data-testid="build-image"
              aria-label={t('images.buildLabel', { image })}
              disabled={building}
              aria-busy={building && !pulling}
              onClick={() => void buildImage(app.id)}
            >
              {building && !pulling ? (
                <>
                  <span className="spinner spinner-small" aria-hidden="true" />
                  {t('images.buildingShort')}
                </>
              ) : (
                t('images.build')
              )}
            </button>
          ) : null}
        </div>
        {!known.buildable ? (
          <p className="image-help">
            {t('images.getItPull')} <code>docker pull {image}</code>
            {t('images.getItLoad')} <code>docker load -i FILE.tar</code> {t('images.getItThen')}{' '}
            <button type="button" className="link-button" onClick={() => void refreshImages()}>
              {t('images.checkAgain')}
            </button>
            {t('images.getItEnd')}
          </p>
        ) : null}
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
