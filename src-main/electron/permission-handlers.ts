// The session's permission request and check handlers, Electron-free so their wiring is tested
// under plain Node: which window asks (the window registry), what the policy says now, and,
// for the microphone, whether the viewer's app allows it (looked up per request).
import { isPermissionAllowed, type ClipboardPolicy, type WindowKind } from './permissions';

export interface PermissionHandlerDeps {
  rendererDir: string;
  kindOf(contentsId: number | undefined): WindowKind;
  instanceOf(contentsId: number): string | undefined;
  /** The settings as they are now (policy included): read at every request. */
  policy(): ClipboardPolicy;
  /** The app of the instance allows the microphone (its display option). */
  allowsMicrophone(instanceId: string): Promise<boolean>;
}

/** What Electron's request handler hands over, reduced to what the decision needs. */
export interface RequestDetails {
  requestingUrl?: string;
  mediaTypes?: readonly string[];
}

export interface PermissionHandlers {
  request(contentsId: number | undefined, permission: string, callback: (granted: boolean) => void, details: RequestDetails): void;
  check(contentsId: number | undefined, permission: string, requestingUrl: string | undefined): boolean;
}

export function permissionHandlers(deps: PermissionHandlerDeps): PermissionHandlers {
  const micOf = async (contentsId: number | undefined): Promise<boolean> => {
    const instanceId = contentsId === undefined ? undefined : deps.instanceOf(contentsId);
    return instanceId ? deps.allowsMicrophone(instanceId).catch(() => false) : false;
  };
  return {
    request(contentsId, permission, callback, details) {
      const ask = (appAllowsMicrophone: boolean) =>
        isPermissionAllowed(
          { permission, windowKind: deps.kindOf(contentsId), requestingUrl: details.requestingUrl, mediaTypes: details.mediaTypes, appAllowsMicrophone },
          deps.rendererDir,
          deps.policy(),
        );
      if (permission !== 'media') return callback(ask(false));
      // The policy is read after the lookup: a change while it ran counts.
      void micOf(contentsId).then((allowed) => callback(ask(allowed)));
    },
    // Checks are synchronous and the app lookup is not: media is settled by the request above
    // (getUserMedia asks there), so a check never grants it.
    check(contentsId, permission, requestingUrl) {
      return permission !== 'media' && isPermissionAllowed({ permission, windowKind: deps.kindOf(contentsId), requestingUrl }, deps.rendererDir, deps.policy());
    },
  };
}
