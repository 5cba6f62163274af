// Browser sessions of the headless host. The access token is only the login credential: a
// successful login gets a fresh random session id (the cookie), valid while it is used, and
// it ends after a quiet spell (12 h by default), so a copied cookie does not work forever.
import { randomBytes } from 'node:crypto';

export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** Logins need the token; this only keeps a script that logs in in a loop from growing the map. */
const MAX_SESSIONS = 256;

export class SessionStore {
  /** Session id -> expiry (ms since the epoch). */
  private readonly sessions = new Map<string, number>();

  constructor(
    private readonly idleMs = SESSION_IDLE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  create(): string {
    this.forgetExpired();
    // Oldest first (insertion order; touch re-inserts).
    while (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, this.now() + this.idleMs);
    return id;
  }

  /** True if `id` is a live session; using it extends it. */
  touch(id: string | undefined): boolean {
    if (id === undefined) return false;
    const expiry = this.sessions.get(id);
    if (expiry === undefined) return false;
    this.sessions.delete(id);
    if (expiry <= this.now()) return false;
    this.sessions.set(id, this.now() + this.idleMs);
    return true;
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [id, expiry] of this.sessions) if (expiry <= now) this.sessions.delete(id);
  }
}
