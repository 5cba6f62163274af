// What an endpoint is, as stored and as its provider dials it. Shared so the store keeps it
// without depending on providers, and providers use it without depending on the store.

/** A Docker endpoint: local socket, tcp:// with optional TLS, or ssh://. */
export interface DockerEndpointConfig {
  id: string;
  name: string;
  url: string;
  tls: { ca: string; cert: string; key: string } | null;
  /** ssh:// only: the host key the user trusted for this endpoint ("ssh-ed25519 AAAA…"), or null. */
  sshHostKey?: string | null;
}

/** An API token: `USER@REALM!TOKENID` and its secret (a UUID as Proxmox generates it). */
export interface ProxmoxTokenAuth {
  tokenId: string;
  secret: string;
}

/** A user and password: the client logs in for a ticket and renews it before it expires. */
export interface ProxmoxPasswordAuth {
  /** With realm, e.g. root@pam or alice@pve. */
  username: string;
  password: string;
}

export type ProxmoxAuth = ProxmoxTokenAuth | ProxmoxPasswordAuth;

/** Certificate trust: the system CAs (default), a pinned SHA-256 fingerprint, or none at all. */
export interface ProxmoxTls {
  /** "AB:CD:..." (64 hex digits; colons and case do not matter). */
  fingerprintSha256?: string;
  /** Explicit opt-in: accept any certificate. */
  insecure?: true;
}

export interface ProxmoxEndpoint {
  /** The stored endpoint's id and display name (as Docker endpoints have). */
  id?: string;
  name?: string;
  /** e.g. https://pve.example.org:8006 */
  url: string;
  auth: ProxmoxAuth;
  tls?: ProxmoxTls;
}

/** A Proxmox endpoint as stored: it always has an id and a name. */
export type StoredProxmoxEndpoint = ProxmoxEndpoint & { id: string; name: string };
