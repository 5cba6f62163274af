// The contract over a WebSocket to the headless host: request ids, responses, pushed events.
// The host authenticates the socket with the HttpOnly cookie it set when the page was
// first opened; this code never sees that token.
import { MAX_REQUEST_BYTES } from '../../src-shared/contract';
import type {
  Channel,
  ClientMessage,
  DaasApi,
  DaasEvent,
  RequestOf,
  ResponseOf,
  Result,
} from '../../src-shared/contract';
import type { ErrorCode, ErrorInfo } from '../../src-shared/errors';
import { DaasError, ERROR_CODES, parseErrorTextRef } from '../../src-shared/errors';
import { errorText } from '../../src-shared/error-texts';
import type { ConnectionMonitor, ConnectionStatus } from './connection';

// Made in this window, but keyed like the core's errors so they follow the interface language.
export const LOST_CONNECTION: ErrorInfo = new DaasError('INTERNAL', errorText('error.connection.lost'), errorText('fix.connection.lost')).toInfo();

export const UNREACHABLE: ErrorInfo = new DaasError('INTERNAL', errorText('error.connection.unreachable'), errorText('fix.connection.unreachable')).toInfo();

const MALFORMED_ERROR: ErrorInfo = new DaasError('INTERNAL', errorText('error.connection.malformed'), errorText('fix.connection.malformed')).toInfo();

/** UTF-8 size of a message; exact only when it might be over `limit` (3 bytes per UTF-16 unit at most). */
function overLimit(data: string, limit: number): number | undefined {
  if (data.length * 3 <= limit) return undefined;
  const bytes = new TextEncoder().encode(data).length;
  return bytes > limit ? bytes : undefined;
}

const megabytes = (bytes: number): number => Math.ceil(bytes / (1024 * 1024));

export interface WsTransportOptions {
  /** Creates the socket; replaceable in tests. */
  createSocket?: (url: string) => WebSocket;
  /** First reconnect delay; doubles per failed attempt up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

interface PendingRequest {
  data: string;
  sent: boolean;
  resolve: (result: Result<unknown>) => void;
}

export function apiSocketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`;
}

export class WsTransport implements DaasApi, ConnectionMonitor {
  private readonly createSocket: (url: string) => WebSocket;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;

  private socket: WebSocket | null = null;
  private socketOpened = false;
  private everConnected = false;
  private failedAttempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private nextId = 1;
  private current: ConnectionStatus = { state: 'connecting', everConnected: false, failures: 0 };

  private readonly pending = new Map<number, PendingRequest>();
  private readonly eventListeners = new Set<(event: DaasEvent) => void>();
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();

  constructor(
    private readonly url: string,
    options: WsTransportOptions = {},
  ) {
    this.createSocket = options.createSocket ?? ((u) => new WebSocket(u));
    this.initialDelayMs = options.initialDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 10_000;
    this.connect();
  }

  request<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<Result<ResponseOf<C>>> {
    return new Promise<Result<ResponseOf<C>>>((resolve) => {
      const id = this.nextId++;
      const message: ClientMessage = { type: 'request', id, channel, payload };
      const data = JSON.stringify(message);
      // The host closes the socket on a message over the limit; refuse it here, with a reason.
      const size = overLimit(data, MAX_REQUEST_BYTES);
      if (size !== undefined) {
        const error = new DaasError(
          'INVALID_REQUEST',
          errorText('error.connection.tooLarge', { megabytes: megabytes(size), maxMegabytes: megabytes(MAX_REQUEST_BYTES) }),
          errorText('fix.connection.tooLarge'),
        );
        resolve({ ok: false, error: error.toInfo() });
        return;
      }
      const entry: PendingRequest = {
        data,
        sent: false,
        resolve: resolve as (result: Result<unknown>) => void,
      };
      this.pending.set(id, entry);
      if (this.socket && this.socketOpened) this.send(entry);
      else if (this.current.state === 'closed') this.retryNow();
      // Otherwise a connection attempt is under way; the request goes out when it opens.
    });
  }

  onEvent(listener: (event: DaasEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => {
      this.eventListeners.delete(listener);
    };
  }

  status(): ConnectionStatus {
    return this.current;
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => {
      this.statusListeners.delete(listener);
    };
  }

  retryNow(): void {
    if (this.current.state !== 'closed') return;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.connect();
  }

  private connect(): void {
    this.setStatus({ state: 'connecting', everConnected: this.everConnected, failures: this.failedAttempts });
    let socket: WebSocket;
    try {
      socket = this.createSocket(this.url);
    } catch {
      this.socket = null;
      this.handleClosed(false);
      return;
    }
    this.socket = socket;
    this.socketOpened = false;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.socketOpened = true;
      this.everConnected = true;
      this.failedAttempts = 0;
      this.setStatus({ state: 'open' });
      for (const entry of this.pending.values()) if (!entry.sent) this.send(entry);
    };
    socket.onmessage = (event: MessageEvent) => {
      if (this.socket !== socket) return;
      this.handleMessage(event.data);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      const wasOpen = this.socketOpened;
      this.socket = null;
      this.socketOpened = false;
      this.handleClosed(wasOpen);
    };
    // An error is always followed by close, which does the work.
    socket.onerror = () => undefined;
  }

  private send(entry: PendingRequest): void {
    try {
      this.socket?.send(entry.data);
      entry.sent = true;
    } catch {
      // The socket is closing; its close handler fails the request.
    }
  }

  private handleClosed(wasOpen: boolean): void {
    const error = wasOpen ? LOST_CONNECTION : UNREACHABLE;
    const failed = [...this.pending.values()];
    this.pending.clear();
    for (const entry of failed) entry.resolve({ ok: false, error });

    const base = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** this.failedAttempts);
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.failedAttempts += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
    this.setStatus({ state: 'closed', everConnected: this.everConnected, retryAt: Date.now() + delay });
  }

  private handleMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      console.warn('DaaS Desktop: ignored a message that is not JSON.');
      return;
    }
    if (!isRecord(message)) return;

    if (message.type === 'response' && typeof message.id === 'number') {
      const entry = this.pending.get(message.id);
      if (!entry) return;
      this.pending.delete(message.id);
      if (message.ok === true) entry.resolve({ ok: true, result: message.result });
      else entry.resolve({ ok: false, error: toErrorInfoShape(message.error) });
      return;
    }

    if (message.type === 'event' && typeof message.event === 'string') {
      const event = { event: message.event, payload: message.payload } as DaasEvent;
      for (const listener of [...this.eventListeners]) {
        try {
          listener(event);
        } catch (err) {
          console.error('DaaS Desktop: an event listener failed.', err);
        }
      }
    }
  }

  private setStatus(status: ConnectionStatus): void {
    this.current = status;
    for (const listener of [...this.statusListeners]) listener(status);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toErrorInfoShape(value: unknown): ErrorInfo {
  if (!isRecord(value) || typeof value.message !== 'string') return MALFORMED_ERROR;
  const code = (ERROR_CODES as readonly string[]).includes(value.code as string)
    ? (value.code as ErrorCode)
    : 'INTERNAL';
  const info: ErrorInfo = { code, message: value.message, action: typeof value.action === 'string' ? value.action : '' };
  const messageText = parseErrorTextRef(value.messageText);
  const actionText = parseErrorTextRef(value.actionText);
  if (messageText) info.messageText = messageText;
  if (actionText) info.actionText = actionText;
  return info;
}
