// Settings the core starts with. For now: built-in defaults overridden by DAAS_* variables.
// (Packaged defaults, admin policy and user settings arrive as further layers.)
import path from 'node:path';
import { resourcesDir } from './paths';

export interface Settings {
  dataDir: string;
  dockerSocket: string;
  readinessTimeoutMs: number;
  /** Folder of packaged defaults (resources/defaults). */
  defaultsDir: string;
}

function positiveInt(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${value}"`);
  return n;
}

/** Resolves settings; `fallbackDataDir` is Electron's user-data folder or the serve default. */
export function loadSettings(fallbackDataDir: string, env: NodeJS.ProcessEnv = process.env): Settings {
  return {
    dataDir: env.DAAS_DATA_DIR || fallbackDataDir,
    dockerSocket: env.DAAS_DOCKER_SOCKET || '/var/run/docker.sock',
    readinessTimeoutMs: positiveInt(env.DAAS_READINESS_TIMEOUT_MS, 30_000, 'DAAS_READINESS_TIMEOUT_MS'),
    defaultsDir: path.join(resourcesDir(), 'defaults'),
  };
}
