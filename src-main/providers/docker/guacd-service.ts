// The guacd runner the display layer asks for (display/guacd/guacd-runner.ts): guacd as a
// container on this computer's engine (guacd-container.ts), reaching the desktops of the same
// engine over its own network.
import Docker from 'dockerode';
import type { GuacdRunner } from '../../display/guacd/guacd-runner';
import { LOCAL_ENDPOINT_ID } from './docker-endpoint';
import { GuacdContainer } from './guacd-container';

export interface LocalGuacdOptions {
  /** This computer's engine: guacd's published port must be this machine's 127.0.0.1. */
  socketPath: string;
  /** The installation id: one guacd container per data folder. */
  owner: string;
}

export function localGuacdRunner({ socketPath, owner }: LocalGuacdOptions): GuacdRunner {
  return {
    async start(image) {
      const guacd = await GuacdContainer.start({ docker: new Docker({ socketPath }), image, owner });
      return {
        host: guacd.host,
        port: guacd.port,
        dialsFrom: guacd.networkAddress,
        // Only a container of this engine can join guacd's network; anything else is dialled by address.
        reach: async ({ provider, endpointId, resourceId }) =>
          provider === 'docker' && (endpointId ?? LOCAL_ENDPOINT_ID) === LOCAL_ENDPOINT_ID && resourceId ? guacd.reach(resourceId) : undefined,
        stop: () => guacd.stop(),
      };
    },
  };
}
