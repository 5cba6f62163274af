// Checks shared by the loopback HTTP listeners (the headless host and the display tunnel):
// a request target parsed without ever throwing, and the Host header a local page sends.
import type { Duplex } from 'node:stream';

export interface RequestTarget {
  pathname: string;
  searchParams: URLSearchParams;
}

/**
 * The path and query of an origin-form request target ("/path?query"), or undefined for
 * anything else. Parsed against a fixed origin by concatenation, never as a relative
 * reference: "//host/x" stays the path "//host/x" instead of naming another host (or
 * throwing "Invalid URL").
 */
export function requestTarget(raw: string | undefined): RequestTarget | undefined {
  if (!raw?.startsWith('/')) return undefined;
  try {
    const url = new URL(`http://target.invalid${raw}`);
    if (url.host !== 'target.invalid') return undefined;
    return { pathname: url.pathname, searchParams: url.searchParams };
  } catch {
    return undefined;
  }
}

/**
 * True for the Host headers a page on this machine sends to our port: 127.0.0.1:PORT and
 * localhost:PORT. Anything else is a DNS-rebinding page or a confused proxy.
 */
export function isLocalHostHeader(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const h = host.toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
}

/** Answers a refused upgrade with a plain HTTP status and closes the socket. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
