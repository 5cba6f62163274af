// Whether an app's image is on its Docker host, how to get it when it is not, and the
// progress of a build started from here.
import type { DockerApp } from '../../src-shared/model';
import { LogView } from '../components/LogView';
import { useCatalogue } from './store-context';

function BuildLog({ appId }: { appId: string }) {
  const build = useCatalogue((s) => s.builds[appId]);
  const dismiss = useCatalogue((s) => s.dismissBuild);
  if (!build) return null;
  const title = build.running ? 'Building image…' : build.outcome === 'built' ? 'Image built' : 'Build failed';
  return (
    <div className={`build-log build-${build.running ? 'running' : build.outcome}`} data-testid="build-log" data-running={build.running}>
      <div className="build-log-head">
        <span className="build-log-title" role="status">
          {build.running ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
          {title}
        </span>
        {!build.running ? (
          <button type="button" className="button button-ghost button-small" onClick={() => dismiss(appId)}>
            Hide log
          </button>
        ) : null}
      </div>
      {build.error ? (
        <p className="build-log-error">
          {build.error.message} {build.error.action}
        </p>
      ) : null}
      <LogView text={build.lines.join('\n')} label={`Build output of ${build.image}`} empty="Waiting for output…" />
    </div>
  );
}

/** For container apps only: a VM app has no image. */
export function ImageStatusLine({ app }: { app: DockerApp }) {
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
        <p className="image-line muted" title={imagesError.action}>
          <code className="image-name">{image}</code> · could not check the image: {imagesError.message}
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
          <span className="visually-hidden"> is present</span>
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
            <span className="image-missing-label">not on its Docker host</span>
          </span>
        </p>
        {known.buildable ? (
          <div className="image-actions">
            <button
              type="button"
              className="button button-secondary button-small"
              data-testid="build-image"
              aria-label={`Build the image ${image}`}
              disabled={building}
              onClick={() => void buildImage(app.id)}
            >
              {building ? 'Building…' : 'Build image'}
            </button>
            <span className="muted">from the recipe that ships with DaaS Desktop.</span>
          </div>
        ) : (
          <p className="image-help">
            Get it on the Docker host with <code>docker pull {image}</code>, or <code>docker load -i FILE.tar</code> for a
            saved image, then{' '}
            <button type="button" className="link-button" onClick={() => void refreshImages()}>
              check again
            </button>
            .
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
