// The VNC connection parameters this gateway honours, in the order it announces them in `args`.
// Names follow guacd's VNC parameters so the same tokens work against a real guacd.

export const VNC_ARG_NAMES = ['hostname', 'port', 'password', 'read-only', 'autoretry'] as const;

export interface VncSettings {
  hostname: string;
  port: number;
  password: string;
  readOnly: boolean;
  /** Extra connection attempts when the server is not (yet) listening. */
  autoretry: number;
}

/** Builds settings from `connect` values given in VNC_ARG_NAMES order (missing ones are empty). */
export function parseVncSettings(values: readonly string[]): VncSettings {
  const get = (name: (typeof VNC_ARG_NAMES)[number]): string => values[VNC_ARG_NAMES.indexOf(name)] ?? '';
  const port = Number(get('port') || '5900');
  const autoretry = Number(get('autoretry') || '0');
  return {
    hostname: get('hostname'),
    port: Number.isInteger(port) && port > 0 && port < 65536 ? port : NaN,
    password: get('password'),
    readOnly: get('read-only') === 'true',
    autoretry: Number.isInteger(autoretry) && autoretry > 0 ? Math.min(autoretry, 60) : 0,
  };
}
