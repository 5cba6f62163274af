// daas-desktop:// links: `daas-desktop://start/<appId>` and `daas-desktop://open/<instanceId>`.
// A link can come from any web page or document, so it is parsed strictly: exactly one
// action and one id, nothing else; everything else is refused.
import { hasControlCharacters } from './untrusted-text';

export const DEEP_LINK_SCHEME = 'daas-desktop';

export type DeepLink = { action: 'start'; appId: string } | { action: 'open'; instanceId: string };
export type DeepLinkParse = { ok: true; link: DeepLink } | { ok: false; reason: string };

const MAX_LENGTH = 200;
// The same rule the contract applies to ids.
const ID = /^[A-Za-z0-9_-]{1,100}$/;

export function parseDeepLink(input: unknown): DeepLinkParse {
  const refuse = (reason: string): DeepLinkParse => ({ ok: false, reason });
  if (typeof input !== 'string') return refuse('not a string');
  if (input.length > MAX_LENGTH) return refuse('too long');
  // No whitespace, control characters, backslashes or percent-escapes: ids never need them,
  // and each is a classic way to make two parsers disagree.
  if (hasControlCharacters(input, { orWhitespace: true }) || /[\\%]/.test(input)) return refuse('contains characters links never need');
  const prefix = `${DEEP_LINK_SCHEME}://`;
  if (input.slice(0, prefix.length).toLowerCase() !== prefix) return refuse(`not a ${prefix} link`);
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return refuse('malformed');
  }
  if (url.protocol !== `${DEEP_LINK_SCHEME}:`) return refuse(`not a ${prefix} link`);
  if (url.username || url.password || url.port) return refuse('has credentials or a port');
  if (url.search || url.hash || input.includes('?') || input.includes('#')) return refuse('has a query or fragment');
  // daas-desktop://start/<id>: the action is the URL's host, the id its only path segment.
  const action = url.hostname.toLowerCase();
  const segments = url.pathname.split('/');
  if (segments.length !== 2 || segments[0] !== '') return refuse('must be daas-desktop://start/<app> or daas-desktop://open/<instance>');
  const id = segments[1]!;
  if (!ID.test(id)) return refuse('the id has characters ids never have');
  // The URL parser resolves "." and ".." segments; the link must already be in its plain form.
  if (input.slice(prefix.length).toLowerCase() !== `${action}/${id.toLowerCase()}`) return refuse('is not in its plain form');
  if (action === 'start') return { ok: true, link: { action: 'start', appId: id } };
  if (action === 'open') return { ok: true, link: { action: 'open', instanceId: id } };
  return refuse(`unknown action "${action.slice(0, 20)}"`);
}

/**
 * The link in a command line (Windows and Linux pass it as an argument; macOS uses the
 * open-url event). Only the last argument counts, and only if it is a link, so a link
 * can never smuggle a Chromium switch in front of it.
 */
export function deepLinkFromArgv(argv: readonly string[]): string | undefined {
  const last = argv.at(-1);
  return last !== undefined && last.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`) ? last : undefined;
}
