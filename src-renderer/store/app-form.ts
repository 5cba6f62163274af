// The app editor's form: text fields as a person types them, turned into an AppInput
// and checked with the shared schema (the main process checks again).
//
// How the list-like fields are written:
// - command: one argument per line (no quoting rules to learn; blank lines are skipped);
// - environment: one KEY=value per line (the value is everything after the first "=").
import { appInputSchema, type AppConfig } from '../../src-shared/app-config';
import type { App } from '../../src-shared/model';
import { issueMessage } from './zod-messages';

export interface AppFormValues {
  name: string;
  description: string;
  icon: string;
  image: string;
  command: string;
  env: string;
  cpus: string;
  memory: string;
  shmSize: string;
  vncPort: string;
  desktopWidth: string;
  desktopHeight: string;
  homeVolumeName: string;
  homeVolumeMountPath: string;
  /** '' picks the least-loaded endpoint. */
  endpointId: string;
  /** '' never stops an idle instance. */
  idleTimeoutMinutes: string;
}

export type AppField = keyof AppFormValues;

/** Form order: the first field with an error gets focus. */
export const APP_FIELDS: readonly AppField[] = [
  'name',
  'description',
  'icon',
  'image',
  'command',
  'env',
  'cpus',
  'memory',
  'shmSize',
  'vncPort',
  'desktopWidth',
  'desktopHeight',
  'homeVolumeName',
  'homeVolumeMountPath',
  'endpointId',
  'idleTimeoutMinutes',
];

export type AppFormErrors = Partial<Record<AppField, string>>;

export const DEFAULT_VNC_PORT = 5901;
export const DEFAULT_DESKTOP_WIDTH = 1280;
export const DEFAULT_DESKTOP_HEIGHT = 800;

export function emptyAppForm(): AppFormValues {
  return {
    name: '',
    description: '',
    icon: '',
    image: '',
    command: '',
    env: '',
    cpus: '',
    memory: '',
    shmSize: '',
    vncPort: String(DEFAULT_VNC_PORT),
    desktopWidth: String(DEFAULT_DESKTOP_WIDTH),
    desktopHeight: String(DEFAULT_DESKTOP_HEIGHT),
    homeVolumeName: '',
    homeVolumeMountPath: '',
    endpointId: '',
    idleTimeoutMinutes: '',
  };
}

export function formFromApp(app: App): AppFormValues {
  const { docker } = app;
  return {
    name: app.name,
    description: app.description,
    icon: app.icon ?? '',
    image: docker.image,
    command: docker.command.join('\n'),
    env: Object.entries(docker.env)
      .map(([key, value]) => `${key}=${value}`)
      .join('\n'),
    cpus: docker.cpus === null ? '' : String(docker.cpus),
    memory: docker.memory ?? '',
    shmSize: docker.shmSize ?? '',
    vncPort: String(docker.vncPort),
    desktopWidth: String(app.desktopWidth),
    desktopHeight: String(app.desktopHeight),
    homeVolumeName: docker.homeVolume?.name ?? '',
    homeVolumeMountPath: docker.homeVolume?.mountPath ?? '',
    endpointId: docker.endpointId ?? '',
    idleTimeoutMinutes: app.idleTimeoutMinutes === null ? '' : String(app.idleTimeoutMinutes),
  };
}

function lines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** One argument per line; lines holding only spaces are skipped. */
export function parseCommand(text: string): string[] {
  return lines(text).filter((line) => line.trim() !== '');
}

/** KEY=value lines into a record; the first problem is returned as an error. */
export function parseEnv(text: string): { env: Record<string, string> } | { error: string } {
  const env: Record<string, string> = {};
  const seenOn = new Map<string, number>();
  const all = lines(text);
  for (let i = 0; i < all.length; i++) {
    const line = all[i]!;
    if (line.trim() === '') continue;
    const eq = line.indexOf('=');
    if (eq < 0) return { error: `line ${i + 1}: write NAME=value` };
    const key = line.slice(0, eq).trim();
    if (key === '') return { error: `line ${i + 1}: the name before "=" is missing` };
    const first = seenOn.get(key);
    if (first !== undefined) return { error: `${key} is set twice (lines ${first} and ${i + 1})` };
    seenOn.set(key, i + 1);
    env[key] = line.slice(eq + 1);
  }
  return { env };
}

const WHOLE = /^\d+$/;
const DECIMAL = /^(\d+(\.\d*)?|\.\d+)$/;

/**
 * Builds the request from the form. `errors` is empty exactly when `input` passes the
 * shared schema (and is then the schema's output, trimmed); messages are keyed by form field.
 */
export function buildAppInput(values: AppFormValues): { input: AppConfig; errors: AppFormErrors } {
  const errors: AppFormErrors = {};

  const whole = (field: AppField, fallback: number | null, example: string): number | null | undefined => {
    const text = values[field].trim();
    if (text === '') return fallback;
    if (!WHOLE.test(text)) {
      errors[field] = `write a whole number, like ${example}`;
      return undefined;
    }
    return Number(text);
  };

  const cpusText = values.cpus.trim();
  let cpus: number | null = null;
  if (cpusText !== '') {
    if (DECIMAL.test(cpusText)) cpus = Number(cpusText);
    else errors.cpus = 'write a number of CPUs, like 2 or 0.5';
  }

  const parsedEnv = parseEnv(values.env);
  if ('error' in parsedEnv) errors.env = parsedEnv.error;

  const volumeName = values.homeVolumeName.trim();
  const mountPath = values.homeVolumeMountPath.trim();
  if (volumeName && !mountPath) errors.homeVolumeMountPath = 'give the folder to mount the volume on, like /home/desktop';
  if (mountPath && !volumeName) errors.homeVolumeName = 'give the volume a name, or clear the mount path';

  const vncPort = whole('vncPort', DEFAULT_VNC_PORT, '5901');
  const desktopWidth = whole('desktopWidth', DEFAULT_DESKTOP_WIDTH, '1280');
  const desktopHeight = whole('desktopHeight', DEFAULT_DESKTOP_HEIGHT, '800');
  const idleTimeoutMinutes = whole('idleTimeoutMinutes', null, '60');

  const icon = values.icon.trim();
  const memory = values.memory.trim();
  const shmSize = values.shmSize.trim();

  const input: AppConfig = {
    name: values.name,
    description: values.description,
    icon: icon === '' ? null : icon,
    provider: 'docker',
    docker: {
      image: values.image,
      command: parseCommand(values.command),
      env: 'env' in parsedEnv ? parsedEnv.env : {},
      cpus,
      memory: memory === '' ? null : memory,
      shmSize: shmSize === '' ? null : shmSize,
      vncPort: vncPort ?? DEFAULT_VNC_PORT,
      homeVolume: volumeName && mountPath ? { name: volumeName, mountPath } : null,
      endpointId: values.endpointId === '' ? null : values.endpointId,
    },
    desktopWidth: desktopWidth ?? DEFAULT_DESKTOP_WIDTH,
    desktopHeight: desktopHeight ?? DEFAULT_DESKTOP_HEIGHT,
    idleTimeoutMinutes: idleTimeoutMinutes ?? null,
  };

  const parsed = appInputSchema.safeParse(input);
  if (parsed.success) return { input: parsed.data, errors };
  for (const issue of parsed.error.issues) {
    const field = fieldOfPath(issue.path);
    // A field the form could not read keeps its own message.
    if (errors[field] === undefined) errors[field] = issueMessage(issue);
  }
  return { input, errors };
}

const DOCKER_FIELDS: Record<string, AppField> = {
  image: 'image',
  command: 'command',
  env: 'env',
  cpus: 'cpus',
  memory: 'memory',
  shmSize: 'shmSize',
  vncPort: 'vncPort',
  endpointId: 'endpointId',
};

/** Where in the form a schema path is edited. */
export function fieldOfPath(path: readonly PropertyKey[]): AppField {
  const [top, second, third] = path;
  if (top === 'docker') {
    if (second === 'homeVolume') return third === 'mountPath' ? 'homeVolumeMountPath' : 'homeVolumeName';
    if (typeof second === 'string' && DOCKER_FIELDS[second]) return DOCKER_FIELDS[second];
    return 'image';
  }
  if (typeof top === 'string' && (APP_FIELDS as readonly string[]).includes(top)) return top as AppField;
  return 'name';
}

export function firstErrorField(errors: AppFormErrors): AppField | undefined {
  return APP_FIELDS.find((field) => errors[field] !== undefined);
}
