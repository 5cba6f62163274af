// Builds an image from a recipe folder (a Dockerfile and its files) with progress lines.
import fs from 'node:fs/promises';
import path from 'node:path';
import { DaasError } from '../../../src-shared/errors';
import { errorText } from '../../../src-shared/error-texts';
import type { DockerProvider } from './docker-provider';

/**
 * Images the app can build itself: image name -> folder under resources/images. The app
 * images are Dockerfiles `FROM daas/base:latest`; a missing base is built first.
 */
export const BUILT_IN_RECIPES: Readonly<Record<string, string>> = {
  'daas/desktop:latest': 'desktop',
  'daas/base:latest': 'base',
  'daas/editor:latest': 'editor',
  'daas/xfce:latest': 'xfce',
  'daas/firefox:latest': 'firefox',
  'daas/office:latest': 'office',
};

/** The images a Dockerfile builds on (its FROM lines, stage names and build arguments aside). */
export function baseImagesOf(dockerfile: string): string[] {
  const stages = new Set<string>();
  const bases: string[] = [];
  for (const match of dockerfile.matchAll(/^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/gim)) {
    const image = match[1]!;
    if (!stages.has(image.toLowerCase()) && !image.includes('$')) bases.push(image);
    if (match[2]) stages.add(match[2].toLowerCase());
  }
  return bases;
}

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
    // A layered recipe (editor, office, ...) needs its base image: build that first, in the
    // same log, so one click on "Build image" is enough.
    const dockerfile = await fs.readFile(path.join(context, 'Dockerfile'), 'utf8').catch(() => '');
    for (const base of baseImagesOf(dockerfile)) {
      if (base !== image && this.canBuild(base) && !(await provider.hasImage(base))) {
        onLine(`Building ${base} first (${image} builds on it)`);
        await this.build(provider, base, onLine);
      }
    }
    // Recipes with an offline script are built offline; the others build on such a base.
    const offline = files.includes('build-offline.sh');
    let stream: NodeJS.ReadableStream;
    try {
      stream = await provider.docker.buildImage({ context, src: files }, { t: image, rm: true, forcerm: true });
    } catch (err) {
      throw buildFailed(image, folder, String((err as Error).message ?? err), offline);
    }
    await new Promise<void>((resolve, reject) => {
      provider.docker.modem.followProgress(
        stream,
        (err: Error | null, output: { error?: string }[]) => {
          const failure = err?.message ?? output?.find((o) => o.error)?.error;
          if (failure) reject(buildFailed(image, folder, failure, offline));
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

function buildFailed(image: string, folder: string, detail: string, offline: boolean): DaasError {
  return new DaasError(
    'PROVIDER_FAILED',
    errorText('error.image.buildFailed', { image, detail: detail.trim() }),
    errorText(offline ? 'fix.image.buildOffline' : 'fix.image.buildLayered', { folder }),
  );
}
