// The one request/event contract between renderer windows and the main process.
// Electron IPC and the headless WebSocket host are two transports of it.
import { z } from 'zod';
import type { App, Instance } from './model';
import type { ErrorInfo } from './errors';

const id = z.string().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only');

/** Request payload schemas, checked at run time where they cross a process boundary. */
export const requestSchemas = {
  'apps.list': z.object({}).strict(),
  'instances.list': z.object({}).strict(),
  'instances.start': z.object({ appId: id }).strict(),
  'instances.stop': z.object({ instanceId: id }).strict(),
  /** Opens the instance's desktop in its own window. */
  'viewer.open': z.object({ instanceId: id }).strict(),
  /** Issued to a viewer window: a single-use, short-lived tunnel token for one instance. */
  'display.connect': z
    .object({
      instanceId: id,
      width: z.number().int().min(64).max(8192).optional(),
      height: z.number().int().min(64).max(8192).optional(),
    })
    .strict(),
} as const;

export type Channel = keyof typeof requestSchemas;
export const CHANNELS = Object.keys(requestSchemas) as Channel[];

export type RequestOf<C extends Channel> = z.infer<(typeof requestSchemas)[C]>;

/** What a viewer needs to reach the display tunnel. Carries no readable secret. */
export interface DisplayTicket {
  tunnelUrl: string;
  token: string;
}

/**
 * How a host answered `viewer.open`: Electron opens a window itself; a browser
 * client is told which URL to open in a new window.
 */
export type ViewerOpened = { kind: 'opened' } | { kind: 'navigate'; url: string };

export interface Responses {
  'apps.list': App[];
  'instances.list': Instance[];
  'instances.start': Instance;
  'instances.stop': Instance;
  'viewer.open': ViewerOpened;
  'display.connect': DisplayTicket;
}
export type ResponseOf<C extends Channel> = Responses[C];

export interface Events {
  'instance.changed': Instance;
}
export type EventName = keyof Events;
export type DaasEvent = { [E in EventName]: { event: E; payload: Events[E] } }[EventName];

export type Result<T> = { ok: true; result: T } | { ok: false; error: ErrorInfo };

/** The API object the renderer sees as `window.daas`, whatever the transport. */
export interface DaasApi {
  request<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  onEvent(listener: (event: DaasEvent) => void): () => void;
}

/** Validates a channel name and payload from an untrusted sender. */
export function parseRequest(
  channel: unknown,
  payload: unknown,
): { ok: true; channel: Channel; payload: RequestOf<Channel> } | { ok: false; error: ErrorInfo } {
  if (typeof channel !== 'string' || !Object.prototype.hasOwnProperty.call(requestSchemas, channel)) {
    return {
      ok: false,
      error: {
        code: 'INVALID_REQUEST',
        message: `Unknown request "${String(channel).slice(0, 60)}".`,
        action: 'Update DaaS Desktop so its windows and core match.',
      },
    };
  }
  const c = channel as Channel;
  const parsed = requestSchemas[c].safeParse(payload ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length ? issue.path.join('.') : 'request';
    return {
      ok: false,
      error: {
        code: 'INVALID_REQUEST',
        message: `Invalid ${c} request: ${where}: ${issue?.message ?? 'malformed'}.`,
        action: 'Check the values sent and try again.',
      },
    };
  }
  return { ok: true, channel: c, payload: parsed.data };
}

// Wire format of the headless WebSocket transport (Electron IPC carries the same objects).
export type ClientMessage = { type: 'request'; id: number; channel: string; payload: unknown };
export type ServerMessage =
  | ({ type: 'response'; id: number } & Result<unknown>)
  | ({ type: 'event' } & DaasEvent);

/** Electron IPC channel names. */
export const IPC_REQUEST = 'daas:request';
export const IPC_EVENT = 'daas:event';
