// The app editor's form: text fields as a person types them, turned into an AppInput
// and checked with the shared schema (the main process checks again).
//
// How the list-like fields are written:
// - command: one argument per line (no quoting rules to learn; blank lines are skipped);
// - environment: one KEY=value per line (the value is everything after the first "=").
import {
  appInputSchema,
  type AppConfig,
  type AppDisplaySettings,
  type DockerAppConfig,
  type ProxmoxAppSettings,
  type ProxmoxDisplaySettings,
  RDP_SECURITY,
} from '../../src-shared/app-config';
import type { App } from '../../src-shared/model';
import { t } from '../i18n/i18n';
import { issueMessage } from './zod-messages';

/** What an app runs as: a container, or a Proxmox VE virtual machine. */
export type AppProvider = AppConfig['provider'];

export interface AppFormValues {
  provider: AppProvider;
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
  /** The Proxmox endpoint (Settings); '' until one is picked. */
  proxmoxEndpointId: string;
  proxmoxMode: ProxmoxAppSettings['mode'];
  proxmoxTemplateVmid: string;
  proxmoxVmid: string;
  /** '' the template's node, 'least-loaded', or a node name. */
  proxmoxNode: string;
  proxmoxFull: boolean;
  proxmoxNamePattern: string;
  proxmoxPool: string;
  proxmoxOnStop: ProxmoxAppSettings['onStop'];
  /** How the VM's screen is reached: Proxmox's console, direct VNC, or RDP through guacd. */
  proxmoxDisplayKind: ProxmoxDisplaySettings['kind'];
  proxmoxVncHost: string;
  proxmoxVncPort: string;
  /** '' = 3389. */
  proxmoxRdpPort: string;
  proxmoxRdpUsername: string;
  proxmoxRdpDomain: string;
  proxmoxRdpSecurity: (typeof RDP_SECURITY)[number];
  proxmoxRdpIgnoreCert: boolean;
  /** Write-only: '' keeps the stored password (the form never sees it). */
  proxmoxDisplayPassword: string;
  /** Remove the stored password. */
  proxmoxClearPassword: boolean;
  /** Which gateway shows the desktop. */
  gateway: AppDisplaySettings['gateway'];
  /** gateway 'guacd': '' uses the global guacd (or 127.0.0.1:4822). */
  guacdHost: string;
  /** '' = 4822. */
  guacdPort: string;
}

export type AppField = keyof AppFormValues;
/** The fields a person types into. */
export type AppTextField = { [K in AppField]: AppFormValues[K] extends string ? (string extends AppFormValues[K] ? K : never) : never }[AppField];

/** Form order: the first field with an error gets focus. */
export const APP_FIELDS: readonly AppField[] = [
  'name',
  'description',
  'icon',
  'provider',
  'image',
  'command',
  'env',
  'cpus',
  'memory',
  'shmSize',
  'proxmoxEndpointId',
  'proxmoxMode',
  'proxmoxTemplateVmid',
  'proxmoxVmid',
  'proxmoxNode',
  'proxmoxFull',
  'proxmoxNamePattern',
  'proxmoxPool',
  'proxmoxOnStop',
  'proxmoxDisplayKind',
  'proxmoxVncHost',
  'proxmoxVncPort',
  'proxmoxRdpPort',
  'proxmoxRdpUsername',
  'proxmoxRdpDomain',
  'proxmoxRdpSecurity',
  'proxmoxRdpIgnoreCert',
  'proxmoxDisplayPassword',
  'proxmoxClearPassword',
  'vncPort',
  'desktopWidth',
  'desktopHeight',
  'homeVolumeName',
  'homeVolumeMountPath',
  'endpointId',
  'idleTimeoutMinutes',
  'gateway',
  'guacdHost',
  'guacdPort',
];

export type AppFormErrors = Partial<Record<AppField, string>>;

export const DEFAULT_VNC_PORT = 5901;
export const DEFAULT_DESKTOP_WIDTH = 1280;
export const DEFAULT_DESKTOP_HEIGHT = 800;
export const DEFAULT_NAME_PATTERN = 'daas-{app}-{instance}';
export const LEAST_LOADED_NODE = 'least-loaded';
export const DEFAULT_RDP_PORT = 3389;
export const DEFAULT_GUACD_PORT = 4822;
export { RDP_SECURITY };

const PROXMOX_PREFIX = 'proxmox';

/**
 * The name a field goes by in the page (element ids, test hooks, error keys):
 * `proxmoxTemplateVmid` is `proxmox-templateVmid`, other fields keep their own name.
 */
export function fieldKey(field: AppField): string {
  if (field.startsWith(PROXMOX_PREFIX)) {
    const rest = field.slice(PROXMOX_PREFIX.length);
    return `${PROXMOX_PREFIX}-${rest.charAt(0).toLowerCase()}${rest.slice(1)}`;
  }
  return field;
}

export function emptyAppForm(): AppFormValues {
  return {
    provider: 'docker',
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
    proxmoxEndpointId: '',
    proxmoxMode: 'clone',
    proxmoxTemplateVmid: '',
    proxmoxVmid: '',
    proxmoxNode: '',
    proxmoxFull: false,
    proxmoxNamePattern: DEFAULT_NAME_PATTERN,
    proxmoxPool: '',
    proxmoxOnStop: 'delete',
    proxmoxDisplayKind: 'vncproxy',
    proxmoxVncHost: '',
    proxmoxVncPort: '',
    proxmoxRdpPort: '',
    proxmoxRdpUsername: '',
    proxmoxRdpDomain: '',
    proxmoxRdpSecurity: 'any',
    proxmoxRdpIgnoreCert: false,
    proxmoxDisplayPassword: '',
    proxmoxClearPassword: false,
    gateway: 'default',
    guacdHost: '',
    guacdPort: '',
  };
}

/** The editor's values for an app; the other provider's fields keep their defaults. */
export function formFromApp(app: App): AppFormValues {
  const values: AppFormValues = {
    ...emptyAppForm(),
    provider: app.provider,
    name: app.name,
    description: app.description,
    icon: app.icon ?? '',
    desktopWidth: String(app.desktopWidth),
    desktopHeight: String(app.desktopHeight),
    idleTimeoutMinutes: app.idleTimeoutMinutes === null ? '' : String(app.idleTimeoutMinutes),
    gateway: app.display.gateway,
    guacdHost: app.display.guacd?.host ?? '',
    guacdPort: app.display.guacd ? String(app.display.guacd.port) : '',
  };
  if (app.provider === 'proxmox') {
    const { proxmox } = app;
    const display = proxmox.display;
    return {
      ...values,
      proxmoxDisplayKind: display.kind,
      proxmoxVncHost: display.kind === 'vnc' ? display.host : '',
      proxmoxVncPort: display.kind === 'vnc' ? String(display.port) : '',
      proxmoxRdpPort: display.kind === 'rdp' && display.port !== DEFAULT_RDP_PORT ? String(display.port) : '',
      proxmoxRdpUsername: display.kind === 'rdp' ? display.username : '',
      proxmoxRdpDomain: display.kind === 'rdp' ? display.domain : '',
      proxmoxRdpSecurity: display.kind === 'rdp' ? display.security : 'any',
      proxmoxRdpIgnoreCert: display.kind === 'rdp' ? display.ignoreCert : false,
      proxmoxEndpointId: proxmox.endpointId,
      proxmoxMode: proxmox.mode,
      proxmoxTemplateVmid: proxmox.templateVmid === null ? '' : String(proxmox.templateVmid),
      proxmoxVmid: proxmox.vmid === null ? '' : String(proxmox.vmid),
      proxmoxNode: proxmox.node ?? '',
      proxmoxFull: proxmox.full,
      proxmoxNamePattern: proxmox.namePattern,
      proxmoxPool: proxmox.pool ?? '',
      proxmoxOnStop: proxmox.onStop,
    };
  }
  const { docker } = app;
  return {
    ...values,
    image: docker.image,
    command: docker.command.join('\n'),
    env: Object.entries(docker.env)
      .map(([key, value]) => `${key}=${value}`)
      .join('\n'),
    cpus: docker.cpus === null ? '' : String(docker.cpus),
    memory: docker.memory ?? '',
    shmSize: docker.shmSize ?? '',
    vncPort: String(docker.vncPort),
    homeVolumeName: docker.homeVolume?.name ?? '',
    homeVolumeMountPath: docker.homeVolume?.mountPath ?? '',
    endpointId: docker.endpointId ?? '',
  };
}

/** Whether the field is shown (and checked) for the form's current choices. */
export function fieldApplies(values: AppFormValues, field: AppField): boolean {
  switch (field) {
    case 'image':
    case 'command':
    case 'env':
    case 'cpus':
    case 'memory':
    case 'shmSize':
    case 'vncPort':
    case 'homeVolumeName':
    case 'homeVolumeMountPath':
    case 'endpointId':
      return values.provider === 'docker';
    case 'proxmoxEndpointId':
    case 'proxmoxMode':
    case 'proxmoxNode':
    case 'proxmoxDisplayKind':
      return values.provider === 'proxmox';
    case 'proxmoxVncHost':
    case 'proxmoxVncPort':
      return values.provider === 'proxmox' && values.proxmoxDisplayKind === 'vnc';
    case 'proxmoxRdpPort':
    case 'proxmoxRdpUsername':
    case 'proxmoxRdpDomain':
    case 'proxmoxRdpSecurity':
    case 'proxmoxRdpIgnoreCert':
      return values.provider === 'proxmox' && values.proxmoxDisplayKind === 'rdp';
    case 'proxmoxDisplayPassword':
    case 'proxmoxClearPassword':
      return values.provider === 'proxmox' && values.proxmoxDisplayKind !== 'vncproxy';
    case 'guacdHost':
    case 'guacdPort':
      return values.gateway === 'guacd';
    case 'proxmoxVmid':
      return values.provider === 'proxmox' && values.proxmoxMode === 'existing';
    case 'proxmoxTemplateVmid':
    case 'proxmoxFull':
    case 'proxmoxNamePattern':
    case 'proxmoxPool':
    case 'proxmoxOnStop':
      return values.provider === 'proxmox' && values.proxmoxMode === 'clone';
    default:
      return true;
  }
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
    if (eq < 0) return { error: t('form.envNoEquals', { line: i + 1 }) };
    const key = line.slice(0, eq).trim();
    if (key === '') return { error: t('form.envNoName', { line: i + 1 }) };
    const first = seenOn.get(key);
    if (first !== undefined) return { error: t('form.envTwice', { name: key, first, second: i + 1 }) };
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
 * Only the chosen provider's fields (and, for VMs, the chosen mode's) are read.
 */
export function buildAppInput(values: AppFormValues): { input: AppConfig; errors: AppFormErrors } {
  const errors: AppFormErrors = {};

  const whole = (field: AppTextField, fallback: number | null, example: string): number | null | undefined => {
    const text = values[field].trim();
    if (text === '') return fallback;
    if (!WHOLE.test(text)) {
      errors[field] = t('form.wholeNumber', { example });
      return undefined;
    }
    return Number(text);
  };

  const desktopWidth = whole('desktopWidth', DEFAULT_DESKTOP_WIDTH, '1280');
  const desktopHeight = whole('desktopHeight', DEFAULT_DESKTOP_HEIGHT, '800');
  const idleTimeoutMinutes = whole('idleTimeoutMinutes', null, '60');
  const icon = values.icon.trim();

  const common = {
    name: values.name,
    description: values.description,
    icon: icon === '' ? null : icon,
    desktopWidth: desktopWidth ?? DEFAULT_DESKTOP_WIDTH,
    desktopHeight: desktopHeight ?? DEFAULT_DESKTOP_HEIGHT,
    idleTimeoutMinutes: idleTimeoutMinutes ?? null,
    display: displaySettings(values, whole),
  };

  const input: AppConfig =
    values.provider === 'proxmox'
      ? { ...common, provider: 'proxmox', proxmox: proxmoxSettings(values, whole, errors) }
      : { ...common, provider: 'docker', docker: dockerSettings(values, whole, errors) };

  const parsed = appInputSchema.safeParse(input);
  if (parsed.success) return { input: parsed.data, errors };
  for (const issue of parsed.error.issues) {
    let field = fieldOfPath(issue.path);
    if (issue.path[0] === 'proxmox' && issue.path[1] === 'display' && issue.path[2] === 'port') {
      field = values.proxmoxDisplayKind === 'rdp' ? 'proxmoxRdpPort' : 'proxmoxVncPort';
    }
    // A field the form could not read keeps its own message.
    if (errors[field] === undefined) errors[field] = issueMessage(issue);
  }
  return { input, errors };
}

type WholeReader = (field: AppTextField, fallback: number | null, example: string) => number | null | undefined;

/** The gateway choice; a guacd address only with gateway 'guacd' and a host typed. */
function displaySettings(values: AppFormValues, whole: WholeReader): AppDisplaySettings {
  const host = values.guacdHost.trim();
  if (values.gateway !== 'guacd' || host === '') {
    if (values.gateway === 'guacd') whole('guacdPort', DEFAULT_GUACD_PORT, '4822');
    return { gateway: values.gateway, guacd: null };
  }
  return { gateway: 'guacd', guacd: { host, port: whole('guacdPort', DEFAULT_GUACD_PORT, '4822') ?? DEFAULT_GUACD_PORT } };
}

/**
 * The VM's display. The password is write-only: sent only when typed (replace) or when
 * "remove" is ticked (null); otherwise absent, and the stored one stays.
 */
function proxmoxDisplay(values: AppFormValues, whole: WholeReader): ProxmoxDisplaySettings {
  const password = values.proxmoxClearPassword ? { password: null } : values.proxmoxDisplayPassword !== '' ? { password: values.proxmoxDisplayPassword } : {};
  if (values.proxmoxDisplayKind === 'vnc') {
    return { kind: 'vnc', host: values.proxmoxVncHost.trim(), port: whole('proxmoxVncPort', 0, '5977') ?? 0, ...password };
  }
  if (values.proxmoxDisplayKind === 'rdp') {
    return {
      kind: 'rdp',
      port: whole('proxmoxRdpPort', DEFAULT_RDP_PORT, '3389') ?? DEFAULT_RDP_PORT,
      username: values.proxmoxRdpUsername.trim(),
      domain: values.proxmoxRdpDomain.trim(),
      security: values.proxmoxRdpSecurity,
      ignoreCert: values.proxmoxRdpIgnoreCert,
      ...password,
    };
  }
  return { kind: 'vncproxy' };
}

function dockerSettings(values: AppFormValues, whole: WholeReader, errors: AppFormErrors): DockerAppConfig {
  const cpusText = values.cpus.trim();
  let cpus: number | null = null;
  if (cpusText !== '') {
    if (DECIMAL.test(cpusText)) cpus = Number(cpusText);
    else errors.cpus = t('form.cpus');
  }

  const parsedEnv = parseEnv(values.env);
  if ('error' in parsedEnv) errors.env = parsedEnv.error;

  const volumeName = values.homeVolumeName.trim();
  const mountPath = values.homeVolumeMountPath.trim();
  if (volumeName && !mountPath) errors.homeVolumeMountPath = t('form.mountPathMissing');
  if (mountPath && !volumeName) errors.homeVolumeName = t('form.volumeNameMissing');

  const vncPort = whole('vncPort', DEFAULT_VNC_PORT, '5901');
  const memory = values.memory.trim();
  const shmSize = values.shmSize.trim();

  return {
    image: values.image,
    command: parseCommand(values.command),
    env: 'env' in parsedEnv ? parsedEnv.env : {},
    cpus,
    memory: memory === '' ? null : memory,
    shmSize: shmSize === '' ? null : shmSize,
    vncPort: vncPort ?? DEFAULT_VNC_PORT,
    homeVolume: volumeName && mountPath ? { name: volumeName, mountPath } : null,
    endpointId: values.endpointId === '' ? null : values.endpointId,
  };
}

/**
 * A VM app's settings. Fields of the other mode are not sent (the schema's defaults
 * stand in), so a value left behind in a hidden field can neither block saving nor
 * linger in the stored app.
 */
function proxmoxSettings(values: AppFormValues, whole: WholeReader, errors: AppFormErrors): ProxmoxAppSettings {
  const node = values.proxmoxNode.trim();
  if (values.proxmoxMode === 'existing') {
    // The schema names one of the two; say what each one lacks.
    if (values.proxmoxVmid.trim() === '') errors.proxmoxVmid = t('form.vmidMissing');
    if (node === '') errors.proxmoxNode = t('form.nodeMissing');
    else if (node === LEAST_LOADED_NODE) errors.proxmoxNode = t('form.nodeLeastLoaded');
    return {
      endpointId: values.proxmoxEndpointId,
      mode: 'existing',
      templateVmid: null,
      vmid: whole('proxmoxVmid', null, '120') ?? null,
      node: node === '' ? null : node,
      full: false,
      namePattern: DEFAULT_NAME_PATTERN,
      pool: null,
      onStop: 'delete',
      display: proxmoxDisplay(values, whole),
    };
  }
  const pool = values.proxmoxPool.trim();
  return {
    endpointId: values.proxmoxEndpointId,
    mode: 'clone',
    templateVmid: whole('proxmoxTemplateVmid', null, '9000') ?? null,
    vmid: null,
    node: node === '' ? null : node,
    full: values.proxmoxFull,
    namePattern: values.proxmoxNamePattern.trim(),
    pool: pool === '' ? null : pool,
    onStop: values.proxmoxOnStop,
    display: proxmoxDisplay(values, whole),
  };
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

const PROXMOX_FIELDS: Record<string, AppField> = {
  endpointId: 'proxmoxEndpointId',
  mode: 'proxmoxMode',
  templateVmid: 'proxmoxTemplateVmid',
  vmid: 'proxmoxVmid',
  node: 'proxmoxNode',
  full: 'proxmoxFull',
  namePattern: 'proxmoxNamePattern',
  pool: 'proxmoxPool',
  onStop: 'proxmoxOnStop',
};

const DISPLAY_FIELDS: Record<string, AppField> = {
  kind: 'proxmoxDisplayKind',
  host: 'proxmoxVncHost',
  username: 'proxmoxRdpUsername',
  domain: 'proxmoxRdpDomain',
  security: 'proxmoxRdpSecurity',
  ignoreCert: 'proxmoxRdpIgnoreCert',
  password: 'proxmoxDisplayPassword',
};

/** Where in the form a schema path is edited. */
export function fieldOfPath(path: readonly PropertyKey[]): AppField {
  const [top, second, third] = path;
  if (top === 'docker') {
    if (second === 'homeVolume') return third === 'mountPath' ? 'homeVolumeMountPath' : 'homeVolumeName';
    if (typeof second === 'string' && DOCKER_FIELDS[second]) return DOCKER_FIELDS[second];
    return 'image';
  }
  if (top === 'display') return third === 'port' ? 'guacdPort' : second === 'guacd' ? 'guacdHost' : 'gateway';
  if (top === 'proxmox') {
    if (second === 'display') return DISPLAY_FIELDS[String(third)] ?? 'proxmoxDisplayKind';
    if (typeof second === 'string' && PROXMOX_FIELDS[second]) return PROXMOX_FIELDS[second];
    return 'proxmoxEndpointId';
  }
  if (typeof top === 'string' && (APP_FIELDS as readonly string[]).includes(top)) return top as AppField;
  return 'name';
}

export function firstErrorField(errors: AppFormErrors): AppField | undefined {
  return APP_FIELDS.find((field) => errors[field] !== undefined);
}
