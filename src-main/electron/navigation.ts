// Where a page may go: our own pages only. window.open and target=_blank never create a
// window; an https:// link goes to the browser through open-external, anything else is dropped.
import { checkExternalUrl } from './open-external';
import { isTrustedRendererUrl } from './trusted-sender';

export function isAllowedNavigation(url: string, rendererDir: string): boolean {
  return isTrustedRendererUrl(url, rendererDir);
}

/** What to do with window.open(url): never a new Electron window. */
export function windowOpenDecision(url: string): { action: 'deny' } | { action: 'external'; url: string } {
  const checked = checkExternalUrl(url);
  return checked.ok ? { action: 'external', url: checked.url } : { action: 'deny' };
}
