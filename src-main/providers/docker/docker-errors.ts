// Turns dockerode failures into errors a person can act on.
import { DaasError } from '../../../src-shared/errors';
import { errorText, type ErrorTextKey } from '../../../src-shared/error-texts';
import { networkWhy } from '../network-why';

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
  // Another machine's engine: "start Docker here" would be the wrong advice.
  if (/^(tcp|ssh|https?):\/\//.test(endpoint)) {
    return new DaasError(
      'DOCKER_UNREACHABLE',
      errorText('error.docker.unreachableRemote', { endpoint, why: networkWhy(cause) }),
      errorText('fix.docker.checkRemote'),
      { cause },
    );
  }
  return new DaasError(
    'DOCKER_UNREACHABLE',
    errorText('error.docker.unreachable', { endpoint }),
    errorText('fix.docker.start'),
    { cause },
  );
}

export function imageMissing(image: string): DaasError {
  return new DaasError(
    'IMAGE_MISSING',
    errorText('error.image.missing', { image }),
    image.startsWith('daas/desktop') ? errorText('fix.image.buildDesktop') : errorText('fix.image.pullFirst', { image }),
  );
}

const UNREACHABLE = ['ENOENT', 'ECONNREFUSED', 'EACCES', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND'];

/** TLS failures: the certificate was not trusted, or ours was refused. */
function isTlsFailure(e: DockerishError): boolean {
  return Boolean(e.code && (/^(ERR_SSL|ERR_TLS|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|EPROTO)/.test(e.code) || e.code === 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA'));
}

/** Maps any dockerode error; connection-level failures become DOCKER_UNREACHABLE. */
/** What Docker was asked to do, as a key of its translatable words. */
export type DockerOperation = Extract<ErrorTextKey, `op.docker.${string}`>;

export function fromDockerError(err: unknown, endpoint: string, doing: DockerOperation, params: { image?: string } = {}): DaasError {
  if (err instanceof DaasError) return err;
  const e = (err ?? {}) as DockerishError;
  if (isTlsFailure(e)) {
    return new DaasError(
      'DOCKER_UNREACHABLE',
      errorText('error.docker.tlsFailed', { endpoint, code: e.code ?? '' }),
      errorText('fix.docker.checkTls'),
      { cause: err },
    );
  }
  if (e.code && UNREACHABLE.includes(e.code)) return dockerUnreachable(endpoint, err);
  const detail = e.json?.message ?? e.reason ?? e.message ?? 'unknown error';
  return new DaasError('PROVIDER_FAILED', errorText('error.docker.failed', { ...params, doing, detail }), errorText('fix.docker.checkLog'), {
    cause: err,
  });
}
