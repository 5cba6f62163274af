// DAAS_* environment variables: the top layer, for development and tests. A bad value
// is a developer's mistake, so it stops the start with a message naming the variable.
// A packaged app reads none of them but DAAS_DATA_DIR: anything a user can set must not
// beat the administrator's policy (see developmentEnv).
import { SETTING_KEYS, describeIssue, settingSchemas, type SettingKey, type SettingsValues } from '../../src-shared/settings';

/** readinessTimeoutSeconds -> DAAS_READINESS_TIMEOUT_SECONDS */
export function envNameOf(key: SettingKey): string {
  return `DAAS_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

function parseEnvValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function envSettingsLayer(env: NodeJS.ProcessEnv): Partial<SettingsValues> {
  const values: Partial<Record<SettingKey, unknown>> = {};
  for (const key of SETTING_KEYS) {
    const name = envNameOf(key);
    const text = env[name];
    if (text === undefined || text === '') continue;
    const parsed = settingSchemas[key].safeParse(parseEnvValue(text));
    if (!parsed.success) throw new Error(`${name}=${text}: ${describeIssue(parsed.error.issues[0]!)}`);
    values[key] = parsed.data;
  }
  // The older millisecond variable; fractions of a second are fine for tests.
  const ms = env.DAAS_READINESS_TIMEOUT_MS;
  if (ms !== undefined && ms !== '') {
    const n = Number(ms);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`DAAS_READINESS_TIMEOUT_MS must be a positive integer, got "${ms}"`);
    values.readinessTimeoutSeconds = n / 1000;
  }
  return values as Partial<SettingsValues>;
}

/** Chooses only where the user's own data lives, which no policy governs. */
const PACKAGED_ENV = new Set(['DAAS_DATA_DIR']);

/**
 * The environment the configuration reads. Unpackaged (from source, `npm start`, `serve`
 * from a checkout) it is the whole environment; packaged, every DAAS_* variable but
 * DAAS_DATA_DIR is left out, so none can replace a setting, the policy file or the
 * folders it comes from. `ignored` names what was left out, for the log.
 */
export function developmentEnv(env: NodeJS.ProcessEnv, packaged: boolean): { env: NodeJS.ProcessEnv; ignored: string[] } {
  if (!packaged) return { env, ignored: [] };
  const kept: NodeJS.ProcessEnv = {};
  const ignored: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('DAAS_') && !PACKAGED_ENV.has(name)) {
      if (value) ignored.push(name);
    } else kept[name] = value;
  }
  return { env: kept, ignored };
}
