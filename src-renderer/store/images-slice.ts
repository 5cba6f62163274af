// Whether each app's image is present, and image builds with their progress lines.
import type { ImageProgress, ImageStatus, LayerProgress } from '../../src-shared/contract';
import { toErrorInfo, type ErrorInfo } from '../../src-shared/errors';
import { t } from '../i18n/i18n';
import { without, type LoadStatus, type SliceContext } from './slice';
import { errorMessage } from '../i18n/error-text';

/** Lines kept per build log; older ones scroll away. */
export const BUILD_LOG_LINES = 400;

export interface ImageBuild {
  image: string;
  /** A build from a recipe, or a pull from the image's registry. */
  kind: 'build' | 'pull';
  /** A pull's layers, as the engine last reported them. */
  layers: LayerProgress[];
  /** Start the app once the pull worked ("Pull image and start"). */
  startAfter: boolean;
  lines: string[];
  running: boolean;
  /** Set when the build finished: whether it worked. */
  outcome: 'built' | 'failed' | null;
  error: ErrorInfo | null;
}

export interface ImagesSlice {
  /** By app id. */
  images: Record<string, ImageStatus>;
  imagesStatus: LoadStatus;
  imagesError: ErrorInfo | null;
  /** Builds started from any window, by app id. */
  builds: Record<string, ImageBuild>;

  refreshImages(): Promise<void>;
  buildImage(appId: string): Promise<void>;
  /** Pulls the app's image; with startAfter, starts the app once it is there. */
  pullImage(appId: string, startAfter?: boolean): Promise<void>;
  dismissBuild(appId: string): void;
  applyImageProgress(progress: ImageProgress): void;
}

function appendLines(lines: readonly string[], text: string): string[] {
  const added = text.split(/\r?\n/).filter((line, i, all) => line !== '' || i < all.length - 1);
  const next = [...lines, ...added];
  return next.length > BUILD_LOG_LINES ? next.slice(next.length - BUILD_LOG_LINES) : next;
}

export function createImagesSlice({ set, get, deps, announce }: SliceContext): ImagesSlice {
  let seq = 0;

  const fresh = (image: string, kind: ImageBuild['kind'] = 'build', startAfter = false): ImageBuild => ({
    image,
    kind,
    layers: [],
    startAfter,
    lines: [],
    running: true,
    outcome: null,
    error: null,
  });

  const finish = (appId: string, error: ErrorInfo | null) => {
    const build = get().builds[appId];
    if (!build || !build.running) return;
    set({ builds: { ...get().builds, [appId]: { ...build, running: false, outcome: error ? 'failed' : 'built', error } } });
    if (build.kind === 'pull') {
      announce(error ? t('images.pullFailedAnnouncement', { image: build.image, message: errorMessage(error) }) : t('images.pulledAnnouncement', { image: build.image }));
      if (!error && build.startAfter) void get().startApp(appId);
      return;
    }
    announce(error ? t('images.buildFailedAnnouncement', { image: build.image, message: errorMessage(error) }) : t('images.builtAnnouncement', { image: build.image }));
  };

  return {
    images: {},
    imagesStatus: 'idle',
    imagesError: null,
    builds: {},

    async refreshImages() {
      const mine = ++seq;
      if (get().imagesStatus !== 'ready') set({ imagesStatus: 'loading' });
      try {
        const statuses = await deps.call('images.status', {});
        if (mine !== seq) return;
        const images: Record<string, ImageStatus> = {};
        for (const status of statuses) images[status.appId] = status;
        set({ images, imagesStatus: 'ready', imagesError: null });
      } catch (err) {
        if (mine !== seq) return;
        set({ imagesStatus: 'failed', imagesError: toErrorInfo(err) });
      }
    },

    async buildImage(appId) {
      if (get().builds[appId]?.running) return;
      const app = get().apps.find((a) => a.id === appId);
      // VM apps have no image to build.
      if (app?.provider === 'proxmox') return;
      const image = get().images[appId]?.image ?? app?.docker.image ?? '';
      set({ builds: { ...get().builds, [appId]: fresh(image) } });
      announce(t('images.buildingAnnouncement', { image }));
      try {
        await deps.call('images.build', { appId });
        await get().refreshImages();
        // The request may answer when the build is done or as soon as it started;
        // an image that is now present settles it either way.
        if (get().images[appId]?.present) finish(appId, null);
      } catch (err) {
        finish(appId, toErrorInfo(err));
      }
    },

    async pullImage(appId, startAfter = false) {
      if (get().builds[appId]?.running) return;
      const app = get().apps.find((a) => a.id === appId);
      if (app?.provider !== 'docker') return;
      const image = app.docker.image;
      set({ builds: { ...get().builds, [appId]: fresh(image, 'pull', startAfter) }, startErrors: without(get().startErrors, appId) });
      announce(t('images.pullingAnnouncement', { image }));
      try {
        // Answers once the pull started; its progress and outcome come as image.progress.
        await deps.call('images.pull', { appId });
      } catch (err) {
        finish(appId, toErrorInfo(err));
      }
    },

    dismissBuild(appId) {
      if (get().builds[appId]?.running) return;
      set({ builds: without(get().builds, appId) });
    },

    applyImageProgress(progress) {
      const { appId } = progress;
      const current = get().builds[appId];
      // The outcome of a build this window already saw finish.
      if (progress.done && current && !current.running) return;
      // A build this window did not start (another window did), or a new one.
      const build = current?.running ? current : fresh(progress.image, progress.layers ? 'pull' : 'build');
      const lines = progress.line ? appendLines(build.lines, progress.line) : build.lines;
      const layers = progress.layers ?? build.layers;
      set({ builds: { ...get().builds, [appId]: { ...build, image: progress.image || build.image, lines, layers } } });
      if (progress.done) {
        finish(appId, progress.error);
        void get().refreshImages();
      }
    },
  };
}
