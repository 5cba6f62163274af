// Downloads: only files a window of ours made itself from a blob: URL with an
// <a download> link: the catalogue export (.json) and an instance's home export (.tar.gz, streamed
// into the window by home.transfer) from the catalogue window, and from a
// viewer a desktop screenshot or a file downloaded from the desktop (any type: the user
// picks where it goes in Electron's save dialog, shown because no save path is set here;
// hidden files, names starting with ".", included).
// Nothing else may write files.
import type { WindowKind } from './permissions';
import { hasControlCharacters } from './untrusted-text';

export interface DownloadRequest {
  windowKind: WindowKind;
  url: string;
  /** The suggested file name (from the link's download attribute). */
  fileName: string;
}

/** The extensions a window's downloads may have; '' for any. */
const ALLOWED_EXTENSIONS: Partial<Record<WindowKind, readonly string[]>> = { catalogue: ['.json', '.tar.gz'], viewer: [''] };

export function isDownloadAllowed(request: DownloadRequest): boolean {
  const extensions = ALLOWED_EXTENSIONS[request.windowKind];
  if (extensions === undefined) return false;
  // Pages loaded from file:// make blob URLs with an opaque ("null") or file origin.
  if (!/^blob:(null|file:\/\/)\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(request.url)) return false;
  const name = request.fileName;
  if (name.length === 0 || name.length > 200 || /[/\\]/.test(name) || hasControlCharacters(name) || /^\.*$/.test(name)) return false;
  // A hidden file from the desktop (".bashrc", ".env") keeps its name: it is only the suggestion
  // of the save dialog, where the user picks the folder and confirms replacing a file. The
  // catalogue's exports never start with one.
  if (!extensions.includes('') && name.startsWith('.')) return false;
  return extensions.some((extension) => name.toLowerCase().endsWith(extension));
}
