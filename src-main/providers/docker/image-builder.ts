// Builds an image from a recipe folder (a Dockerfile and its files) with progress lines.
import fs from 'node:fs/promises';
import path from 'node:path';
import { DaasError } from '../../../src-shared/errors';
import { errorText } from '../../../src-shared/error-texts';
import type { DockerProvider } from './docker-provider';

/** Images the app can build itself: image name -> folder under resources/images. */
export const BUILT_IN_RECIPES: Readonly<Record<string, string>> = { 'daas/desktop:latest': 'desktop' };

export class ImageBuilder {
  constructor(
    private readonly recipesDir: string,
    private readonly recipes: Readonly<Record<string, string>> = BUILT_IN_RECIPES,
  ) {}

  canBuild(image: string): boolean {
    // Own keys only: `in` would call "constructor" buildable.
    return Object.hasOwn(this.recipes, image);
  }

  async build(provider: DockerProvider, image: string, onLine: (line: string) => void): Promise<void> {
    const folder = this.canBuild(image) ? this.recipes[image] : undefined;
    if (!folder) {
      throw new DaasError('IMAGE_MISSING', errorText('error.image.noRecipe', { image }), errorText('fix.image.pullYourself', { image }));
    }
    const context = path.join(this.recipesDir, folder);
    const files = await fs.readdir(context);
    let stream: NodeJS.ReadableStream;
    try {
      stream = await provider.docker.buildImage({ context, src: files }, { t: image, rm: true, forcerm: true });
    } catch (err) {
      throw buildFailed(image, folder, String((err as Error).message ?? err));
    }
    await new Promise<void>((resolve, reject) => {
      provider.docker.modem.followProgress(
        stream,
        (err: Error | null, output: { error?: string }[]) => {
          const failure = err?.message ?? output?.find((o) => o.error)?.error;
          if (failure) reject(buildFailed(image, folder, failure));
          else resolve();
        },
        (event: { stream?: string; status?: string; error?: string }) => {
          const line = (event.stream ?? event.status ?? event.error ?? '').trimEnd();
          if (line) onLine(line);
        },
      );
    });
  }
}

function buildFailed(image: string, folder: string, detail: string): DaasError {
  return new DaasError(
    'PROVIDER_FAILED',
    errorText('error.image.buildFailed', { image, detail: detail.trim() }),
    errorText('fix.image.buildOffline', { folder }),
  );
}
