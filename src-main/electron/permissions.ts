// Which web permissions a window gets: none, except the clipboard for viewer windows
// (paste into and copy out of a remote desktop) and the microphone for viewer windows of apps
// that allow it, and only as far as the policy allows.
import { isTrustedRendererUrl } from './trusted-sender';

export type WindowKind = 'catalogue' | 'viewer' | 'unknown';

export interface ClipboardPolicy {
  /** Reading this computer's clipboard to paste into a desktop. */
  clipboardToDesktop: boolean;
  /** Writing to this computer's clipboard what was copied in a desktop. */
  clipboardFromDesktop: boolean;
  /** Policy microphone: this computer's microphone into desktops (of apps that allow it). */
  microphone?: boolean;
}

export interface PermissionRequest {
  /** Electron's permission name (e.g. 'clipboard-read', 'media', 'notifications'). */
  permission: string;
  windowKind: WindowKind;
  /** The requesting frame's URL. */
  requestingUrl: string | undefined;
  /** A 'media' request's kinds ('audio', 'video'): only the microphone alone can be granted. */
  mediaTypes?: readonly string[];
  /** The viewer's app allows the microphone (its option "Allow the microphone"). */
  appAllowsMicrophone?: boolean;
}

export function isPermissionAllowed(request: PermissionRequest, rendererDir: string, clipboard: ClipboardPolicy): boolean {
  if (request.windowKind !== 'viewer') return false;
  if (!isTrustedRendererUrl(request.requestingUrl, rendererDir)) return false;
  switch (request.permission) {
    case 'clipboard-read':
      return clipboard.clipboardToDesktop;
    case 'clipboard-sanitized-write':
      return clipboard.clipboardFromDesktop;
    case 'media':
      return (
        clipboard.microphone === true &&
        request.appAllowsMicrophone === true &&
        (request.mediaTypes?.length ?? 0) > 0 &&
        request.mediaTypes!.every((type) => type === 'audio')
      );
    default:
      return false;
  }
}
