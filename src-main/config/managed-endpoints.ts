// The policy's dockerEndpoints and proxmoxEndpoints as managed endpoints: applied at every
// start like policy apps, shown as managed, never edited or deleted in the app. Docker
// TLS material is read from the files the policy names (each start, never copied to the
// store); a Proxmox endpoint's token secret is each user's own (entered in Settings).
import fs from 'node:fs/promises';
import { DaasError } from '../../src-shared/errors';
import { errorText } from '../../src-shared/error-texts';
import type { DockerEndpointConfig } from '../providers/docker/docker-endpoint';
import type { StoredProxmoxEndpoint } from '../store/proxmox-endpoints-repository';
import type { PolicyDockerEndpoint, PolicyProxmoxEndpoint } from './policy-schema';

export interface ManagedDockerEndpoint {
  config: DockerEndpointConfig;
  /** Why it cannot be used (a TLS file the policy names is unreadable), or null. */
  refusal: DaasError | null;
}

async function readTls(entry: PolicyDockerEndpoint): Promise<DockerEndpointConfig['tls'] | DaasError> {
  if (!entry.tls) return null;
  const read = async (file: string) => {
    try {
      return await fs.readFile(file, 'utf8');
    } catch (err) {
      const detail = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      return new DaasError('PROVIDER_FAILED', errorText('error.endpoint.policyFileUnreadable', { endpointId: entry.id, file, detail }), errorText('fix.askAdmin'));
    }
  };
  const [ca, cert, key] = await Promise.all([read(entry.tls.caFile), read(entry.tls.certFile), read(entry.tls.keyFile)]);
  for (const part of [ca, cert, key]) if (part instanceof DaasError) return part;
  return { ca: ca as string, cert: cert as string, key: key as string };
}

export async function managedDockerEndpoints(entries: readonly PolicyDockerEndpoint[]): Promise<ManagedDockerEndpoint[]> {
  return Promise.all(
    entries.map(async (entry) => {
      const tls = await readTls(entry);
      const config: DockerEndpointConfig = { id: entry.id, name: entry.name, url: entry.url, tls: tls instanceof DaasError ? null : tls };
      return { config, refusal: tls instanceof DaasError ? tls : null };
    }),
  );
}

/**
 * A policy Proxmox endpoint over what the user stored for it (their secret): the policy's
 * name, address, certificate pin and token id win. Null until the user has entered a secret.
 */
export function applyProxmoxPolicy(entry: PolicyProxmoxEndpoint, stored: StoredProxmoxEndpoint | undefined): StoredProxmoxEndpoint | null {
  if (!stored) return null;
  const secret = 'tokenId' in stored.auth ? stored.auth.secret : stored.auth.password;
  return {
    id: entry.id,
    name: entry.name,
    url: entry.url,
    auth: entry.tokenId ? { tokenId: entry.tokenId, secret } : stored.auth,
    ...(entry.fingerprintSha256 ? { tls: { fingerprintSha256: entry.fingerprintSha256 } } : {}),
  };
}
