// A typed request that unwraps Result and throws DaasError on failure.
import type { Channel, RequestOf, ResponseOf, Result } from '../../src-shared/contract';
import { DaasError } from '../../src-shared/errors';
import { getApi } from './get-api';

export async function call<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>> {
  let result: Result<ResponseOf<C>>;
  try {
    result = await getApi().request(channel, payload);
  } catch (err) {
    throw new DaasError(
      'INTERNAL',
      'DaaS Desktop did not answer the request.',
      'Try again; if it keeps happening, restart DaaS Desktop.',
      { cause: err },
    );
  }
  if (result.ok) return result.result;
  throw DaasError.fromInfo(result.error);
}
