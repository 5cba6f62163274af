// The part of the app form every backend shares: name, description, icon, desktop size,
// idle timeout and the gateway that shows the desktop.
import type { AppDisplaySettings } from '../../../src-shared/app-config';
import type { App } from '../../../src-shared/model';
import { wholeReader, type CommonConfig, type FieldErrors, type WholeReader } from './section-form';

export const DEFAULT_DESKTOP_WIDTH = 1280;
export const DEFAULT_DESKTOP_HEIGHT = 800;
export const DEFAULT_GUACD_PORT = 4822;

export interface CommonFormValues {
  name: string;
  description: string;
  /** Comma-separated. */
  tags: string;
  icon: string;
  desktopWidth: string;
  desktopHeight: string;
  /** '' never stops an idle instance. */
  idleTimeoutMinutes: string;
  /** Which gateway shows the desktop. */
  gateway: AppDisplaySettings['gateway'];
  /** gateway 'guacd': '' uses the global guacd (or 127.0.0.1:4822). */
  guacdHost: string;
  /** '' = 4822. */
  guacdPort: string;
  /** The viewer's microphone may reach the desktop (with the microphone setting on). */
  microphone: boolean;
}

export type CommonField = keyof CommonFormValues;

export function emptyCommon(): CommonFormValues {
  return {
    name: '',
    description: '',
    tags: '',
    icon: '',
    desktopWidth: String(DEFAULT_DESKTOP_WIDTH),
    desktopHeight: String(DEFAULT_DESKTOP_HEIGHT),
    idleTimeoutMinutes: '',
    gateway: 'default',
    guacdHost: '',
    guacdPort: '',
    microphone: false,
  };
}

export function commonFromApp(app: App): CommonFormValues {
  return {
    name: app.name,
    description: app.description,
    tags: app.tags.join(', '),
    icon: app.icon ?? '',
    desktopWidth: String(app.desktopWidth),
    desktopHeight: String(app.desktopHeight),
    idleTimeoutMinutes: app.idleTimeoutMinutes === null ? '' : String(app.idleTimeoutMinutes),
    gateway: app.display.gateway,
    guacdHost: app.display.guacd?.host ?? '',
    guacdPort: app.display.guacd ? String(app.display.guacd.port) : '',
    microphone: app.display.microphone,
  };
}

export function commonApplies(values: CommonFormValues, field: CommonField): boolean {
  if (field === 'guacdHost' || field === 'guacdPort') return values.gateway === 'guacd';
  return true;
}

export function buildCommon(values: CommonFormValues): { config: CommonConfig; errors: FieldErrors<CommonFormValues> } {
  const errors: FieldErrors<CommonFormValues> = {};
  const whole = wholeReader(values, errors);
  const desktopWidth = whole('desktopWidth', DEFAULT_DESKTOP_WIDTH, '1280');
  const desktopHeight = whole('desktopHeight', DEFAULT_DESKTOP_HEIGHT, '800');
  const idleTimeoutMinutes = whole('idleTimeoutMinutes', null, '60');
  const icon = values.icon.trim();
  const config: CommonConfig = {
    name: values.name,
    description: values.description,
    tags: tagsOf(values.tags),
    icon: icon === '' ? null : icon,
    desktopWidth: desktopWidth ?? DEFAULT_DESKTOP_WIDTH,
    desktopHeight: desktopHeight ?? DEFAULT_DESKTOP_HEIGHT,
    idleTimeoutMinutes: idleTimeoutMinutes ?? null,
    display: displaySettings(values, whole),
  };
  return { config, errors };
}

/** Tags as typed, comma-separated: trimmed, empty ones and repeats left out. */
export function tagsOf(text: string): string[] {
  return [...new Set(text.split(',').map((tag) => tag.trim()).filter((tag) => tag !== ''))];
}

/** The gateway choice; a guacd address only with gateway 'guacd' and a host typed. */
function displaySettings(values: CommonFormValues, whole: WholeReader<CommonFormValues>): AppDisplaySettings {
  const host = values.guacdHost.trim();
  if (values.gateway !== 'guacd' || host === '') {
    if (values.gateway === 'guacd') whole('guacdPort', DEFAULT_GUACD_PORT, '4822');
    return { gateway: values.gateway, guacd: null, microphone: values.microphone };
  }
  return { gateway: 'guacd', guacd: { host, port: whole('guacdPort', DEFAULT_GUACD_PORT, '4822') ?? DEFAULT_GUACD_PORT }, microphone: values.microphone };
}

const COMMON_PATHS = new Set<PropertyKey>(['name', 'description', 'tags', 'icon', 'desktopWidth', 'desktopHeight', 'idleTimeoutMinutes']);

/** The common field that edits a schema path outside the provider section; 'provider' for the choice itself. */
export function commonFieldOfPath(path: readonly PropertyKey[]): CommonField | 'provider' {
  const [top, second, third] = path;
  if (top === 'display') return third === 'port' ? 'guacdPort' : second === 'guacd' ? 'guacdHost' : second === 'microphone' ? 'microphone' : 'gateway';
  if (top === 'provider') return 'provider';
  if (COMMON_PATHS.has(top as PropertyKey)) return top as CommonField;
  return 'name';
}
