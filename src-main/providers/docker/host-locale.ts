// The user's time zone and keyboard layout, handed to desktop containers (TZ, XKB_LAYOUT)
// so clocks and keys in the remote application match the computer in front of the user.
import fs from 'node:fs/promises';

export interface HostLocale {
  /** An IANA zone like "Europe/Berlin"; null when the host does not say. */
  timeZone: string | null;
  /** An XKB layout like "de" (the first of a list); null when unknown. */
  keyboardLayout: string | null;
  keyboardVariant: string | null;
}

const XKB_NAME = /^[A-Za-z0-9_-]{1,32}$/;
const ZONE_NAME = /^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/;

/** `XKBLAYOUT="de,us"` lines of /etc/default/keyboard (Debian, Ubuntu, Fedora's localectl writes it too). */
export function parseKeyboardFile(text: string): { layout: string | null; variant: string | null } {
  const value = (key: string) => {
    const match = new RegExp(`^\\s*${key}\\s*=\\s*"?([^"\\n]*)"?`, 'm').exec(text);
    const first = match?.[1]?.split(',')[0]?.trim() ?? '';
    return XKB_NAME.test(first) ? first : null;
  };
  return { layout: value('XKBLAYOUT'), variant: value('XKBVARIANT') };
}

async function readHostLocale(): Promise<HostLocale> {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const timeZone = zone && ZONE_NAME.test(zone) ? zone : null;
  const fromEnv = process.env.XKB_DEFAULT_LAYOUT?.split(',')[0]?.trim();
  if (fromEnv && XKB_NAME.test(fromEnv)) {
    const variant = process.env.XKB_DEFAULT_VARIANT?.split(',')[0]?.trim() ?? '';
    return { timeZone, keyboardLayout: fromEnv, keyboardVariant: XKB_NAME.test(variant) ? variant : null };
  }
  // Other systems have no such file: the image's default layout stays.
  const text = await fs.readFile('/etc/default/keyboard', 'utf8').catch(() => '');
  const { layout, variant } = parseKeyboardFile(text);
  return { timeZone, keyboardLayout: layout, keyboardVariant: variant };
}

let cached: Promise<HostLocale> | undefined;

/** Read once per process: neither changes while the app runs often enough to matter. */
export function hostLocale(): Promise<HostLocale> {
  cached ??= readHostLocale();
  return cached;
}

/** The container environment for it; a variable the app sets itself wins. */
export function localeEnv(locale: HostLocale, appEnv: Record<string, string>): string[] {
  const env: string[] = [];
  const add = (key: string, value: string | null) => {
    if (value && !Object.hasOwn(appEnv, key)) env.push(`${key}=${value}`);
  };
  add('TZ', locale.timeZone);
  add('XKB_LAYOUT', locale.keyboardLayout);
  if (!Object.hasOwn(appEnv, 'XKB_LAYOUT')) add('XKB_VARIANT', locale.keyboardVariant);
  return env;
}
