// A Docker endpoint (local socket, tcp:// with optional TLS, ssh://) as dockerode options.
import type Docker from 'dockerode';
import { dialHost, refusePlainTcp } from '../../../src-shared/docker-endpoint-url';
import type { DockerEndpointConfig } from '../../../src-shared/endpoint-config';
import type { HostKeyCheck } from './ssh-host-key';

export type { DockerEndpointConfig };

export const LOCAL_ENDPOINT_ID = 'local';

/** `hostKeys` checks the server of an ssh:// endpoint (required for ssh://). */
export function dockerOptions(endpoint: DockerEndpointConfig, hostKeys?: HostKeyCheck): Docker.DockerOptions {
  const url = new URL(endpoint.url);
  switch (url.protocol) {
    case 'unix:':
      return { socketPath: decodeURIComponent(url.pathname) };
    case 'tcp:':
      // Refused when saved, and again here for rows an older version stored.
      refusePlainTcp(endpoint.url, endpoint.tls !== null);
      return endpoint.tls
        ? { protocol: 'https', host: dialHost(url.hostname), port: Number(url.port), ...endpoint.tls }
        : { protocol: 'http', host: dialHost(url.hostname), port: Number(url.port) };
    case 'ssh:':
      if (!hostKeys) throw new Error('an ssh:// endpoint needs its host key check');
      return {
        protocol: 'ssh',
        host: url.hostname,
        port: url.port ? Number(url.port) : 22,
        username: decodeURIComponent(url.username) || undefined,
        // Keys come from the user's SSH agent, as with the docker CLI.
        sshOptions: { agent: process.env.SSH_AUTH_SOCK, hostVerifier: hostKeys.verify },
      };
    default:
      throw new Error(`unsupported Docker endpoint ${endpoint.url}`);
  }
}
