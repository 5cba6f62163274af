// Terminals inside running containers: each request names the window it came from.
import type { Terminals } from '../lifecycle/terminals';
import type { AreaChannel, Handlers } from './handler-types';

export function terminalHandlers(terminals: Terminals): Handlers<AreaChannel<'terminal'>> {
  return {
    'terminal.open': ({ instanceId, cols, rows }, host) => terminals.open(instanceId, { cols, rows }, host.client),
    'terminal.input': async ({ terminalId, data }, host) => {
      terminals.input(terminalId, data, host.client);
      return { written: true };
    },
    'terminal.resize': async ({ terminalId, cols, rows }, host) => {
      await terminals.resize(terminalId, cols, rows, host.client);
      return { resized: true };
    },
    'terminal.close': async ({ terminalId }, host) => {
      await terminals.close(terminalId, host.client);
      return { closed: true };
    },
  };
}
