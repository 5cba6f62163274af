// Kysely table types: the database as the code sees it.
import type { Generated } from 'kysely';
import type { DesktopProtocol } from '../../src-shared/model';

export interface AppsTable {
  id: string;
  name: string;
  description: string;
  icon: string | null;
  provider: 'docker' | 'proxmox';
  /** JSON of the provider-specific configuration. */
  config: string;
  desktop_width: number;
  desktop_height: number;
  idle_timeout_minutes: number | null;
  built_in: number;
  managed: Generated<number>;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  /** JSON of the app's gateway choice (appDisplaySchema); null = defaults. Added by 0002. */
  display: string | null;
  /** JSON array of the app's tags; null = none. Added by 0005. */
  tags: string | null;
  /** The display password sealed by the SecretStore; main process only. Added by 0002. */
  display_password: string | null;
}

export interface InstancesTable {
  id: string;
  app_id: string;
  name: string;
  state: string;
  state_reason: string | null;
  /** The provider's id for the resource (a container id), once it exists. */
  resource_id: string | null;
  provider: 'docker' | 'proxmox';
  /** The endpoint (Docker or Proxmox, per provider) the instance runs on. */
  endpoint_id: string | null;
  /** Prepared for the warm pool: its app's configuration fingerprint. null: a user's. Added by 0005. */
  warm: Generated<string | null>;
  created_at: string;
  updated_at: string;
}

/** Connection secrets: read by the display path only, never sent to a renderer. */
export interface ConnectionsTable {
  instance_id: string;
  protocol: DesktopProtocol;
  host: string;
  port: number | null;
  password: string;
}

export interface EventsTable {
  id: Generated<number>;
  instance_id: string;
  at: string;
  state: string;
  detail: string | null;
}

export interface SettingsTable {
  key: string;
  /** JSON */
  value: string;
}

export interface DockerEndpointsTable {
  id: string;
  name: string;
  url: string;
  tls_ca: string | null;
  tls_cert: string | null;
  tls_key: string | null;
  /** ssh:// only: the host key the user trusted ("ssh-ed25519 AAAA…"); not a secret. */
  ssh_host_key: string | null;
  created_at: string;
}

export interface ProxmoxEndpointsTable {
  id: string;
  name: string;
  url: string;
  auth_kind: 'token' | 'password';
  /** The token id (USER@REALM!NAME) or the user (USER@REALM). */
  principal: string;
  /** The token secret or the password: main process only. */
  secret: string;
  tls_mode: 'system' | 'pinned' | 'insecure';
  fingerprint: string | null;
  created_at: string;
}

export interface Database {
  proxmox_endpoints: ProxmoxEndpointsTable;
  settings: SettingsTable;
  docker_endpoints: DockerEndpointsTable;
  apps: AppsTable;
  instances: InstancesTable;
  connections: ConnectionsTable;
  events: EventsTable;
}
