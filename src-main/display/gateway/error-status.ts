// Maps upstream (VNC) failures to what guacd would tell the client.
import { RfbAuthError, RfbClosedError, RfbProtocolError } from '../../rfb/errors';
import { RfbTimeoutError } from '../../rfb/rfb-client';
import { GuacStatus, GuacStatusCode, GuacStatusError } from './status';

export interface ClientFacingError {
  message: string;
  status: GuacStatusCode;
}

const NOT_FOUND_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EADDRNOTAVAIL']);

/**
 * Which status codes clients get: `detailed` (the app's viewer: a refused VNC password is
 * CLIENT_UNAUTHORIZED, too many attempts CLIENT_FORBIDDEN), or `guacd` (the standalone drop-in:
 * guacd 1.6.0 reports every failure to establish the VNC session, a refused password included,
 * as UPSTREAM_NOT_FOUND, and Guacamole's web application acts on that code).
 */
export type StatusCodes = 'detailed' | 'guacd';

export function toClientError(err: unknown, codes: StatusCodes = 'detailed'): ClientFacingError {
  if (err instanceof GuacStatusError) return { message: err.message, status: err.status };
  if (err instanceof RfbAuthError) {
    if (codes === 'guacd') return { message: err.message, status: GuacStatus.UPSTREAM_NOT_FOUND };
    return {
      message: err.message,
      status: err.tooManyAttempts ? GuacStatus.CLIENT_FORBIDDEN : GuacStatus.CLIENT_UNAUTHORIZED,
    };
  }
  if (err instanceof RfbTimeoutError) return { message: err.message, status: GuacStatus.UPSTREAM_TIMEOUT };
  if (err instanceof RfbClosedError) return { message: err.message, status: GuacStatus.UPSTREAM_ERROR };
  if (err instanceof RfbProtocolError) return { message: `VNC protocol error: ${err.message}`, status: GuacStatus.UPSTREAM_ERROR };
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code && NOT_FOUND_CODES.has(code)) return { message: `VNC server unreachable (${code})`, status: GuacStatus.UPSTREAM_NOT_FOUND };
  if (code === 'ETIMEDOUT') return { message: 'VNC server timed out', status: GuacStatus.UPSTREAM_TIMEOUT };
  if (code === 'ECONNRESET' || code === 'EPIPE') return { message: 'VNC server reset the connection', status: GuacStatus.UPSTREAM_ERROR };
  return { message: 'Internal gateway error', status: GuacStatus.SERVER_ERROR };
}
