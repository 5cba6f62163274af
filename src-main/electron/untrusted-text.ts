// Checks on text from outside (links, file names) shared by the deep-link, download and
// open-external guards.

/** C0 controls, DEL, and (optionally) any whitespace. */
export function hasControlCharacters(text: string, { orWhitespace = false } = {}): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return orWhitespace && /\s/.test(text);
}
