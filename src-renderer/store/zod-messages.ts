// Turns zod issues into sentences a person reads, in the interface language. The
// shared schemas carry English messages where they matter (they are also the main
// process's own words); the ones a form can show are translated here by their text,
// and zod's own defaults ("Too small: expected number to be >=320") are rewritten.
import type { z } from 'zod';
import { t, type MessageKey } from '../i18n/i18n';

type Issue = z.core.$ZodIssue;

/** The shared schemas' messages (src-shared), by their English text. */
const SHARED_MESSAGES: Record<string, MessageKey> = {
  'give the image to run, like daas/desktop:latest': 'schema.imageMissing',
  'an image name has letters, digits and . _ / : @ - only': 'schema.imageChars',
  'environment names have letters, digits and _ only': 'schema.envNameChars',
  'VNC_PASSWORD is set by DaaS Desktop for each instance': 'schema.vncPassword',
  'at least 0.1 CPU': 'schema.cpusMin',
  'a volume name has letters, digits and _ . - only': 'schema.volumeChars',
  'the mount path must be absolute, like /home/desktop': 'schema.mountAbsolute',
  'pick a Proxmox endpoint': 'schema.pickProxmox',
  'VM ids start at 100': 'schema.vmidMin',
  'a node name has letters, digits and - only': 'schema.nodeChars',
  'give the id of the template to clone': 'schema.templateMissing',
  'give the VM id and the node it is on': 'schema.vmidAndNode',
  'give the app a name': 'schema.nameMissing',
  'keep the name under 80 characters': 'schema.nameTooLong',
  'ids are lower-case letters, digits and -': 'schema.idChars',
  'letters, digits, - and _ only': 'schema.idCharsContract',
  'give the endpoint a name': 'schema.endpointName',
  'use unix:///path, tcp://host:port or ssh://user@host': 'schema.endpointUrl',
  'paste the PEM text, starting with -----BEGIN': 'schema.pem',
  'use https://HOST:8006': 'schema.proxmoxUrl',
  'give the host name or address': 'schema.hostMissing',
  'a host is a name or an IP address': 'schema.hostChars',
  'a port is between 1 and 65535': 'schema.portRange',
  'keep the password under 256 characters': 'schema.passwordTooLong',
  'RDP needs guacd: the embedded gateway speaks VNC only': 'schema.rdpNeedsGuacd',
};

function byteSizeWhat(what: string): string {
  return what === 'shared memory' ? t('schema.sharedMemory') : what === 'memory' ? t('schema.memory') : what;
}

/** A shared message in the interface language, or null when it is not one the renderer knows. */
export function translateSharedMessage(message: string): string | null {
  // Own keys only: a message like "constructor" is no shared message.
  const key = Object.hasOwn(SHARED_MESSAGES, message) ? SHARED_MESSAGES[message] : undefined;
  if (key) return t(key as 'schema.imageMissing');
  let match = /^write (.+) as a number with k, m or g, like 512m or 2g$/.exec(message);
  if (match) return t('schema.byteSize', { what: byteSizeWhat(match[1]!) });
  match = /^(.+) must be at least (\d+)m$/.exec(message);
  if (match) return t('schema.byteSizeMin', { what: byteSizeWhat(match[1]!), min: `${match[2]}m` });
  match = /^(.+) must be at most (\d+)g$/.exec(message);
  if (match) return t('schema.byteSizeMax', { what: byteSizeWhat(match[1]!), max: `${match[2]}g` });
  return null;
}

function isDefaultMessage(message: string): boolean {
  return /^(Too small|Too big|Invalid input|Invalid key in record|Invalid string|Invalid option|Unrecognized key)/.test(message);
}

function describeDefault(issue: Issue): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? t('zod.fillIn') : t('zod.minChars', { min: Number(issue.minimum) });
      if (issue.origin === 'number') return t('zod.minNumber', { min: Number(issue.minimum) });
      return t('zod.minItems', { min: Number(issue.minimum) });
    case 'too_big':
      if (issue.origin === 'string') return t('zod.maxChars', { max: Number(issue.maximum) });
      if (issue.origin === 'number') return t('zod.maxNumber', { max: Number(issue.maximum) });
      return t('zod.maxItems', { max: Number(issue.maximum) });
    case 'invalid_type':
      return issue.expected === 'int' ? t('zod.wholeNumber') : t('zod.wrongForm');
    case 'invalid_key': {
      const key = issue.path[issue.path.length - 1];
      const first = issue.issues[0]?.message;
      const inner = first ? (translateSharedMessage(first) ?? first) : t('zod.nameNotAllowed');
      return `${typeof key === 'string' ? `"${key}": ` : ''}${inner}`;
    }
    case 'unrecognized_keys':
      return t('zod.unknownSetting', { keys: issue.keys.join(', ') });
    default:
      return t('zod.invalid');
  }
}

/** One readable sentence for one issue (without a trailing full stop). */
export function issueMessage(issue: Issue): string {
  if (isDefaultMessage(issue.message)) return describeDefault(issue);
  return translateSharedMessage(issue.message) ?? issue.message;
}
