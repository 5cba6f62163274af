export { startGateway } from './gateway-server';
export type { Gateway, GatewayOptions } from './gateway-server';
export { GuacStatus } from './status';
