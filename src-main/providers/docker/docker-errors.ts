// Turns dockerode failures into errors a person can act on.
import { DaasError } from '../../../src-shared/errors';

interface DockerishError {
  code?: string;
  statusCode?: number;
  reason?: string;
  json?: { message?: string } | null;
  message?: string;
}

export function isNotFound(err: unknown): boolean {
  return (err as DockerishError | null)?.statusCode === 404;
}

export function dockerUnreachable(endpoint: string, cause?: unknown): DaasError {
  return new DaasError(
    'DOCKER_UNREACHABLE',
    `Docker cannot be reached at ${endpoint}.`,
    'Start Docker (for example "sudo systemctl start docker"), or check the Docker endpoint in the settings, then try again.',
    { cause },
  );
}

export function imageMissing(image: string): DaasError {
  return new DaasError(
    'IMAGE_MISSING',
    `The image ${image} is not on this Docker host.`,
    image.startsWith('daas/desktop')
      ? 'Build it with "resources/images/desktop/build-offline.sh" (no registry needed) or "docker build -t daas/desktop resources/images/desktop".'
      : `Pull or build it first, for example "docker pull ${image}".`,
  );
}

const UNREACHABLE = ['ENOENT', 'ECONNREFUSED', 'EACCES', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND'];

/** TLS failures: the certificate was not trusted, or ours was refused. */
function isTlsFailure(e: DockerishError): boolean {
  return Boolean(e.code && (/^(ERR_SSL|ERR_TLS|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|EPROTO)/.test(e.code) || e.code === 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA'));
}

/** Maps any dockerode error; connection-level failures become DOCKER_UNREACHABLE. */
export function fromDockerError(err: unknown, endpoint: string, doing: string): DaasError {
  if (err instanceof DaasError) return err;
  const e = (err ?? {}) as DockerishError;
  if (isTlsFailure(e)) {
    return new DaasError(
      'DOCKER_UNREACHABLE',
      `The TLS connection to Docker at ${endpoint} failed (${e.code}).`,
      "Check the endpoint's TLS CA, certificate and key in the settings.",
      { cause: err },
    );
  }
  if (e.code && UNREACHABLE.includes(e.code)) return dockerUnreachable(endpoint, err);
  const detail = e.json?.message ?? e.reason ?? e.message ?? 'unknown error';
  return new DaasError('PROVIDER_FAILED', `Docker could not ${doing}: ${detail}.`, 'Check the Docker daemon log, then try again.', {
    cause: err,
  });
}
