// A small typed Proxmox VE API client: API token or ticket authentication (the ticket is
// renewed before it expires and, once, transparently after a 401), Proxmox's envelope and
// errors, task waiting with progress, permission checks in plain words, console WebSockets.
import { WebSocket } from 'ws';
import { englishErrorText, errorText, type ErrorText } from '../../../src-shared/error-texts';
import { fromHttpError, PRIVILEGE_PURPOSE, ProxmoxError, proxmoxOp, proxmoxWho, requestTimeout, type Privilege, type ProxmoxDoing, type ProxmoxWho } from './proxmox-errors';
import { HttpAnswer, ProxmoxHttp } from './proxmox-http';
import { isTokenAuth, ProxmoxEndpoint, ProxmoxPasswordAuth, validateEndpoint } from './proxmox-settings';
import { describeTaskFailure, isTaskOk, parseUpid, TaskStatus } from './proxmox-tasks';

export type ParamValue = string | number | boolean | undefined;
export type ApiParams = Record<string, ParamValue>;
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ProxmoxClientOptions {
  /** Per request; must exceed the 3 s Proxmox waits before answering a 401. Default 30 s. */
  requestTimeoutMs?: number;
  /** Tickets live 2 h; renew after this long (default 90 min). */
  ticketRenewAfterMs?: number;
  log?: (message: string) => void;
}

export interface TaskProgress {
  upid: string;
  type: string;
  /** Log lines that appeared since the last report. */
  lines: string[];
  elapsedMs: number;
}

export interface WaitForTaskOptions {
  timeoutMs: number;
  onProgress?: (progress: TaskProgress) => void;
  /** For messages: what the task does (op.proxmox.cloneVm). */
  doing?: ProxmoxDoing;
  /** First poll interval (default 100 ms); grows to 1 s. */
  pollMs?: number;
}

export interface MissingPrivilege {
  privilege: string;
  path: string;
  /** What cannot be done without it, in plain words (English). */
  purpose: string;
  /** Needed for every VM app, or only for some features. */
  required: boolean;
  /** Paths below where it is granted (some VMs or pools), if any. */
  grantedOn: string[];
}

export interface ConnectionReport {
  version: string;
  release: string;
  /** "the API token daas@pve!desk" or "the user alice@pve". */
  who: string;
  missing: MissingPrivilege[];
  /** Sentences for the settings page: the version, then each missing privilege (English). */
  summary: string[];
  /** The same sentences, translatable (key and parameters). */
  summaryText: ErrorText[];
}

interface Ticket {
  value: string;
  csrf: string;
  obtainedAt: number;
}

const REQUIRED: Array<[Privilege, string]> = [
  ['VM.Audit', '/vms'],
  ['VM.Clone', '/vms'],
  ['VM.Allocate', '/vms'],
  ['VM.Config.Options', '/vms'],
  ['VM.PowerMgmt', '/vms'],
  ['VM.Console', '/vms'],
  // Proxmox checks it on every disk's storage for every clone, linked ones too.
  ['Datastore.AllocateSpace', '/storage'],
  // Since PVE 8.0 a clone checks it on each bridge the template's NICs use.
  ['SDN.Use', '/sdn/zones/localnetwork'],
];
const OPTIONAL: Array<[Privilege, string]> = [
  ['Sys.Audit', '/nodes'],
  ['VM.GuestAgent.Audit', '/vms'],
];
/**
 * Privileges that stand in for one: the guest agent needs VM.Monitor before PVE 9.0 (which
 * replaced it with VM.GuestAgent.*), and VM.GuestAgent.Unrestricted covers the audit one.
 */
const ALTERNATIVES: Partial<Record<Privilege, string[]>> = {
  'VM.GuestAgent.Audit': ['VM.GuestAgent.Unrestricted', 'VM.Monitor'],
};

/** The name Proxmox of this release gives a privilege (VM.Monitor for the agent before 9.0). */
function privilegeFor(privilege: Privilege, release: string): Privilege {
  return privilege === 'VM.GuestAgent.Audit' && Number.parseInt(release, 10) < 9 ? 'VM.Monitor' : privilege;
}

/** Pauses before repeating a call that met a passing failure (4 more tries, ~4 s in all). */
const RETRY_DELAYS_MS = [250, 500, 1_000, 2_000];

/** 500, 502, 503, 504: Proxmox (or a proxy before it) could not answer just now. */
function isPassingStatus(status: number): boolean {
  return status >= 500 && status <= 504 && status !== 501;
}

/** A failure that the same request may not meet a moment later. */
function isPassingFailure(err: unknown): boolean {
  if (!(err instanceof ProxmoxError)) return false;
  if (err.status !== undefined) return isPassingStatus(err.status);
  // A keep-alive socket the server closed as the request went out (pveproxy closes after 5 s idle).
  const code = (err.cause as { code?: string } | undefined)?.code;
  return err.kind === 'unreachable' && (code === 'ECONNRESET' || code === 'EPIPE');
}

function encodeParams(params: ApiParams): string {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    out.append(k, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  }
  return out.toString();
}

interface Envelope {
  data?: unknown;
  message?: unknown;
  errors?: unknown;
}

function parseEnvelope(text: string): Envelope | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Envelope) : null;
  } catch {
    return null;
  }
}

export class ProxmoxClient {
  readonly endpoint: ProxmoxEndpoint;
  private readonly http: ProxmoxHttp;
  private readonly requestTimeoutMs: number;
  private readonly renewAfterMs: number;
  private ticket: Ticket | undefined;
  private obtaining: Promise<Ticket> | undefined;
  /** Counters, for diagnostics and tests. */
  readonly stats = { logins: 0, renewals: 0, reloginsAfter401: 0, retries: 0 };

  constructor(endpoint: ProxmoxEndpoint, private readonly options: ProxmoxClientOptions = {}) {
    this.endpoint = validateEndpoint(endpoint);
    this.http = new ProxmoxHttp(this.endpoint.url, this.endpoint.tls);
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.renewAfterMs = options.ticketRenewAfterMs ?? 90 * 60_000;
  }

  /** Names the credentials in messages. */
  get who(): string {
    const who = this.whoParams;
    return englishErrorText(who.who, who);
  }

  /** Names the credentials in translatable messages: `{{who}}` and its parameters. */
  get whoParams(): ProxmoxWho {
    return proxmoxWho(this.endpoint.auth);
  }

  get baseUrl(): string {
    return this.endpoint.url;
  }

  get<T>(path: string, params: ApiParams = {}, doing?: ProxmoxDoing): Promise<T> {
    return this.call<T>('GET', path, params, doing);
  }

  post<T>(path: string, params: ApiParams = {}, doing?: ProxmoxDoing): Promise<T> {
    return this.call<T>('POST', path, params, doing);
  }

  put<T>(path: string, params: ApiParams = {}, doing?: ProxmoxDoing): Promise<T> {
    return this.call<T>('PUT', path, params, doing);
  }

  delete<T>(path: string, params: ApiParams = {}, doing?: ProxmoxDoing): Promise<T> {
    return this.call<T>('DELETE', path, params, doing);
  }

  /**
   * One API call. Proxmox answers in bursts of 500 while its cluster file system or quorum
   * is away, and of 401 while tickets stop verifying: a read, or a login, that meets such an
   * answer (or a keep-alive socket the server just closed) is repeated after a pause; a 401
   * on a ticket leads to a fresh login and a repeat of the call, writes included (a refused
   * request did not run). A write answered 500 is not repeated: it may have run.
   */
  async call<T>(
    method: Method,
    path: string,
    params: ApiParams = {},
    doing: ProxmoxDoing = proxmoxOp('op.proxmox.call', { method, apiPath: path }),
    /** `answerOnce`: a 500 is the answer, not a passing state (the guest agent's "no such file"). */
    options: { answerOnce?: boolean } = {},
  ): Promise<T> {
    const encoded = encodeParams(params);
    const withBody = method === 'POST' || method === 'PUT';
    // A ticket that worked was refused: logins answered 401 are then part of the same burst.
    let refused = false;
    let resetRepeated = false;
    for (let attempt = 0; ; attempt++) {
      const canRetry = attempt < RETRY_DELAYS_MS.length;
      let headers: Record<string, string>;
      try {
        headers = await this.authHeaders(method);
      } catch (err) {
        if (canRetry && (isPassingFailure(err) || (refused && err instanceof ProxmoxError && err.kind === 'auth'))) {
          await this.pause(attempt, `logging in: ${(err as Error).message}`);
          continue;
        }
        throw err;
      }
      let answer: HttpAnswer;
      try {
        answer = await this.http.request({
          method,
          path: `/api2/json${path}${!withBody && encoded ? `?${encoded}` : ''}`,
          headers,
          form: withBody ? encoded : undefined,
          timeoutMs: this.requestTimeoutMs,
          what: doing,
        });
      } catch (err) {
        // A reset: the server closed the kept-alive socket as the request went out (pveproxy
        // does after 5 s idle), so it did not run. Reads are repeated; writes that are safe to
        // repeat (PUT, DELETE) once; a POST (clone, start) may have run and is not.
        const repeatable = method === 'GET' || ((method === 'PUT' || method === 'DELETE') && !resetRepeated);
        if (canRetry && repeatable && isPassingFailure(err)) {
          if (method !== 'GET') resetRepeated = true;
          await this.pause(attempt, (err as Error).message);
          continue;
        }
        throw err;
      }
      if (answer.status === 401 && !isTokenAuth(this.endpoint.auth) && canRetry) {
        this.stats.reloginsAfter401++;
        this.options.log?.(`Proxmox answered 401 (${answer.reason}); logging in again`);
        this.ticket = undefined;
        if (refused) await this.pause(attempt, 'still 401');
        refused = true;
        continue;
      }
      if (canRetry && !options.answerOnce && method === 'GET' && isPassingStatus(answer.status)) {
        await this.pause(attempt, `${answer.status} ${answer.reason}`);
        continue;
      }
      return this.unwrap<T>(answer, doing);
    }
  }

  private async pause(attempt: number, why: string): Promise<void> {
    this.stats.retries++;
    this.options.log?.(`Proxmox: ${why}; trying again`);
    await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[attempt]));
  }

  /** Headers that authenticate a request (the ticket cookie, plus CSRF token for writes). */
  async authHeaders(method: Method = 'GET'): Promise<Record<string, string>> {
    const auth = this.endpoint.auth;
    if (isTokenAuth(auth)) return { Authorization: `PVEAPIToken=${auth.tokenId}=${auth.secret}` };
    const ticket = await this.validTicket();
    const headers: Record<string, string> = { Cookie: `PVEAuthCookie=${encodeURIComponent(ticket.value)}` };
    if (method !== 'GET') headers.CSRFPreventionToken = ticket.csrf;
    return headers;
  }

  private unwrap<T>(answer: HttpAnswer, doing: ProxmoxDoing): T {
    const isJson = /^application\/json/i.test(answer.contentType);
    const body = isJson ? parseEnvelope(answer.body) : null;
    if (answer.status >= 200 && answer.status < 300) {
      if (!body || !('data' in body)) {
        throw new ProxmoxError(
          'api',
          errorText('error.proxmox.notAnApi', { url: this.endpoint.url, contentType: answer.contentType || 'no content type' }),
          errorText('fix.proxmox.checkUrl'),
        );
      }
      return body.data as T;
    }
    throw fromHttpError(answer.status, answer.reason, body, { url: this.endpoint.url, who: this.whoParams, doing });
  }

  // ---- tickets ------------------------------------------------------------------------------

  private async validTicket(): Promise<Ticket> {
    if (this.ticket && Date.now() - this.ticket.obtainedAt < this.renewAfterMs) return this.ticket;
    if (!this.obtaining) {
      this.obtaining = this.obtainTicket().finally(() => (this.obtaining = undefined));
    }
    return this.obtaining;
  }

  private async obtainTicket(): Promise<Ticket> {
    const auth = this.endpoint.auth as ProxmoxPasswordAuth;
    const old = this.ticket;
    if (old) {
      // Renewal: Proxmox accepts a valid ticket in place of the password.
      try {
        this.ticket = await this.login(auth.username, old.value);
        this.stats.renewals++;
        return this.ticket;
      } catch (err) {
        if (!(err instanceof ProxmoxError && err.kind === 'auth')) throw err;
      }
    }
    this.ticket = await this.login(auth.username, auth.password);
    this.stats.logins++;
    return this.ticket;
  }

  private async login(username: string, password: string): Promise<Ticket> {
    const answer = await this.http.request({
      method: 'POST',
      path: '/api2/json/access/ticket',
      form: encodeParams({ username, password }),
      timeoutMs: this.requestTimeoutMs,
      what: proxmoxOp('op.proxmox.logIn'),
    });
    const data = this.unwrap<{ ticket?: string; CSRFPreventionToken?: string; NeedTFA?: number }>(answer, proxmoxOp('op.proxmox.logIn'));
    // A second factor: the ticket is only half of one, and every call with it is refused.
    if (data?.NeedTFA) throw new ProxmoxError('auth', errorText('error.proxmox.needsTfa', { ...this.whoParams }), errorText('fix.proxmox.useToken'));
    if (!data?.ticket || !data.CSRFPreventionToken) {
      throw new ProxmoxError('auth', errorText('error.proxmox.noTicket', { ...this.whoParams }), errorText('fix.proxmox.useToken'));
    }
    return { value: data.ticket, csrf: data.CSRFPreventionToken, obtainedAt: Date.now() };
  }

  // ---- tasks --------------------------------------------------------------------------------

  async taskStatus(upid: string): Promise<TaskStatus> {
    const { node } = parseUpid(upid);
    return this.get<TaskStatus>(`/nodes/${encodeURIComponent(node)}/tasks/${encodeURIComponent(upid)}/status`, {}, proxmoxOp('op.proxmox.readTaskStatus'));
  }

  /** Log lines from `start` (0-based). */
  async taskLog(upid: string, start = 0, limit = 500): Promise<string[]> {
    const { node } = parseUpid(upid);
    const lines = await this.get<Array<{ n: number; t: string }>>(
      `/nodes/${encodeURIComponent(node)}/tasks/${encodeURIComponent(upid)}/log`,
      { start, limit },
      proxmoxOp('op.proxmox.readTaskLog'),
    );
    return lines.map((l) => l.t);
  }

  /**
   * Polls a task until it stops. Resolves with its status when Proxmox says OK (or only
   * warnings); otherwise throws a ProxmoxError carrying Proxmox's own exit status.
   */
  async waitForTask(upid: string, options: WaitForTaskOptions): Promise<TaskStatus> {
    const info = parseUpid(upid);
    const doing = options.doing ?? proxmoxOp('op.proxmox.finishTask', { taskType: info.type, taskId: info.id });
    const started = Date.now();
    const deadline = started + options.timeoutMs;
    let delay = options.pollMs ?? 100;
    let seen = 0;
    for (;;) {
      const status = await this.taskStatus(upid);
      if (options.onProgress) {
        const lines = (await this.taskLog(upid, seen).catch(() => [])).filter((l) => l !== 'no content');
        if (lines.length > 0) {
          seen += lines.length;
          options.onProgress({ upid, type: info.type, lines, elapsedMs: Date.now() - started });
        }
      }
      if (status.status === 'stopped') {
        if (isTaskOk(status.exitstatus)) return status;
        const log = await this.taskLog(upid, 0, 1000).catch(() => [] as string[]);
        throw describeTaskFailure(upid, status.exitstatus ?? 'unknown error', doing, log.slice(-20), this.whoParams);
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new ProxmoxError(
          'timeout',
          errorText('error.proxmox.taskTimeout', { ...doing, seconds: Math.round(options.timeoutMs / 1000), upid }),
          errorText('fix.proxmox.lookAtTask'),
          { upid },
        );
      }
      await new Promise((r) => setTimeout(r, Math.min(delay, left)));
      delay = Math.min(Math.round(delay * 1.5), 1000);
    }
  }

  // ---- connection test ------------------------------------------------------------------------

  /** Version, and which privileges DaaS Desktop would miss, in plain words. */
  async testConnection(): Promise<ConnectionReport> {
    const version = await this.get<{ version: string; release: string }>('/version', {}, proxmoxOp('op.proxmox.tellVersion'));
    const perms = await this.get<Record<string, Record<string, number>>>('/access/permissions', {}, proxmoxOp('op.proxmox.listPermissions'));
    const auth = this.endpoint.auth;
    const lines: ErrorText[] = [
      isTokenAuth(auth)
        ? errorText('report.proxmox.connectedToken', { version: version.version, tokenId: auth.tokenId })
        : errorText('report.proxmox.connectedUser', { version: version.version, username: auth.username }),
    ];
    const missing: MissingPrivilege[] = [];
    for (const [list, required] of [[REQUIRED, true], [OPTIONAL, false]] as const) {
      for (const [wanted, path] of list) {
        const privilege = privilegeFor(wanted, version.release);
        const names = [wanted, ...(ALTERNATIVES[wanted] ?? [])];
        const holds = (privs: Record<string, number> | undefined) => names.some((name) => privs?.[name]);
        // Granted on the path or a parent: fine. Only on some VMs or pools below: say where.
        const parents = ['/', ...path.split('/').filter(Boolean).map((_p, i, parts) => `/${parts.slice(0, i + 1).join('/')}`)];
        if (parents.some((p) => holds(perms[p]))) continue;
        const grantedOn = Object.entries(perms)
          .filter(([p, privs]) => holds(privs) && (p.startsWith(`${path}/`) || p.startsWith('/pool/')))
          .map(([p]) => p);
        const purpose = PRIVILEGE_PURPOSE[privilege];
        missing.push({ privilege, path, purpose: englishErrorText(purpose), required, grantedOn });
        lines.push(
          grantedOn.length > 0
            ? errorText('report.proxmox.grantedOnlyOn', { privilege, paths: grantedOn.join(', '), purpose })
            : errorText(required ? 'report.proxmox.missingRequired' : 'report.proxmox.missingOptional', { privilege, path, purpose }),
        );
      }
    }
    const summary = lines.map((line) => line.text);
    return { version: version.version, release: version.release, who: this.who, missing, summary, summaryText: lines };
  }

  // ---- websockets ---------------------------------------------------------------------------

  /** Opens an API WebSocket (e.g. vncwebsocket) with the same credentials and TLS trust. */
  async openWebSocket(path: string, params: ApiParams, timeoutMs: number, protocol = 'binary'): Promise<WebSocket> {
    const attempt = async (): Promise<WebSocket | 401> => {
      const url = `${this.endpoint.url.replace(/^https:/, 'wss:')}/api2/json${path}?${encodeParams(params)}`;
      const ws = new WebSocket(url, [protocol], {
        agent: this.http.agent,
        headers: await this.authHeaders('GET'),
        handshakeTimeout: timeoutMs,
        perMessageDeflate: false,
      });
      return new Promise((resolve, reject) => {
        ws.once('open', () => resolve(ws));
        ws.once('unexpected-response', (_req, res) => {
          const status = res.statusCode ?? 0;
          const reason = res.statusMessage ?? '';
          res.resume();
          ws.terminate();
          if (status === 401 && !isTokenAuth(this.endpoint.auth)) resolve(401);
          else reject(fromHttpError(status, reason, null, { url: this.endpoint.url, who: this.whoParams, doing: proxmoxOp('op.proxmox.openConsoleSocket') }));
        });
        ws.once('error', (err) => {
          if (/timed out/i.test(err.message)) reject(requestTimeout(this.endpoint.url, proxmoxOp('op.proxmox.openConsoleSocket'), timeoutMs));
          else void this.http.describe(err, { timeoutMs, what: proxmoxOp('op.proxmox.openConsoleSocket') }).then(reject);
        });
      });
    };
    let ws = await attempt();
    if (ws === 401) {
      this.ticket = undefined;
      this.stats.reloginsAfter401++;
      ws = await attempt();
      if (ws === 401) {
        throw fromHttpError(401, 'Authentication failed!', null, { url: this.endpoint.url, who: this.whoParams, doing: proxmoxOp('op.proxmox.openConsoleSocket') });
      }
    }
    return ws;
  }

  close(): void {
    this.http.close();
  }
}
