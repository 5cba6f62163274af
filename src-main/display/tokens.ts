// Display tickets: short-lived, single-use tokens in guacamole-lite's format
// (base64(url) of JSON {iv, value}, value = AES-256-CBC of the JSON settings), plus an HMAC so a
// renderer cannot flip CBC bits to alter what it cannot read. Keys live only in this process.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What guacamole-lite reads: `connection.type` selects the protocol, `settings` fill `connect`. */
export interface ConnectionSpec {
  type: 'vnc' | 'rdp';
  settings: Record<string, string | number | boolean>;
}

export interface TicketClaims {
  instanceId: string;
  /** What the ticket is for; a ticket is good for nothing else. */
  purpose: 'display';
  nonce: string;
  /** Expiry, ms since the epoch. */
  exp: number;
  /** The guacd (or embedded gateway) this ticket's connection goes through; absent: the tunnel's default. */
  guacd?: { host: string; port: number };
}

interface TokenPayload {
  connection: ConnectionSpec;
  daas: TicketClaims;
}

export class TicketError extends Error {
  override readonly name = 'TicketError';
  constructor(
    message: string,
    readonly reason: 'malformed' | 'forged' | 'expired' | 'reused' | 'wrong-purpose',
  ) {
    super(message);
  }
}

export const MAX_TICKET_TTL_MS = 30_000;

/**
 * guacamole-lite decrypts to 'ascii', which mangles anything outside ASCII: escape it as
 * JSON \uXXXX so passwords with any characters survive the round trip.
 */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export class TicketVault {
  /** AES-256 needs exactly 32 bytes; guacamole-lite takes the same Buffer. */
  readonly cipherKey = randomBytes(32);
  private readonly macKey = randomBytes(32);
  /** Nonces already redeemed, kept until their ticket would have expired anyway. */
  private readonly used = new Map<string, number>();

  constructor(
    private readonly ttlMs = MAX_TICKET_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {
    if (ttlMs <= 0 || ttlMs > MAX_TICKET_TTL_MS) throw new RangeError(`ticket lifetime must be 1..${MAX_TICKET_TTL_MS} ms`);
  }

  issue(instanceId: string, connection: ConnectionSpec, route: { guacd?: { host: string; port: number } } = {}): string {
    const daas: TicketClaims = { instanceId, purpose: 'display', nonce: randomBytes(16).toString('base64url'), exp: this.now() + this.ttlMs };
    if (route.guacd) daas.guacd = { host: route.guacd.host, port: route.guacd.port };
    const payload: TokenPayload = { connection, daas };
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-256-cbc', this.cipherKey, iv);
    const value = Buffer.concat([cipher.update(asciiJson(payload), 'utf8'), cipher.final()]);
    const token = { iv: iv.toString('base64'), value: value.toString('base64'), mac: this.mac(iv, value) };
    // base64url survives a query string even unencoded; guacamole-lite's base64 decoding accepts it.
    return Buffer.from(JSON.stringify(token)).toString('base64url');
  }

  /** Checks and consumes a ticket. Throws TicketError; a ticket never redeems twice. */
  redeem(token: string, purpose: TicketClaims['purpose'] = 'display'): { claims: TicketClaims; connection: ConnectionSpec } {
    this.forgetExpired();
    let iv: Buffer;
    let value: Buffer;
    let mac: string;
    try {
      const outer = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as Record<string, unknown>;
      if (typeof outer.iv !== 'string' || typeof outer.value !== 'string' || typeof outer.mac !== 'string') throw new Error();
      iv = Buffer.from(outer.iv, 'base64');
      value = Buffer.from(outer.value, 'base64');
      mac = outer.mac;
    } catch {
      throw new TicketError('malformed ticket', 'malformed');
    }
    const expected = Buffer.from(this.mac(iv, value));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new TicketError('ticket was not issued by this process', 'forged');
    }
    const decipher = createDecipheriv('aes-256-cbc', this.cipherKey, iv);
    const payload = JSON.parse(Buffer.concat([decipher.update(value), decipher.final()]).toString('utf8')) as TokenPayload;
    const claims = payload.daas;
    if (claims.purpose !== purpose) throw new TicketError('ticket is for something else', 'wrong-purpose');
    if (this.now() > claims.exp) throw new TicketError('ticket expired', 'expired');
    if (this.used.has(claims.nonce)) throw new TicketError('ticket already used', 'reused');
    this.used.set(claims.nonce, claims.exp);
    return { claims, connection: payload.connection };
  }

  /** Redeemed tickets still remembered (until they would have expired), for diagnostics. */
  get remembered(): number {
    this.forgetExpired();
    return this.used.size;
  }

  private mac(iv: Buffer, value: Buffer): string {
    return createHmac('sha256', this.macKey).update(iv).update(value).digest('base64');
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [nonce, exp] of this.used) if (exp < now) this.used.delete(nonce);
  }
}
