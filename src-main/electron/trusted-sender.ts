// IPC is answered only for our own pages, loaded from the packaged renderer folder.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function isTrustedRendererUrl(frameUrl: string | undefined, rendererDir: string): boolean {
  if (!frameUrl) return false;
  let url: URL;
  try {
    url = new URL(frameUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'file:') return false;
  const file = path.resolve(fileURLToPath(url));
  const root = path.resolve(rendererDir);
  return file.startsWith(root + path.sep);
}
