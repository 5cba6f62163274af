// Connection parameters for Apache guacd, in one place, by guacd's documented names
// (Guacamole manual, "Configuring Guacamole" -> VNC / RDP). Values are strings as guacd parses
// them: booleans are "true" or absent, numbers decimal. Everything the app sends to a guacd
// goes through here, so a typo cannot silently become an ignored parameter.

export type RdpSecurity = 'any' | 'nla' | 'nla-ext' | 'tls' | 'vmconnect' | 'rdp';
export type RdpResizeMethod = 'display-update' | 'reconnect';
export type ClipboardEncodingName = 'ISO8859-1' | 'UTF-8' | 'UTF-16' | 'CP1252';

interface Common {
  hostname: string;
  port?: number;
  password?: string;
  readOnly?: boolean;
  colorDepth?: 8 | 16 | 24 | 32;
  disableCopy?: boolean;
  disablePaste?: boolean;
}

export interface VncParameters extends Common {
  protocol: 'vnc';
  username?: string;
  /** guacd default: "zrle ultra copyrect hextile zlib corre rre raw". */
  encodings?: string;
  swapRedBlue?: boolean;
  /** "remote" renders the pointer on the server. */
  cursor?: 'local' | 'remote';
  autoretry?: number;
  clipboardEncoding?: ClipboardEncodingName;
  destHost?: string;
  destPort?: number;
  /** Sound through guacd's own PulseAudio client (a second connection, to audioServername). */
  enableAudio?: boolean;
  /** The PulseAudio server guacd records from ("host:port"); absent: the one beside guacd. */
  audioServername?: string;
  forceLossless?: boolean;
  /** guacd's file transfer over SFTP to the desktop (VNC has none of its own). */
  sftp?: SftpParameters;
}

/** guacd's SFTP parameters (manual: "SFTP"); the password or key stays in the main process. */
export interface SftpParameters {
  hostname: string;
  port?: number;
  username: string;
  password?: string;
  privateKey?: string;
  /** Where uploads land (guacd's default: the user's home). */
  directory?: string;
  disableDownload?: boolean;
  disableUpload?: boolean;
}

/** guacd's drive redirection for RDP (manual: "Device redirection"): a folder on guacd's machine. */
export interface DriveParameters {
  path: string;
  /** The drive's name in the desktop. */
  name?: string;
  /** guacd creates the folder if it is missing (only its last part). */
  createPath?: boolean;
  disableDownload?: boolean;
  disableUpload?: boolean;
}

export interface RdpParameters extends Common {
  protocol: 'rdp';
  username?: string;
  domain?: string;
  security?: RdpSecurity;
  ignoreCert?: boolean;
  width?: number;
  height?: number;
  dpi?: number;
  resizeMethod?: RdpResizeMethod;
  disableAudio?: boolean;
  enableAudioInput?: boolean;
  enableWallpaper?: boolean;
  enableFontSmoothing?: boolean;
  console?: boolean;
  serverLayout?: string;
  timezone?: string;
  normalizeClipboard?: 'preserve' | 'unix' | 'windows';
  clientName?: string;
  initialProgram?: string;
  drive?: DriveParameters;
}

export type GuacdParameters = VncParameters | RdpParameters;

const DEFAULT_PORT = { vnc: 5900, rdp: 3389 } as const;

function check(cond: boolean, message: string): void {
  if (!cond) throw new RangeError(message);
}

/** The guacd parameter map for a connection; unset options are left out (guacd defaults apply). */
export function toGuacdParameters(p: GuacdParameters): Record<string, string> {
  check(p.hostname.length > 0, 'hostname is required');
  const port = p.port ?? DEFAULT_PORT[p.protocol];
  check(Number.isInteger(port) && port > 0 && port < 65536, `invalid port ${port}`);
  if (p.colorDepth !== undefined) check([8, 16, 24, 32].includes(p.colorDepth), `invalid color-depth ${p.colorDepth}`);
  const out: Record<string, string> = { hostname: p.hostname, port: String(port) };
  const set = (name: string, v: string | number | boolean | undefined): void => {
    if (v === undefined || v === false || v === '') return;
    out[name] = v === true ? 'true' : String(v);
  };
  set('password', p.password);
  set('read-only', p.readOnly);
  set('color-depth', p.colorDepth);
  set('disable-copy', p.disableCopy);
  set('disable-paste', p.disablePaste);
  if (p.protocol === 'vnc') {
    set('username', p.username);
    set('encodings', p.encodings);
    set('swap-red-blue', p.swapRedBlue);
    if (p.cursor === 'remote') out.cursor = 'remote';
    if (p.autoretry !== undefined) {
      check(Number.isInteger(p.autoretry) && p.autoretry >= 0, 'autoretry must be a whole number');
      set('autoretry', p.autoretry);
    }
    set('clipboard-encoding', p.clipboardEncoding);
    set('dest-host', p.destHost);
    set('dest-port', p.destPort);
    set('enable-audio', p.enableAudio);
    set('audio-servername', p.audioServername);
    set('force-lossless', p.forceLossless);
    if (p.sftp) {
      const f = p.sftp;
      check(f.hostname.length > 0 && f.username.length > 0, 'SFTP needs a host and a user');
      set('enable-sftp', true);
      set('sftp-hostname', f.hostname);
      set('sftp-port', f.port);
      set('sftp-username', f.username);
      set('sftp-password', f.password);
      set('sftp-private-key', f.privateKey);
      set('sftp-directory', f.directory);
      set('sftp-disable-download', f.disableDownload);
      set('sftp-disable-upload', f.disableUpload);
    }
  } else {
    set('username', p.username);
    set('domain', p.domain);
    if (p.security) check(['any', 'nla', 'nla-ext', 'tls', 'vmconnect', 'rdp'].includes(p.security), `invalid security "${p.security}"`);
    set('security', p.security);
    set('ignore-cert', p.ignoreCert);
    set('width', p.width);
    set('height', p.height);
    set('dpi', p.dpi);
    if (p.resizeMethod) check(['display-update', 'reconnect'].includes(p.resizeMethod), `invalid resize-method "${p.resizeMethod}"`);
    set('resize-method', p.resizeMethod);
    set('disable-audio', p.disableAudio);
    set('enable-audio-input', p.enableAudioInput);
    set('enable-wallpaper', p.enableWallpaper);
    set('enable-font-smoothing', p.enableFontSmoothing);
    set('console', p.console);
    set('server-layout', p.serverLayout);
    set('timezone', p.timezone);
    set('normalize-clipboard', p.normalizeClipboard);
    set('client-name', p.clientName);
    set('initial-program', p.initialProgram);
    if (p.drive) {
      check(p.drive.path.length > 0, 'drive redirection needs a folder');
      set('enable-drive', true);
      set('drive-name', p.drive.name);
      set('drive-path', p.drive.path);
      set('create-drive-path', p.drive.createPath);
      set('disable-download', p.drive.disableDownload);
      set('disable-upload', p.drive.disableUpload);
    }
  }
  return out;
}

/**
 * The `connect` values for guacd's `args` answer: one per announced name, in order; the
 * protocol version first when guacd announced one (we speak 1.5.0, the newest we know).
 */
export function connectValues(argNames: readonly string[], params: Readonly<Record<string, string>>): string[] {
  return argNames.map((name) => (name.startsWith('VERSION_') ? negotiateVersion(name) : (params[name] ?? '')));
}

const OUR_VERSION = [1, 5, 0];

/** The lower of guacd's announced protocol version and ours, as guacd's protocol requires. */
export function negotiateVersion(announced: string): string {
  const theirs = /^VERSION_(\d+)_(\d+)_(\d+)$/.exec(announced)?.slice(1).map(Number);
  if (!theirs) return 'VERSION_1_0_0';
  for (let i = 0; i < 3; i++) {
    if (theirs[i]! < OUR_VERSION[i]!) return announced;
    if (theirs[i]! > OUR_VERSION[i]!) break;
  }
  return `VERSION_${OUR_VERSION.join('_')}`;
}
