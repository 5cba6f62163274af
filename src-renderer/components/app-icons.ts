// Which icon an app shows. Named icons are our own SVGs (AppIcon.tsx draws them), so they
// show on a computer without an emoji font; anything else in the icon field is text the
// user chose (an emoji, a letter).
import type { App } from '../../src-shared/model';

/** 24×24 outlines drawn with currentColor. */
export const PATHS = {
  desktop: 'M3 4h18v12H3z M8 20h8 M12 16v4',
  linux:
    'M12 3c-2.5 0-4 2-4 5v3c-1.5 2-3 4-3 6.5C5 19.5 7 21 9 21h6c2 0 4-1.5 4-3.5 0-2.5-1.5-4.5-3-6.5V8c0-3-1.5-5-4-5z M10 8h.01 M14 8h.01 M10.5 11h3l-1.5 1.5z',
  vm: 'M4 4h16v6H4z M4 14h16v6H4z M7.5 7h.01 M7.5 17h.01 M11 7h6 M11 17h6',
  terminal: 'M3 4h18v16H3z M7 9l3 3-3 3 M12 15h5',
  browser: 'M3 4h18v16H3z M3 8h18 M6 6h.01 M8.5 6h.01',
  /** A sheet with a pencil across it. */
  editor: 'M5 3h9l5 5v5 M14 3v5h5 M5 3v18h6 M8 12h6 M8 16h3 M13 21l1-3 6-6 2 2-6 6z',
  /** A document, a table and a chart bar: the office suite. */
  office: 'M4 3h16v18H4z M8 8h8 M8 12h8 M8 16h4 M16 16v-2',
} as const;

export type IconName = keyof typeof PATHS;
export const ICON_NAMES = Object.keys(PATHS) as IconName[];

const isIconName = (value: string): value is IconName => Object.hasOwn(PATHS, value);
/** Emoji that earlier catalogues (ours included) stored, drawn as our SVG instead. */
const EMOJI: Record<string, IconName> = { '🐧': 'linux', '🖥️': 'desktop', '🖥': 'desktop', '💻': 'desktop' };

/** What the card shows: a named icon, the user's text, or the backend's icon when the field is empty. */
export function iconOf(app: Pick<App, 'icon' | 'provider'>): { svg: IconName } | { text: string } {
  const icon = app.icon?.trim() ?? '';
  if (isIconName(icon)) return { svg: icon };
  if (Object.hasOwn(EMOJI, icon)) return { svg: EMOJI[icon]! };
  if (icon) return { text: icon };
  return { svg: app.provider === 'proxmox' ? 'vm' : 'desktop' };
}
