// HTTPS to one Proxmox endpoint on node:https, with the endpoint's certificate trust:
// system CAs, a pinned SHA-256 fingerprint (checked before a single byte of a request is
// sent), or an explicit "insecure". The same agent serves the console WebSockets.
import https from 'node:https';
import { isIP } from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { fingerprintMismatch, isNetworkError, isTlsTrustError, requestTimeout, unreachable, untrustedCertificate, type ProxmoxDoing } from './proxmox-errors';
import type { ProxmoxTls } from './proxmox-settings';

export interface HttpAnswer {
  status: number;
  reason: string;
  contentType: string;
  body: string;
}

export class PinMismatch extends Error {
  constructor(readonly presented: string) {
    super(`certificate fingerprint ${presented} does not match the pinned one`);
  }
}

type ConnectCallback = (err: Error | null, socket: Duplex) => void;

/**
 * Keep-alive sockets idle this long are closed by us: pveproxy closes them after 5 s without
 * saying so in a Keep-Alive header, and a request sent as it does meets a reset.
 */
export const IDLE_SOCKET_MS = 4_000;
const AGENT_OPTIONS = { keepAlive: true, maxSockets: 8, timeout: IDLE_SOCKET_MS };

/** Accepts exactly one certificate, by SHA-256 fingerprint, whoever signed it. */
class PinnedAgent extends https.Agent {
  constructor(private readonly fingerprint: string) {
    super(AGENT_OPTIONS);
  }

  override createConnection(options: tls.ConnectionOptions, callback: ConnectCallback): Duplex {
    const servername = options.host && !isIP(options.host) ? options.host : undefined;
    const socket = tls.connect({ ...options, servername, rejectUnauthorized: false });
    let done = false;
    const finish = (err: Error | null) => {
      if (done) return;
      done = true;
      socket.off('error', finish);
      if (err) {
        socket.destroy();
        callback(err, socket);
      } else {
        callback(null, socket);
      }
    };
    socket.once('secureConnect', () => {
      const presented = socket.getPeerCertificate().fingerprint256 ?? '';
      finish(presented.toUpperCase() === this.fingerprint ? null : new PinMismatch(presented));
    });
    socket.once('error', finish);
    // Nothing returned: the agent waits for the callback, so no request bytes go out unverified.
    return undefined as unknown as Duplex;
  }
}

export function makeAgent(trust: ProxmoxTls | undefined): https.Agent {
  if (trust?.fingerprintSha256) return new PinnedAgent(trust.fingerprintSha256.toUpperCase());
  if (trust?.insecure) return new https.Agent({ ...AGENT_OPTIONS, rejectUnauthorized: false });
  return new https.Agent(AGENT_OPTIONS);
}

/** The fingerprint of whatever certificate the server presents (to tell the user what to pin). */
export function presentedFingerprint(baseUrl: string, timeoutMs = 5_000): Promise<string | undefined> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: url.hostname,
      port: Number(url.port || 443),
      servername: isIP(url.hostname) ? undefined : url.hostname,
      rejectUnauthorized: false,
    });
    const timer = setTimeout(() => done(undefined), timeoutMs);
    const done = (fp: string | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(fp);
    };
    socket.once('secureConnect', () => done(socket.getPeerCertificate().fingerprint256 || undefined));
    socket.once('error', () => done(undefined));
  });
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the base URL, query string included. */
  path: string;
  headers?: Record<string, string>;
  /** application/x-www-form-urlencoded body (POST, PUT). */
  form?: string;
  timeoutMs: number;
  /** For error messages: what Proxmox was asked to do. */
  what: ProxmoxDoing;
}

export class ProxmoxHttp {
  readonly agent: https.Agent;
  readonly baseUrl: string;

  constructor(baseUrl: string, trust: ProxmoxTls | undefined) {
    this.baseUrl = baseUrl;
    this.agent = makeAgent(trust);
  }

  async request(req: HttpRequest): Promise<HttpAnswer> {
    try {
      return await this.send(req);
    } catch (err) {
      throw await this.describe(err, req);
    }
  }

  /** Maps a transport failure to a ProxmoxError. */
  async describe(err: unknown, req: { timeoutMs: number; what: ProxmoxDoing }): Promise<Error> {
    if (err instanceof PinMismatch) return fingerprintMismatch(this.baseUrl, err.presented);
    if (isTlsTrustError(err)) {
      const fp = await presentedFingerprint(this.baseUrl);
      const code = (err as { code?: string }).code ?? '';
      const reason =
        code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN' ? 'why.cert.selfSigned'
        : code === 'CERT_HAS_EXPIRED' ? 'why.cert.expired'
        : code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? 'why.cert.otherName'
        : 'why.cert.untrustedIssuer';
      return untrustedCertificate(this.baseUrl, reason, fp, err);
    }
    if ((err as Error)?.name === 'RequestTimeout') return requestTimeout(this.baseUrl, req.what, req.timeoutMs);
    if (isNetworkError(err)) return unreachable(this.baseUrl, err);
    return err instanceof Error ? err : new Error(String(err));
  }

  private send(req: HttpRequest): Promise<HttpAnswer> {
    const url = new URL(req.path, this.baseUrl);
    const body = req.form === undefined ? undefined : Buffer.from(req.form, 'utf8');
    return new Promise((resolve, reject) => {
      const request = https.request(
        url,
        {
          method: req.method,
          agent: this.agent,
          headers: {
            Accept: 'application/json',
            ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': body.length } : {}),
            ...req.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            clearTimeout(timer);
            resolve({
              status: res.statusCode ?? 0,
              reason: res.statusMessage ?? '',
              contentType: String(res.headers['content-type'] ?? ''),
              body: Buffer.concat(chunks).toString('utf8'),
            });
          });
          res.on('error', (err) => {
            clearTimeout(timer);
            reject(err);
          });
        },
      );
      const timer = setTimeout(() => {
        const err = new Error('request timed out');
        err.name = 'RequestTimeout';
        request.destroy(err);
      }, req.timeoutMs);
      request.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      request.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
