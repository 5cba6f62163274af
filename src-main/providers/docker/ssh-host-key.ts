// Host key checking for ssh:// Docker endpoints, as OpenSSH does it: the key pinned with
// the endpoint, else ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts. An unknown host is
// refused with its SHA256 fingerprint (the settings window offers to trust and pin it); a
// changed key is refused.
import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DaasError } from '../../../src-shared/errors';
import { errorText } from '../../../src-shared/error-texts';

/** "SHA256:…" as `ssh-keygen -l` and the ssh client print it. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type inside a public key blob (its first length-prefixed string). */
function keyType(blob: Buffer): string {
  return blob.length >= 4 ? blob.subarray(4, 4 + blob.readUInt32BE(0)).toString('latin1') : '';
}

/** A key as one known_hosts-style text: "ssh-ed25519 AAAA…". */
export function keyText(blob: Buffer): string {
  return `${keyType(blob)} ${blob.toString('base64')}`;
}

/** The name known_hosts files use: "host", or "[host]:port" when the port is not 22. */
export function knownHostsName(host: string, port: number): string {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return port === 22 ? bare : `[${bare}]:${port}`;
}

function patternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return regex.test(name);
}

/** Whether a known_hosts host field names `name` (comma lists, wildcards, !negation, hashed names). */
function hostFieldMatches(field: string, name: string): boolean {
  let matched = false;
  for (const pattern of field.split(',')) {
    if (pattern.startsWith('!')) {
      if (patternMatches(pattern.slice(1), name)) return false;
    } else if (patternMatches(pattern, name)) matched = true;
  }
  return matched;
}

export type KnownHostsVerdict = 'match' | 'changed' | 'revoked' | 'unknown';

/** What a known_hosts text says of `key` for host `name` (see knownHostsName). */
export function checkKnownHosts(text: string, name: string, key: Buffer): KnownHostsVerdict {
  const offered = key.toString('base64');
  let listed = false;
  let match = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    const marker = fields[0]!.startsWith('@') ? fields.shift() : undefined;
    const [hosts, , blob] = fields;
    if (!hosts || !blob || marker === '@cert-authority' || !hostFieldMatches(hosts, name)) continue;
    if (marker === '@revoked') {
      if (blob === offered) return 'revoked';
      continue;
    }
    listed = true;
    if (blob === offered) match = true;
  }
  return match ? 'match' : listed ? 'changed' : 'unknown';
}

/** The user's known_hosts, then the machine's (where administrators deploy host keys), as ssh reads them. */
export function knownHostsFiles(): string[] {
  return [path.join(os.homedir(), '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'];
}

async function readKnownHosts(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return ''; // No file: every host is unknown, as for the ssh client.
  }
}

/** What the last handshake offered: kept so the user can trust exactly that key. */
export interface OfferedKey {
  key: string;
  fingerprint: string;
}

/**
 * One endpoint's host key check, given to ssh2 as `hostVerifier`. Refusals are kept in
 * `refusal` so the provider reports them instead of ssh2's "Host denied".
 */
export class HostKeyCheck {
  refusal: DaasError | null = null;
  offered: OfferedKey | null = null;

  constructor(
    private readonly endpoint: { url: string; sshHostKey?: string | null },
    private readonly files = knownHostsFiles(),
  ) {}

  readonly verify = (blob: Buffer, done: (ok: boolean) => void): void => {
    void this.decide(blob).then(
      (refusal) => {
        this.refusal = refusal;
        done(refusal === null);
      },
      () => done(false),
    );
  };

  private async decide(blob: Buffer): Promise<DaasError | null> {
    const url = new URL(this.endpoint.url);
    const host = knownHostsName(url.hostname, url.port ? Number(url.port) : 22);
    const fingerprint = fingerprintOf(blob);
    this.offered = { key: keyText(blob), fingerprint };
    const pinned = this.endpoint.sshHostKey;
    if (pinned) {
      if (pinned === keyText(blob)) return null;
      const was = fingerprintOf(Buffer.from(pinned.split(' ')[1] ?? '', 'base64'));
      return new DaasError('DOCKER_UNREACHABLE', errorText('error.ssh.hostKeyChanged', { host, fingerprint, pinned: was }), errorText('fix.ssh.hostKeyChanged'));
    }
    const texts = await Promise.all(this.files.map(readKnownHosts));
    const verdict = checkKnownHosts(texts.join('\n'), host, blob);
    if (verdict === 'match') return null;
    if (verdict === 'unknown') return new DaasError('DOCKER_UNREACHABLE', errorText('error.ssh.hostUnknown', { host, fingerprint }), errorText('fix.ssh.trustHostKey'));
    // A different key where known_hosts lists the host, or a revoked one: never offered for trust.
    return new DaasError('DOCKER_UNREACHABLE', errorText('error.ssh.hostKeyChangedKnownHosts', { host, fingerprint, file: this.files.join(' / ') }), errorText('fix.ssh.knownHostsChanged', { host }));
  }
}
