// One rule for Docker endpoint addresses, checked wherever an endpoint is saved (service,
// store, policy) and again where it is dialled: a tcp:// engine without TLS is
// reachable only on this computer's loopback, because anyone on the path could otherwise
// drive the engine and read the desktops' VNC passwords.
import { DaasError } from './errors';
import { errorText } from './error-texts';

export const DOCKER_URL_PATTERN = /^(unix:\/\/\/.+|tcp:\/\/[^/\s]+:\d+|ssh:\/\/[^/\s]+)$/;
export const DOCKER_URL_MESSAGE = 'use unix:///path, tcp://host:port or ssh://user@host';
export const PLAIN_TCP_MESSAGE = 'without TLS, tcp:// reaches only this computer (127.0.0.1, ::1 or localhost): add TLS files or use ssh://';

/**
 * 127.0.0.0/8 in dotted decimal, ::1, or localhost (which is dialled as 127.0.0.1, so no
 * name service can send it elsewhere). Anything else, other spellings included, is not.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  const quad = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return quad !== null && quad.slice(1).every((part) => Number(part) <= 255);
}

/** The address to dial for a tcp:// host: localhost is 127.0.0.1; IPv6 without brackets. */
export function dialHost(hostname: string): string {
  if (hostname.toLowerCase() === 'localhost') return '127.0.0.1';
  return hostname.replace(/^\[(.*)\]$/, '$1');
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

/** True when `url` is tcp:// without TLS to anything but loopback: such an endpoint is refused. */
export function isRefusedPlainTcp(url: string, hasTls: boolean): boolean {
  if (hasTls || !url.startsWith('tcp://')) return false;
  const host = hostOf(url);
  return host === null || !isLoopbackHost(host);
}

/** Throws the user's error for a refused plain tcp:// endpoint (see isRefusedPlainTcp). */
export function refusePlainTcp(url: string, hasTls: boolean): void {
  if (isRefusedPlainTcp(url, hasTls)) throw new DaasError('INVALID_REQUEST', errorText('error.endpoint.noTls', { url }), errorText('fix.endpoint.addTls'));
}
