// The Proxmox VE part of the app form: endpoint, clone or existing VM, node, clone
// options and how the VM's screen is reached, as typed, and how they become `proxmox`.
import { RDP_SECURITY, type ProxmoxAppSettings, type ProxmoxDisplaySettings } from '../../../src-shared/app-config';
import type { App } from '../../../src-shared/model';
import { t } from '../../i18n/i18n';
import { wholeReader, type FieldErrors, type SectionForm, type WholeReader } from './section-form';

export const DEFAULT_NAME_PATTERN = 'daas-{app}-{instance}';
export const LEAST_LOADED_NODE = 'least-loaded';
export const DEFAULT_RDP_PORT = 3389;
export { RDP_SECURITY };

// A type (not an interface) so it fits the registry's record of values.
export type ProxmoxFormValues = {
  /** The Proxmox endpoint (Settings); '' until one is picked. */
  endpointId: string;
  mode: ProxmoxAppSettings['mode'];
  templateVmid: string;
  vmid: string;
  /** '' the template's node, 'least-loaded', or a node name. */
  node: string;
  full: boolean;
  /** Share the clipboard through VNC (`vga: ...,clipboard=vnc` on clones). */
  clipboard: boolean;
  namePattern: string;
  pool: string;
  onStop: ProxmoxAppSettings['onStop'];
  /** How the VM's screen is reached: Proxmox's console, direct VNC, or RDP through guacd. */
  displayKind: ProxmoxDisplaySettings['kind'];
  vncHost: string;
  vncPort: string;
  /** '' = 3389. */
  rdpPort: string;
  rdpUsername: string;
  rdpDomain: string;
  rdpSecurity: (typeof RDP_SECURITY)[number];
  rdpIgnoreCert: boolean;
  /** guacd redirects a drive (a folder on this computer) into the guest. */
  rdpDriveRedirection: boolean;
  /** Where files sent to a VM console land in the guest (guest agent); '' = /tmp. */
  guestFolder: string;
  /** Write-only: '' keeps the stored password (the form never sees it). */
  displayPassword: string;
  /** Remove the stored password. */
  clearPassword: boolean;
};

type ProxmoxField = keyof ProxmoxFormValues;

/** Schema names inside `proxmox` that are one form field each. */
const PATH_FIELDS: Record<string, ProxmoxField> = {
  endpointId: 'endpointId',
  mode: 'mode',
  templateVmid: 'templateVmid',
  vmid: 'vmid',
  node: 'node',
  full: 'full',
  clipboard: 'clipboard',
  namePattern: 'namePattern',
  pool: 'pool',
  onStop: 'onStop',
  guestFolder: 'guestFolder',
};

/** Schema names inside `proxmox.display` (its `port` depends on the kind). */
const DISPLAY_FIELDS: Record<string, ProxmoxField> = {
  kind: 'displayKind',
  host: 'vncHost',
  username: 'rdpUsername',
  domain: 'rdpDomain',
  security: 'rdpSecurity',
  ignoreCert: 'rdpIgnoreCert',
  driveRedirection: 'rdpDriveRedirection',
  password: 'displayPassword',
};

const CLONE_ONLY = new Set<ProxmoxField>(['templateVmid', 'full', 'clipboard', 'namePattern', 'pool', 'onStop']);
const VNC_ONLY = new Set<ProxmoxField>(['vncHost', 'vncPort']);
const RDP_ONLY = new Set<ProxmoxField>(['rdpPort', 'rdpUsername', 'rdpDomain', 'rdpSecurity', 'rdpIgnoreCert', 'rdpDriveRedirection']);
/** The guest agent's files reach VM consoles only (an RDP app has its redirected drive). */
export const DEFAULT_GUEST_FOLDER = '/tmp';

/**
 * The VM's display. The password is write-only: sent only when typed (replace) or when
 * "remove" is ticked (null); otherwise absent, and the stored one stays.
 */
function display(values: ProxmoxFormValues, whole: WholeReader<ProxmoxFormValues>): ProxmoxDisplaySettings {
  const password = values.clearPassword ? { password: null } : values.displayPassword !== '' ? { password: values.displayPassword } : {};
  if (values.displayKind === 'vnc') {
    return { kind: 'vnc', host: values.vncHost.trim(), port: whole('vncPort', 0, '5977') ?? 0, ...password };
  }
  if (values.displayKind === 'rdp') {
    return {
      kind: 'rdp',
      port: whole('rdpPort', DEFAULT_RDP_PORT, '3389') ?? DEFAULT_RDP_PORT,
      username: values.rdpUsername.trim(),
      domain: values.rdpDomain.trim(),
      security: values.rdpSecurity,
      ignoreCert: values.rdpIgnoreCert,
      driveRedirection: values.rdpDriveRedirection,
      ...password,
    };
  }
  return { kind: 'vncproxy' };
}

/**
 * A VM app's settings. Fields of the other mode are not sent (the schema's defaults
 * stand in), so a value left behind in a hidden field can neither block saving nor
 * linger in the stored app.
 */
function settings(values: ProxmoxFormValues, errors: FieldErrors<ProxmoxFormValues>): ProxmoxAppSettings {
  const whole = wholeReader(values, errors);
  const node = values.node.trim();
  if (values.mode === 'existing') {
    // The schema names one of the two; say what each one lacks.
    if (values.vmid.trim() === '') errors.vmid = t('form.vmidMissing');
    if (node === '') errors.node = t('form.nodeMissing');
    else if (node === LEAST_LOADED_NODE) errors.node = t('form.nodeLeastLoaded');
    return {
      endpointId: values.endpointId,
      mode: 'existing',
      templateVmid: null,
      vmid: whole('vmid', null, '120') ?? null,
      node: node === '' ? null : node,
      full: false,
      namePattern: DEFAULT_NAME_PATTERN,
      pool: null,
      onStop: 'delete',
      clipboard: false,
      display: display(values, whole),
      guestFolder: guestFolder(values),
    };
  }
  const pool = values.pool.trim();
  return {
    endpointId: values.endpointId,
    mode: 'clone',
    templateVmid: whole('templateVmid', null, '9000') ?? null,
    vmid: null,
    node: node === '' ? null : node,
    full: values.full,
    namePattern: values.namePattern.trim(),
    pool: pool === '' ? null : pool,
    onStop: values.onStop,
    clipboard: values.clipboard,
    display: display(values, whole),
    guestFolder: guestFolder(values),
  };
}

/** The guest folder as typed ('' or an RDP app's: the default). */
function guestFolder(values: ProxmoxFormValues): string {
  const folder = values.guestFolder.trim();
  return folder === '' || values.displayKind === 'rdp' ? DEFAULT_GUEST_FOLDER : folder;
}

export const proxmoxForm: SectionForm<ProxmoxFormValues> = {
  keyPrefix: 'proxmox-',

  empty() {
    return {
      endpointId: '',
      mode: 'clone',
      templateVmid: '',
      vmid: '',
      node: '',
      full: false,
      clipboard: false,
      namePattern: DEFAULT_NAME_PATTERN,
      pool: '',
      onStop: 'delete',
      displayKind: 'vncproxy',
      vncHost: '',
      vncPort: '',
      rdpPort: '',
      rdpUsername: '',
      rdpDomain: '',
      rdpSecurity: 'any',
      rdpIgnoreCert: false,
      rdpDriveRedirection: true,
      guestFolder: '',
      displayPassword: '',
      clearPassword: false,
    };
  },

  fromApp(app: App) {
    if (app.provider !== 'proxmox') return proxmoxForm.empty();
    const { proxmox } = app;
    const shown = proxmox.display;
    return {
      endpointId: proxmox.endpointId,
      mode: proxmox.mode,
      templateVmid: proxmox.templateVmid === null ? '' : String(proxmox.templateVmid),
      vmid: proxmox.vmid === null ? '' : String(proxmox.vmid),
      node: proxmox.node ?? '',
      full: proxmox.full,
      clipboard: proxmox.clipboard,
      namePattern: proxmox.namePattern,
      pool: proxmox.pool ?? '',
      onStop: proxmox.onStop,
      displayKind: shown.kind,
      vncHost: shown.kind === 'vnc' ? shown.host : '',
      vncPort: shown.kind === 'vnc' ? String(shown.port) : '',
      rdpPort: shown.kind === 'rdp' && shown.port !== DEFAULT_RDP_PORT ? String(shown.port) : '',
      rdpUsername: shown.kind === 'rdp' ? shown.username : '',
      rdpDomain: shown.kind === 'rdp' ? shown.domain : '',
      rdpSecurity: shown.kind === 'rdp' ? shown.security : 'any',
      rdpIgnoreCert: shown.kind === 'rdp' ? shown.ignoreCert : false,
      rdpDriveRedirection: shown.kind === 'rdp' ? shown.driveRedirection : true,
      guestFolder: proxmox.guestFolder === DEFAULT_GUEST_FOLDER ? '' : proxmox.guestFolder,
      displayPassword: '',
      clearPassword: false,
    };
  },

  applies(values, field) {
    if (field === 'vmid') return values.mode === 'existing';
    if (CLONE_ONLY.has(field)) return values.mode === 'clone';
    if (VNC_ONLY.has(field)) return values.displayKind === 'vnc';
    if (RDP_ONLY.has(field)) return values.displayKind === 'rdp';
    if (field === 'guestFolder') return values.displayKind !== 'rdp';
    if (field === 'displayPassword' || field === 'clearPassword') return values.displayKind !== 'vncproxy';
    return true;
  },

  build(values) {
    const errors: FieldErrors<ProxmoxFormValues> = {};
    return { config: { provider: 'proxmox', proxmox: settings(values, errors) }, errors };
  },

  fieldOfPath([second, third], values) {
    if (second === 'display') {
      if (third === 'port') return values.displayKind === 'rdp' ? 'rdpPort' : 'vncPort';
      return (typeof third === 'string' && Object.hasOwn(DISPLAY_FIELDS, third) ? DISPLAY_FIELDS[third] : undefined) ?? 'displayKind';
    }
    if (typeof second === 'string' && Object.hasOwn(PATH_FIELDS, second)) return PATH_FIELDS[second]!;
    return 'endpointId';
  },
};
