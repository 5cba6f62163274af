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
  // Our pages are local files: a host (file://evil.example/…, a UNC share on Windows) is
  // never ours, and fileURLToPath throws on what it cannot map: both are untrusted.
  if (url.protocol !== 'file:' || url.host !== '') return false;
  let file: string;
  try {
    file = path.resolve(fileURLToPath(url));
  } catch {
    return false;
  }
  const root = path.resolve(rendererDir);
  return file.startsWith(root + path.sep);
}

export interface IpcSender {
  /** The sending frame's URL (event.senderFrame.url). */
  frameUrl: string | undefined;
  /** Whether the sending frame is its page's main frame (not an iframe). */
  isMainFrame: boolean;
  /** What kind of window of ours sent it ('unknown': not one of our windows). */
  windowKind: 'catalogue' | 'viewer' | 'unknown';
}

/** Every IPC request passes this: our own page, in the main frame of one of our windows. */
export function isTrustedIpcSender(sender: IpcSender, rendererDir: string): boolean {
  return sender.windowKind !== 'unknown' && sender.isMainFrame && isTrustedRendererUrl(sender.frameUrl, rendererDir);
}
