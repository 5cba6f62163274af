// Guacamole status codes in plain words, with what the user can do.

export interface Explanation {
  title: string;
  detail: string;
  action: string;
}

const RECONNECT = 'Click Reconnect to try again.';

export function explainStatus(code: number): Explanation {
  switch (code) {
    case 0x0301: // CLIENT_UNAUTHORIZED
    case 0x0303: // CLIENT_FORBIDDEN
      return {
        title: 'Authentication failed',
        detail: 'The desktop did not accept this window’s access ticket.',
        action: `Tickets are single-use and expire after 30 seconds. ${RECONNECT}`,
      };
    case 0x0202: // UPSTREAM_TIMEOUT
    case 0x0203: // UPSTREAM_ERROR
    case 0x0207: // UPSTREAM_NOT_FOUND
    case 0x0208: // UPSTREAM_UNAVAILABLE
      return {
        title: 'Desktop unreachable',
        detail: 'The desktop did not answer.',
        action: `Check in DaaS Desktop that the instance is still running. ${RECONNECT}`,
      };
    case 0x0209: // SESSION_CONFLICT
      return {
        title: 'Taken over',
        detail: 'Another session took over this desktop.',
        action: RECONNECT,
      };
    case 0x020a: // SESSION_TIMEOUT
    case 0x0308: // CLIENT_TIMEOUT
      return {
        title: 'Connection timed out',
        detail: 'The desktop connection went quiet for too long.',
        action: RECONNECT,
      };
    case 0x020b: // SESSION_CLOSED
    case 0x0206: // RESOURCE_CLOSED
      return {
        title: 'Session closed',
        detail: 'The desktop session was closed.',
        action: RECONNECT,
      };
    case 0x0204: // RESOURCE_NOT_FOUND
      return {
        title: 'Desktop not found',
        detail: 'This desktop no longer exists.',
        action: 'Start a new instance from the DaaS Desktop window.',
      };
    case 0x0201: // SERVER_BUSY
    case 0x031d: // CLIENT_TOO_MANY
      return {
        title: 'Too busy',
        detail: 'The display service is handling too many connections.',
        action: `Close other desktop windows. ${RECONNECT}`,
      };
    case 0x0100: // UNSUPPORTED
      return {
        title: 'Not supported',
        detail: 'The display service does not support what this window asked for.',
        action: 'Update DaaS Desktop.',
      };
    case 0x0300: // CLIENT_BAD_REQUEST
    case 0x030d: // CLIENT_OVERRUN
    case 0x030f: // CLIENT_BAD_TYPE
      return {
        title: 'Connection refused',
        detail: 'The display service rejected this window’s request.',
        action: RECONNECT,
      };
    default: // SERVER_ERROR and anything unknown
      return {
        title: 'Display error',
        detail: 'The display service failed.',
        action: `${RECONNECT} If it keeps happening, report it with the application log.`,
      };
  }
}

export function formatCode(code: number): string {
  return `0x${code.toString(16).padStart(4, '0').toUpperCase()}`;
}
