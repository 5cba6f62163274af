// Where the app's own files are, whether run from source, from dist/ or packaged.
import fs from 'node:fs';
import path from 'node:path';

/** Electron's resources folder when packaged (electron-builder's extraResources land there). */
function packagedResourcesPath(): string | undefined {
  return (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
}

/**
 * The resources folder: packaged, Electron's resources folder (extraResources carry
 * defaults/, admin/ and images/ there, outside the ASAR so admins and install scripts
 * can read them); from source or dist/, the project's resources/ folder.
 */
export function resourcesDir(): string {
  const packaged = packagedResourcesPath();
  if (packaged && fs.existsSync(path.join(packaged, 'defaults', 'apps.json'))) return packaged;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'resources');
    if (fs.existsSync(path.join(candidate, 'defaults', 'apps.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`resources/ not found above ${__dirname}`);
  }
}

/** The folder with the app's package.json: the project root, or app.asar when packaged. */
export function appRootDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`package.json not found above ${__dirname}`);
  }
}

/**
 * True when the app runs from a build without its sources: the layout the installer packs
 * (package.json and dist/ only). `serve` uses it where Electron has app.isPackaged; run
 * from a checkout (source or dist/) it is development.
 */
export function isPackagedBuild(root = appRootDir()): boolean {
  return !fs.existsSync(path.join(root, 'src-main'));
}

/** The built renderer (dist/renderer). */
export function rendererDir(): string {
  return path.join(appRootDir(), 'dist', 'renderer');
}

/** Packaged defaults shipped with every build (resources/defaults). */
export function defaultsDir(): string {
  return path.join(resourcesDir(), 'defaults');
}

/**
 * What an administrator adds to a preconfigured installer (resources/admin: policy.json,
 * apps.json, settings.json). Optional; see docs/admin.md.
 */
export function adminDir(): string {
  return path.join(resourcesDir(), 'admin');
}
