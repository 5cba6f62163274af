// Which instance's files a viewer connection may reach. The display ticket carries only an
// unguessable grant id (inside its encrypted settings, so the renderer never sees it); the
// embedded gateway takes the grant once, when that connection's handshake completes.
import { randomBytes } from 'node:crypto';
import { DesktopFiles } from './desktop-files';

export interface FileGrant {
  instanceId: string;
  files: DesktopFiles;
  /** Policy fileUpload: off refuses every `file` stream of the connection. */
  upload: boolean;
  /** Policy fileDownload: off sends no `filesystem` and answers every `get` with the refusal. */
  download: boolean;
  /** Policy maxTransferSizeMiB, in bytes. */
  maxBytes: number;
  /** Where uploads land in the desktop. */
  folder: string;
}

/** The connection parameter (beyond the protocol's own) that carries the grant id. */
export const FILE_GRANT_ARG = 'daas-file-grant';

/** One-time grants by unguessable id (also used for audio grants: display/audio/audio-grants.ts). */
export class FileGrants<G = FileGrant> {
  private readonly grants = new Map<string, { grant: G; exp: number }>();

  constructor(
    /** As long as a ticket lives: a grant not taken by then is of no use. */
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(grant: G): string {
    this.forgetExpired();
    const id = randomBytes(24).toString('base64url');
    this.grants.set(id, { grant, exp: this.now() + this.ttlMs });
    return id;
  }

  /** The grant, once: a second connection with the same id gets nothing. */
  take(id: string): G | undefined {
    this.forgetExpired();
    const found = this.grants.get(id);
    this.grants.delete(id);
    return found?.grant;
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [id, { exp }] of this.grants) if (exp < now) this.grants.delete(id);
  }
}
