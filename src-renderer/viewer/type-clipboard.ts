// "Type clipboard": the local clipboard's text sent as key presses, for screens no clipboard
// reaches (BIOS, installers, login screens). Each character becomes its X11 keysym: Latin-1
// characters are their own keysym, a few others have a legacy one (€), and everything else
// is 0x01000000 + its code point, which X servers (Xvnc, QEMU) map to a key themselves,
// Shift or AltGr included. Keys are paced: the far side takes them in order, but a desktop
// that has to remap a key for an unusual character (TigerVNC does) needs a moment per key.

/** Keysyms of characters outside Latin-1 that predate the Unicode keysyms. */
const LEGACY_KEYSYMS: ReadonlyMap<number, number> = new Map([[0x20ac, 0x20ac]]); // EuroSign

const RETURN = 0xff0d;
const TAB = 0xff09;

/** One keysym per character; line ends (LF, CRLF, CR) become Return. */
export function keysymsOf(text: string): number[] {
  const out: number[] = [];
  const chars = [...text.replace(/\r\n?/g, '\n')];
  for (const ch of chars) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\n') out.push(RETURN);
    else if (ch === '\t') out.push(TAB);
    else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) continue; // other control characters have no key
    else if (cp <= 0xff) out.push(cp);
    else out.push(LEGACY_KEYSYMS.get(cp) ?? 0x01000000 + cp);
  }
  return out;
}

/** Pause after each key: ASCII is on every layout; other characters may need a key remapped first. */
export function pauseAfter(keysym: number): number {
  return keysym < 0x80 || keysym === RETURN || keysym === TAB ? 8 : 40;
}

/** Longest text typed (a minute or two of keys): a bigger clipboard is a mistake, not a password. */
export const MAX_TYPED_CHARACTERS = 10_000;

export interface KeyTarget {
  /** Presses and releases one key. */
  sendKeys(keysyms: readonly number[]): void;
}

/** Types `text` key by key; stops early (false) when `cancelled` says so. */
export async function typeText(target: KeyTarget, text: string, cancelled: () => boolean = () => false): Promise<boolean> {
  for (const keysym of keysymsOf(text)) {
    if (cancelled()) return false;
    target.sendKeys([keysym]);
    await new Promise((resolve) => setTimeout(resolve, pauseAfter(keysym)));
  }
  return true;
}
