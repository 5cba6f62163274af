// Downloads: only files a window of ours made itself from a blob: URL with an
// <a download> link: the catalogue export (.json) from the catalogue window, and a
// desktop screenshot (.png) from a viewer. Nothing else may write files.
import type { WindowKind } from './permissions';
import { hasControlCharacters } from './untrusted-text';

export interface DownloadRequest {
  windowKind: WindowKind;
  url: string;
  /** The suggested file name (from the link's download attribute). */
  fileName: string;
}

const ALLOWED_EXTENSION: Partial<Record<WindowKind, string>> = { catalogue: '.json', viewer: '.png' };

export function isDownloadAllowed(request: DownloadRequest): boolean {
  const extension = ALLOWED_EXTENSION[request.windowKind];
  if (!extension) return false;
  // Pages loaded from file:// make blob URLs with an opaque ("null") or file origin.
  if (!/^blob:(null|file:\/\/)\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(request.url)) return false;
  const name = request.fileName;
  if (name.length === 0 || name.length > 200 || /[/\\]/.test(name) || hasControlCharacters(name) || name.startsWith('.')) return false;
  return name.toLowerCase().endsWith(extension);
}
