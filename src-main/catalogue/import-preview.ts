// What a catalogue import would do, worked out before anything is written: which entries
// add, replace or leave an app as it is, which are refused (built-in and managed apps are
// never altered by an import), and which send display traffic or credentials elsewhere.
import type { AppConfig } from '../../src-shared/app-config';
import type { ImportFlag, ImportPreviewEntry } from '../../src-shared/contract';
import type { App } from '../../src-shared/model';
import { isLoopbackHost } from '../loopback';

const address = (host: string, port: number) => (host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`);

/** The fields of app-config.ts that send the desktop or a password off this machine, or weaken a check. */
export function riskFlags(config: AppConfig): ImportFlag[] {
  const flags: ImportFlag[] = [];
  const guacd = config.display.guacd;
  if (config.display.gateway === 'guacd' && guacd && !isLoopbackHost(guacd.host)) {
    flags.push({ kind: 'remoteGuacd', address: address(guacd.host, guacd.port) });
  }
  if (config.provider === 'proxmox') {
    const display = config.proxmox.display;
    if (display.kind === 'vnc' && !isLoopbackHost(display.host)) flags.push({ kind: 'remoteVnc', address: address(display.host, display.port) });
    if (display.kind === 'rdp' && display.ignoreCert) flags.push({ kind: 'certChecksOff' });
    if (display.kind === 'rdp' && display.security === 'rdp') flags.push({ kind: 'rdpWithoutTls' });
  }
  return flags;
}

/** JSON with sorted keys, so two configs compare by value. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The settings that differ, two levels deep: "name", "docker.image", "display.guacd". */
export function changedFields(before: AppConfig, after: AppConfig): string[] {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  const changes: string[] = [];
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const x = a[key];
    const y = b[key];
    if (isRecord(x) && isRecord(y)) {
      for (const sub of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort()) {
        if (canonical(x[sub]) !== canonical(y[sub])) changes.push(`${key}.${sub}`);
      }
    } else if (canonical(x) !== canonical(y)) changes.push(key);
  }
  return changes;
}

function configOf(app: App): AppConfig {
  const { id: _id, builtIn: _builtIn, managed: _managed, displayPasswordSet: _set, ...config } = app;
  return config as AppConfig;
}

/**
 * One line per entry. `current` is the catalogue as it is; `protectedIds` the built-in and
 * managed ids, deleted ones included (restoring a deleted built-in app would alter it too).
 */
export function planImport(
  entries: readonly { id: string; config: AppConfig }[],
  current: ReadonlyMap<string, App>,
  protectedIds: ReadonlyMap<string, 'builtIn' | 'managed'>,
): ImportPreviewEntry[] {
  return entries.map(({ id, config }, index) => {
    const existing = current.get(id);
    const changes = existing ? changedFields(configOf(existing), config) : [];
    const line = { number: index + 1, id, name: config.name, provider: config.provider, changes, flags: riskFlags(config) };
    const guard = protectedIds.get(id);
    if (guard) {
      // The very same settings alter nothing: an exported catalogue imports again.
      return existing && changes.length === 0 ? { ...line, action: 'unchanged' } : { ...line, action: 'refused', refused: guard };
    }
    if (!existing) return { ...line, action: 'add' };
    if (changes.length === 0) return { ...line, action: 'unchanged' };
    return { ...line, action: 'replace', flags: [{ kind: 'replacesApp', name: existing.name }, ...line.flags] };
  });
}
