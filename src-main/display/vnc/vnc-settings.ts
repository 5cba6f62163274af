// The VNC connection parameters, by guacd's names and in guacd's `args` order, so the same
// tokens and connection definitions work against the embedded gateway and a real guacd.
// Every name is either honoured as guacd documents it or refused by name at connect time:
// a parameter that switches on something the gateway lacks (SFTP, recording, audio, Wake-on-LAN,
// a repeater, reverse connect, swapped or reduced colours) fails the connection with an error
// naming it, rather than silently giving the user less than asked for. The parameters that
// only tune such a feature (sftp-port, recording-name, wol-mac-addr, ...) do nothing while it is
// off, in guacd as here, so they are accepted. `enable-audio` is accepted too: guacd itself
// carries on without sound when its PulseAudio server cannot be reached, and the app asks for
// it whenever a desktop's sound server listens for a guacd (this gateway may be that guacd).
import { GuacStatus, GuacStatusError } from '../gateway/status';
import { isLoopbackHost } from '../../loopback';
import { levelEncoding, parseEncodings } from '../../rfb/encodings';
import { ClipboardEncoding, parseClipboardEncoding } from './clipboard';

export const VNC_ARG_NAMES = [
  'hostname',
  'port',
  'read-only',
  'encodings',
  'username',
  'password',
  'swap-red-blue',
  'color-depth',
  'cursor',
  'autoretry',
  'clipboard-encoding',
  'dest-host',
  'dest-port',
  'enable-audio',
  'audio-servername',
  'reverse-connect',
  'listen-timeout',
  'enable-sftp',
  'sftp-hostname',
  'sftp-host-key',
  'sftp-port',
  'sftp-timeout',
  'sftp-username',
  'sftp-password',
  'sftp-private-key',
  'sftp-public-key',
  'sftp-passphrase',
  'sftp-directory',
  'sftp-root-directory',
  'sftp-server-alive-interval',
  'sftp-disable-download',
  'sftp-disable-upload',
  'recording-path',
  'recording-name',
  'recording-exclude-output',
  'recording-exclude-mouse',
  'recording-include-keys',
  'create-recording-path',
  'recording-write-existing',
  'disable-copy',
  'disable-paste',
  'wol-send-packet',
  'wol-mac-addr',
  'wol-broadcast-addr',
  'wol-udp-port',
  'wol-wait-time',
  'force-lossless',
  'compress-level',
  'quality-level',
  'disable-display-resize',
  'disable-server-input',
] as const;

export type VncArgName = (typeof VNC_ARG_NAMES)[number];

export interface VncSettings {
  hostname: string;
  port: number;
  password: string;
  username: string;
  /** Drop this viewer's input (mouse, keys, clipboard, resize). */
  readOnly: boolean;
  /** Preferred RFB encodings, most preferred first. */
  encodings: number[];
  /** "remote": the server draws the pointer into the framebuffer; otherwise the viewer does. */
  remoteCursor: boolean;
  /** Extra connection attempts when the server is not (yet) listening. */
  autoretry: number;
  clipboardEncoding: ClipboardEncoding;
  /** No remote-to-client clipboard for this viewer. */
  disableCopy: boolean;
  /** No client-to-remote clipboard from this viewer. */
  disablePaste: boolean;
  /** Never resize the remote desktop to the viewer. */
  disableDisplayResize: boolean;
  /** guacd's 24 or 32 (the gateway always sends 24-bit colour; 8 and 16 are refused). */
  colorDepth: number;
  /** Never JPEG for this viewer, whatever it announces. */
  forceLossless: boolean;
}

/**
 * Parameters that switch on what the gateway does not do, with the value that does it: such a
 * connection is refused naming the parameter (guacd would give the user the feature).
 */
const UNSUPPORTED: readonly { name: VncArgName; on: (v: string) => boolean; what: string }[] = [
  { name: 'swap-red-blue', on: (v) => v === 'true', what: 'swapping red and blue' },
  { name: 'color-depth', on: (v) => v !== '' && v !== '24' && v !== '32', what: 'colour depths other than 24 and 32 bits' },
  { name: 'dest-host', on: (v) => v !== '', what: 'VNC repeaters' },
  { name: 'dest-port', on: (v) => v !== '', what: 'VNC repeaters' },
  { name: 'reverse-connect', on: (v) => v === 'true', what: 'reverse connections' },
  { name: 'enable-sftp', on: (v) => v === 'true', what: 'SFTP file transfer' },
  { name: 'recording-path', on: (v) => v !== '', what: 'session recording' },
  { name: 'wol-send-packet', on: (v) => v === 'true', what: 'Wake-on-LAN' },
  { name: 'disable-server-input', on: (v) => v === 'true', what: "locking the server's own keyboard and mouse" },
];

const bool = (v: string | undefined): boolean => v === 'true';

/** compress-level / quality-level: 0-9, or unset (the server's default). */
function level(name: VncArgName, v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!/^\d$/.test(v) || n > 9) throw new GuacStatusError(`VNC parameter "${name}" must be a whole number from 0 to 9, not "${v}"`, GuacStatus.CLIENT_BAD_REQUEST);
  return n;
}

function int(v: string | undefined, fallback: number): number {
  const n = Number(v);
  return v !== undefined && v !== '' && Number.isInteger(n) ? n : fallback;
}

/** Settings from `connect` values given in `names` order (the `args` we sent). */
export function parseVncSettings(values: readonly string[], names: readonly string[] = VNC_ARG_NAMES): VncSettings {
  const byName = new Map<string, string>();
  names.forEach((n, i) => byName.set(n, values[i] ?? ''));
  return vncSettingsFrom((name) => byName.get(name));
}

export function vncSettingsFrom(get: (name: VncArgName) => string | undefined): VncSettings {
  for (const u of UNSUPPORTED) {
    const value = get(u.name) ?? '';
    if (u.on(value)) {
      throw new GuacStatusError(`VNC parameter "${u.name}" (${value}) is not supported by the embedded gateway: it does not do ${u.what}`, GuacStatus.UNSUPPORTED);
    }
  }
  const port = int(get('port'), 5900);
  const autoretry = int(get('autoretry'), 0);
  // As libvncclient (guacd) does: the levels go to the server as pseudo-encodings, which it
  // applies to the encodings that have such a level (ZRLE/Tight compression, JPEG quality).
  const compress = level('compress-level', get('compress-level'));
  const quality = level('quality-level', get('quality-level'));
  const levels = [
    ...(compress === undefined ? [] : [levelEncoding('compress', compress)]),
    ...(quality === undefined ? [] : [levelEncoding('quality', quality)]),
  ];
  return {
    hostname: get('hostname') ?? '',
    port: port > 0 && port < 65536 ? port : NaN,
    password: get('password') ?? '',
    username: get('username') ?? '',
    readOnly: bool(get('read-only')),
    encodings: [...parseEncodings(get('encodings'), isLoopbackHost(get('hostname') ?? '')), ...levels],
    remoteCursor: get('cursor') === 'remote',
    autoretry: autoretry > 0 ? Math.min(autoretry, 60) : 0,
    clipboardEncoding: parseClipboardEncoding(get('clipboard-encoding')),
    disableCopy: bool(get('disable-copy')),
    disablePaste: bool(get('disable-paste')),
    disableDisplayResize: bool(get('disable-display-resize')),
    colorDepth: int(get('color-depth'), 24),
    forceLossless: bool(get('force-lossless')),
  };
}

/** Viewers whose settings give the same key share one VNC connection. */
export function sharingKey(s: VncSettings): string {
  return JSON.stringify([s.hostname, s.port, s.username, s.password, s.encodings, s.remoteCursor, s.clipboardEncoding]);
}
