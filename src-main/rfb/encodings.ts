// RFB encoding numbers (rfbproto "Encodings"); pseudo-encodings are negative.

export const Encoding = {
  Raw: 0,
  CopyRect: 1,
  Hextile: 5,
  ZRLE: 16,
  Cursor: -239,
  DesktopSize: -223,
  LastRect: -224,
  ExtendedDesktopSize: -308,
  /** 0xC0A1E5CE: UTF-8 clipboard of any size, see extended-clipboard. */
  ExtendedClipboard: -1063131698,
} as const;

export type EncodingNumber = (typeof Encoding)[keyof typeof Encoding];

/**
 * The CompressLevel (-256 + level) and QualityLevel (-32 + level) pseudo-encodings, level 0-9:
 * how hard the server compresses (ZRLE, Tight) and the JPEG quality it uses (Tight).
 */
export function levelEncoding(kind: 'compress' | 'quality', level: number): number {
  return (kind === 'compress' ? -256 : -32) + level;
}

/** guacd's `encodings` parameter names (space-separated) for the ones we decode. */
export const ENCODING_NAMES: Readonly<Record<string, number>> = {
  raw: Encoding.Raw,
  copyrect: Encoding.CopyRect,
  hextile: Encoding.Hextile,
  zrle: Encoding.ZRLE,
};

/** Default preference for a VNC server across a network: ZRLE keeps the link's bytes low. */
export const DEFAULT_ENCODINGS: readonly number[] = [Encoding.CopyRect, Encoding.ZRLE, Encoding.Hextile, Encoding.Raw];

/** DEFAULT_ENCODINGS by guacd's names: the `encodings` parameter of a server across a network behind a loopback address. */
export const NETWORK_ENCODING_NAMES = DEFAULT_ENCODINGS.map((n) => Object.keys(ENCODING_NAMES).find((name) => ENCODING_NAMES[name] === n)).join(' ');

/**
 * Default preference for a VNC server on this machine (loopback: a container's published
 * port). Raw costs nothing to encode or decode and loopback bandwidth is free: Xtigervnc's
 * first full 1024x768 update starts arriving after ~5-10 ms instead of ~30-40 ms (the time
 * it takes to ZRLE- or Hextile-encode the screen), and neither side inflates anything.
 * Raw only (with CopyRect): Xtigervnc uses Raw as the preferred encoding for solid areas
 * alone and picks ZRLE for everything else whenever the client lists it, so listing ZRLE
 * after Raw made a scrolling full-screen xterm cost the gateway a zlib inflate per rect
 * (~100 rects an update; 38 % of the gateway's CPU under that load).
 */
export const LOOPBACK_ENCODINGS: readonly number[] = [Encoding.CopyRect, Encoding.Raw];

/** Pseudo-encodings we always announce (Cursor only when the cursor is drawn locally). */
export const PSEUDO_ENCODINGS: readonly number[] = [
  Encoding.ExtendedDesktopSize,
  Encoding.DesktopSize,
  Encoding.LastRect,
  Encoding.ExtendedClipboard,
];

/**
 * Parses guacd's `encodings` setting ("zrle ultra copyrect hextile zlib corre rre raw"): names we
 * do not decode are skipped, as libvncclient skips unknown names. Empty or nothing usable -> the
 * default for a VNC server on this machine (`local`) or another.
 */
export function parseEncodings(list: string | undefined, local = false): number[] {
  const chosen: number[] = [];
  for (const name of (list ?? '').toLowerCase().split(/[\s,]+/)) {
    // Own keys only: `constructor` and friends are inherited, not encodings.
    const n = Object.hasOwn(ENCODING_NAMES, name) ? ENCODING_NAMES[name] : undefined;
    if (n !== undefined && !chosen.includes(n)) chosen.push(n);
  }
  if (chosen.length > 0) return chosen;
  return [...(local ? LOOPBACK_ENCODINGS : DEFAULT_ENCODINGS)];
}

/** The SetEncodings list: preferred encodings, then pseudo-encodings. */
export function encodingList(preferred: readonly number[], options: { cursor: boolean }): number[] {
  const list = [...preferred];
  // CopyRect is nearly free for both sides; any server that knows it may use it.
  if (!list.includes(Encoding.CopyRect)) list.push(Encoding.CopyRect);
  // Raw is always allowed by the protocol; listing it is harmless.
  if (!list.includes(Encoding.Raw)) list.push(Encoding.Raw);
  list.push(...PSEUDO_ENCODINGS);
  if (options.cursor) list.push(Encoding.Cursor);
  return list;
}
