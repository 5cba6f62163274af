// The domain model shared by the main process and the renderer.
// Nothing here may carry a secret: these shapes cross into renderer windows.
import type { AppConfig } from './app-config';
import type { StateReasonText } from './error-texts';

export const INSTANCE_STATES = ['creating', 'starting', 'running', 'stopping', 'stopped', 'failed'] as const;
export type InstanceState = (typeof INSTANCE_STATES)[number];

/** Something that can be started: for now a container image with a VNC desktop. */
export type App = AppConfig & {
  id: string;
  /** Shipped with the app (packaged defaults) rather than made by the user. */
  builtIn: boolean;
  /** Set by the administrator's policy: it cannot be edited or deleted in the app. */
  managed: boolean;
  /** Whether a display password (direct VNC or RDP) is stored; the password itself never leaves the main process. */
  displayPasswordSet?: boolean;
};

/** One start of an app. Its row exists before any resource is launched. */
export interface Instance {
  id: string;
  appId: string;
  appName: string;
  name: string;
  state: InstanceState;
  /** Why the instance is failed or stopped, in words a person understands (English). */
  stateReason: string | null;
  /** The same, as keys and parameters for windows to translate; absent for untranslated text. */
  stateReasonText?: StateReasonText;
  createdAt: string;
  updatedAt: string;
}

/** The remote-desktop protocols a desktop may speak (RDP goes through an external guacd). */
export type DesktopProtocol = 'vnc' | 'rdp';

/**
 * How an instance's desktop is reached. Main process only: it holds the password
 * and is never sent to a renderer.
 */
export interface Connection {
  instanceId: string;
  protocol: DesktopProtocol;
  host: string;
  port: number;
  password: string;
}

export type DockerApp = Extract<App, { provider: 'docker' }>;
export type ProxmoxApp = Extract<App, { provider: 'proxmox' }>;
