// Guacamole status codes in plain words, with what the user can do.
import { t } from '../i18n/i18n';

export interface Explanation {
  title: string;
  detail: string;
  action: string;
  /** Restarting the instance may help (its desktop hangs). */
  offerRestart?: boolean;
}

export function explainStatus(code: number): Explanation {
  const reconnect = t('viewer.clickReconnect');
  switch (code) {
    case 0x0301: // CLIENT_UNAUTHORIZED
    case 0x0303: // CLIENT_FORBIDDEN
      return {
        title: t('status.authTitle'),
        detail: t('status.authDetail'),
        action: `${t('status.authAction')} ${reconnect}`,
      };
    case 0x0202: // UPSTREAM_TIMEOUT: the VNC server stopped answering (or never did)
      return {
        title: t('status.notRespondingTitle'),
        detail: t('status.notRespondingDetail'),
        action: `${t('status.notRespondingAction')} ${reconnect}`,
        offerRestart: true,
      };
    case 0x0203: // UPSTREAM_ERROR
    case 0x0207: // UPSTREAM_NOT_FOUND
    case 0x0208: // UPSTREAM_UNAVAILABLE
      return {
        title: t('status.unreachableTitle'),
        detail: t('status.unreachableDetail'),
        action: `${t('status.unreachableAction')} ${reconnect}`,
      };
    case 0x0209: // SESSION_CONFLICT
      return { title: t('status.takenOverTitle'), detail: t('status.takenOverDetail'), action: reconnect };
    case 0x020a: // SESSION_TIMEOUT
    case 0x0308: // CLIENT_TIMEOUT
      return { title: t('status.timeoutTitle'), detail: t('status.timeoutDetail'), action: reconnect };
    case 0x020b: // SESSION_CLOSED
    case 0x0206: // RESOURCE_CLOSED
      return { title: t('status.closedTitle'), detail: t('status.closedDetail'), action: reconnect };
    case 0x0204: // RESOURCE_NOT_FOUND
      return { title: t('status.notFoundTitle'), detail: t('status.notFoundDetail'), action: t('status.notFoundAction') };
    case 0x0201: // SERVER_BUSY
    case 0x031d: // CLIENT_TOO_MANY
      return {
        title: t('status.busyTitle'),
        detail: t('status.busyDetail'),
        action: `${t('status.busyAction')} ${reconnect}`,
      };
    case 0x0100: // UNSUPPORTED
      return { title: t('status.unsupportedTitle'), detail: t('status.unsupportedDetail'), action: t('status.unsupportedAction') };
    case 0x0300: // CLIENT_BAD_REQUEST
    case 0x030d: // CLIENT_OVERRUN
    case 0x030f: // CLIENT_BAD_TYPE
      return { title: t('status.refusedTitle'), detail: t('status.refusedDetail'), action: reconnect };
    default: // SERVER_ERROR and anything unknown
      return {
        title: t('status.errorTitle'),
        detail: t('status.errorDetail'),
        action: `${reconnect} ${t('status.errorAction')}`,
      };
  }
}

export function formatCode(code: number): string {
  return `0x${code.toString(16).padStart(4, '0').toUpperCase()}`;
}
