// The Docker endpoint form. TLS material is write-only: the form starts with empty
// boxes, and leaving them empty keeps what the main process stores.
import { requestSchemas, type DockerEndpointView, type RequestOf } from '../../src-shared/contract';
import { t, type MessageKey } from '../i18n/i18n';
import { issueMessage } from './zod-messages';

export interface DockerEndpointFormValues {
  name: string;
  url: string;
  ca: string;
  cert: string;
  key: string;
  /** Editing an endpoint that has TLS: drop its certificates. */
  removeTls: boolean;
}

export type DockerEndpointField = 'name' | 'url' | 'ca' | 'cert' | 'key';
export type DockerEndpointFormErrors = Partial<Record<DockerEndpointField, string>>;

export const DOCKER_ENDPOINT_FIELDS: readonly DockerEndpointField[] = ['name', 'url', 'ca', 'cert', 'key'];

const TLS_MISSING: Record<'ca' | 'cert' | 'key', MessageKey> = {
  ca: 'form.tlsCaMissing',
  cert: 'form.tlsCertMissing',
  key: 'form.tlsKeyMissing',
};

export function emptyDockerEndpointForm(): DockerEndpointFormValues {
  return { name: '', url: 'tcp://', ca: '', cert: '', key: '', removeTls: false };
}

export function formFromDockerEndpoint(endpoint: DockerEndpointView): DockerEndpointFormValues {
  return { name: endpoint.name, url: endpoint.url, ca: '', cert: '', key: '', removeTls: false };
}

/** Whether TLS certificates apply to this address. */
export function usesTls(url: string): boolean {
  return url.trim().startsWith('tcp://');
}

export function buildDockerEndpointSave(
  values: DockerEndpointFormValues,
  existing: DockerEndpointView | null,
): { request: RequestOf<'docker.endpoints.save'>; errors: DockerEndpointFormErrors } {
  const errors: DockerEndpointFormErrors = {};
  const request: RequestOf<'docker.endpoints.save'> = { name: values.name, url: values.url };
  if (existing) request.id = existing.id;

  const tls = { ca: values.ca.trim(), cert: values.cert.trim(), key: values.key.trim() };
  const given = (Object.keys(tls) as (keyof typeof tls)[]).filter((k) => tls[k] !== '');
  if (values.removeTls && existing?.hasTls) {
    request.tls = null;
  } else if (given.length === 3) {
    request.tls = tls;
  } else if (given.length > 0) {
    for (const k of Object.keys(tls) as (keyof typeof tls)[]) {
      if (tls[k] === '') errors[k] = t(TLS_MISSING[k] as 'form.tlsCaMissing');
    }
  }
  // Nothing pasted: omitted, so the stored certificates (if any) are kept.

  const parsed = requestSchemas['docker.endpoints.save'].safeParse(request);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [top, second] = issue.path;
      const field: DockerEndpointField =
        top === 'tls' && (second === 'ca' || second === 'cert' || second === 'key') ? second : top === 'url' ? 'url' : 'name';
      if (errors[field] === undefined) errors[field] = issueMessage(issue);
    }
  }
  return { request, errors };
}
