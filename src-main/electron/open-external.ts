// The one way the app opens something outside itself: an https:// address in the
// user's browser. Everything else (file:, javascript:, smb:, custom schemes that launch
// other programs) is refused, so no page, link or message can launch a program.
import { hasControlCharacters } from './untrusted-text';

export type Opener = (url: string) => Promise<void>;

const MAX_LENGTH = 2048;

/** The URL to open, normalised, or a reason to refuse. */
export function checkExternalUrl(input: unknown): { ok: true; url: string } | { ok: false; reason: string } {
  if (typeof input !== 'string') return { ok: false, reason: 'not a string' };
  if (input.length > MAX_LENGTH) return { ok: false, reason: 'too long' };
  if (hasControlCharacters(input, { orWhitespace: true })) return { ok: false, reason: 'contains spaces or control characters' };
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: `only https:// links are opened, not ${url.protocol}` };
  if (url.username || url.password) return { ok: false, reason: 'carries credentials' };
  if (!url.hostname) return { ok: false, reason: 'has no host' };
  return { ok: true, url: url.toString() };
}

/** Opens `input` with `opener` (Electron's shell.openExternal) if it is safe; says whether it did. */
export async function openExternal(input: unknown, opener: Opener, log: (message: string) => void = console.warn): Promise<boolean> {
  const checked = checkExternalUrl(input);
  if (!checked.ok) {
    log(`refused to open an external link: ${checked.reason}`);
    return false;
  }
  await opener(checked.url);
  return true;
}
