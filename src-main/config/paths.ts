// Where the app's own files are, whether run from source, from dist/ or packaged.
import fs from 'node:fs';
import path from 'node:path';

/** The project's resources/ folder: the nearest ancestor of this file that has one. */
export function resourcesDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'resources');
    if (fs.existsSync(path.join(candidate, 'defaults', 'apps.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`resources/ not found above ${__dirname}`);
  }
}

/** The built renderer (dist/renderer). */
export function rendererDir(): string {
  return path.join(path.dirname(resourcesDir()), 'dist', 'renderer');
}
