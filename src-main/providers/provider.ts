// The one interface every backend (Docker now, Proxmox later) implements.

export interface LaunchSpec {
  instanceId: string;
  appId: string;
  /** A human-readable, unique name for the resource. */
  name: string;
  image: string;
  /** Port the VNC server listens on inside the resource. */
  vncPort: number;
  vncPassword: string;
  desktopWidth: number;
  desktopHeight: number;
}

/** Where the launched desktop can be reached from this machine. */
export interface Launched {
  resourceId: string;
  host: string;
  port: number;
}

export interface OwnedResource {
  resourceId: string;
  instanceId: string;
  running: boolean;
}

export interface Provider {
  /** Fails fast, with a DaasError, when the backend or the app's image is unusable. */
  preflight(image: string): Promise<void>;
  /** Creates and starts the resource. Calls onCreated as soon as it exists, before starting it. */
  launch(spec: LaunchSpec, onCreated: (resourceId: string) => Promise<void>): Promise<Launched>;
  /** The last lines the resource printed, to explain a failure. */
  tail(resourceId: string, lines: number): Promise<string>;
  /** Stops and removes everything belonging to the instance. Succeeds if nothing is left. */
  remove(instanceId: string): Promise<void>;
  /** Every resource this app created, found by its labels. */
  listOwned(): Promise<OwnedResource[]>;
}
