// What a request handler is: one function per contract channel, given the request as
// parseRequest validated it.
import type { Channel, RequestOf, Responses, ViewerOpened } from '../../src-shared/contract';
import type { ClientLink } from '../lifecycle/terminals';

export type { ClientLink };

/** What only the host (Electron or headless) can do. */
export interface HostActions {
  openViewer(instanceId: string): Promise<ViewerOpened>;
  /** The window the request came from: what a terminal streams to and ends with. */
  client?: ClientLink;
}

/** The handlers of some channels (all of them, by default). */
export type Handlers<C extends Channel = Channel> = { [K in C]: (payload: RequestOf<K>, host: HostActions) => Promise<Responses[K]> };

/** The channels whose names start with `area.`. */
export type AreaChannel<Area extends string> = Extract<Channel, `${Area}.${string}`>;
