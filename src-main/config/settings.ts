// Settings the core starts with: the folders it works in and the configuration layers
// known at start-up (built-in, packaged defaults, admin policy, DAAS_* environment when
// not packaged).
// The user's own layer lives in the store; UserSettings puts them all together.
import fs from 'node:fs';
import path from 'node:path';
import { developmentEnv, envSettingsLayer } from './env-settings';
import { loadPackagedDefaults } from './packaged-defaults';
import { adminDir as packagedAdminDir, defaultsDir as packagedDefaultsDir } from './paths';
import { loadPolicy, type LoadedPolicy } from './policy';
import { resolveSettings, type SettingsLayers } from './resolve-settings';
import { BUILT_IN_SETTINGS } from '../../src-shared/settings';
import type { ErrorText } from '../../src-shared/error-texts';

export type StartupLayers = Omit<SettingsLayers, 'user'>;

export interface Settings {
  dataDir: string;
  dockerSocket: string;
  /** The readiness timeout before the user's own choice (built-in, packaged, policy, env). */
  readinessTimeoutMs: number;
  /** Folder whose apps.json is the packaged catalogue: resources/admin if it has one, else resources/defaults. */
  defaultsDir: string;
  /** What an administrator added to the installer (resources/admin); may not exist. */
  adminDir: string;
  /** Every layer but the user's. */
  layers: StartupLayers;
  policy: LoadedPolicy;
  /** For the banner: what was ignored in the policy and packaged defaults, one line each (English, for logs). */
  problems: string[];
  /** The same lines by key and parameters, for windows to translate (absent in settings built by hand). */
  problemTexts?: ErrorText[];
  /** DAAS_* variables a packaged app left out (for the log). */
  ignoredEnv?: string[];
}

export interface LoadOptions {
  /**
   * A packaged app (Electron's app.isPackaged; serve run from a build without sources)
   * reads no DAAS_* variable but DAAS_DATA_DIR, so the policy beats the environment.
   */
  packaged?: boolean;
}

/**
 * Resolves settings; `fallbackDataDir` is Electron's user-data folder or the serve default.
 * Unpackaged, DAAS_DEFAULTS_DIR, DAAS_ADMIN_DIR and DAAS_POLICY_FILE point elsewhere for tests.
 */
export function loadSettings(fallbackDataDir: string, processEnv: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): Settings {
  const { env, ignored } = developmentEnv(processEnv, options.packaged ?? false);
  const defaultsDir = env.DAAS_DEFAULTS_DIR || packagedDefaultsDir();
  const adminDir = env.DAAS_ADMIN_DIR || packagedAdminDir();
  const packaged = loadPackagedDefaults([defaultsDir, adminDir]);
  const policy = loadPolicy({ env, packagedFile: path.join(adminDir, 'policy.json') });
  const layers: StartupLayers = {
    builtIn: BUILT_IN_SETTINGS,
    packaged: packaged.values,
    recommended: policy.policy.recommended,
    locked: policy.policy.locked,
    env: envSettingsLayer(env),
  };
  const { values } = resolveSettings(layers);
  return {
    dataDir: env.DAAS_DATA_DIR || fallbackDataDir,
    dockerSocket: env.DAAS_DOCKER_SOCKET || '/var/run/docker.sock',
    readinessTimeoutMs: values.readinessTimeoutSeconds * 1000,
    defaultsDir: fs.existsSync(path.join(adminDir, 'apps.json')) ? adminDir : defaultsDir,
    adminDir,
    layers,
    policy,
    problems: [...policy.problems, ...packaged.problems],
    problemTexts: [...policy.problemTexts, ...packaged.problemTexts],
    ignoredEnv: ignored,
  };
}
