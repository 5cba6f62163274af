// Masks secrets in a resource's configuration before it leaves the main process
// (instances.inspect): values under secret-sounding names, `NAME=value` environment
// entries, and values that look like credentials whatever their name.
import { MASK } from '../../src-shared/contract';

/**
 * Names whose values are secrets (VNC_PASSWORD, API_TOKEN, aws_secret_access_key,
 * Authorization…), and HostPort: where the desktop is published is a connection detail.
 */
const SECRET_NAME = /pass(word|wd|phrase)?|secret|token|api[-_]?key|private[-_]?key|access[-_]?key|credential|auth(?!or)|cookie|session|signature|^pwd$|^key$|^hostport$/i;

/** Values that are credentials by their look. */
const SECRET_VALUE = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/, // a JWT
  /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, // a URL with user:password@
  /^(gh[pousr]_|glpat-|xox[baprs]-|sk-|AKIA)[A-Za-z0-9_-]{10,}/, // well-known token prefixes
];

export const isSecretName = (name: string): boolean => SECRET_NAME.test(name);

export function looksSecret(value: string): boolean {
  return SECRET_VALUE.some((pattern) => pattern.test(value.trim()));
}

/** A deep copy with secrets replaced by MASK, and how many there were. */
export function maskSecrets(value: unknown): { value: unknown; masked: number } {
  let masked = 0;
  const mask = () => {
    masked += 1;
    return MASK;
  };
  const walk = (node: unknown, name: string | null): unknown => {
    if (typeof node === 'string') {
      if (node !== '' && ((name !== null && isSecretName(name)) || looksSecret(node))) return mask();
      const entry = /^([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$/s.exec(node);
      if (entry && entry[2] !== '' && (isSecretName(entry[1]!) || looksSecret(entry[2]!))) {
        masked += 1;
        return `${entry[1]}=${MASK}`;
      }
      return node;
    }
    if (Array.isArray(node)) return node.map((item) => walk(item, name));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) out[key] = walk(child, key);
      return out;
    }
    return node;
  };
  const result = walk(value, null);
  return { value: result, masked };
}
