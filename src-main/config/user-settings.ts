// The user's own settings (stored in SQLite) resolved with every other layer. Only the
// keys the user chose are stored, so a later change of packaged defaults or recommended
// values reaches everyone who has not chosen otherwise. Locked keys cannot be changed.
import type { SettingsView } from '../../src-shared/contract';
import { DaasError } from '../../src-shared/errors';
import { errorText } from '../../src-shared/error-texts';
import type { SettingsRepository } from '../store/settings-repository';
import { resolveSettings, type ResolvedSettings } from './resolve-settings';
import type { Settings } from './settings';
import { describeIssue, isSettingKey, parseSettingsLayer, settingSchemas, type SettingKey, type SettingsValues } from '../../src-shared/settings';

const KEY = 'user';

/** What settings.get answers: every value, which are managed, and the policy banner. */
export type SettingsState = SettingsView;

export class UserSettings {
  constructor(
    private readonly repository: SettingsRepository,
    private readonly defaults: Settings,
  ) {}

  private async userLayer(): Promise<Partial<SettingsValues>> {
    const stored = await this.repository.get<unknown>(KEY);
    // Values stored by an older version may no longer be valid: those are dropped quietly.
    return parseSettingsLayer(stored ?? {}, 'user').values;
  }

  async resolve(): Promise<ResolvedSettings> {
    const { layers, readinessTimeoutMs } = this.defaults;
    return resolveSettings({
      ...layers,
      // Settings built by hand (tests) may carry their own readiness timeout.
      builtIn: { ...layers.builtIn, readinessTimeoutSeconds: readinessTimeoutMs / 1000 },
      user: await this.userLayer(),
    });
  }

  async get(): Promise<SettingsState> {
    const { values, locked } = await this.resolve();
    const { problems, problemTexts } = this.defaults;
    return {
      ...values,
      managed: locked,
      policyProblems: [...problems],
      ...(problemTexts ? { policyProblemTexts: problemTexts.map(({ key, params }) => ({ key, params })) } : {}),
    };
  }

  isLocked(key: SettingKey): boolean {
    return this.defaults.layers.locked?.[key] !== undefined;
  }

  /** Stores the user's choices; refuses keys the administrator locked. */
  async update(patch: Partial<SettingsValues>): Promise<SettingsState> {
    const stored = await this.userLayer();
    const next: Partial<Record<SettingKey, unknown>> = { ...stored };
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if (!isSettingKey(key)) throw new DaasError('INVALID_REQUEST', errorText('error.settings.unknown', { key }), errorText('fix.updateApp'));
      if (this.isLocked(key)) {
        throw new DaasError('INVALID_REQUEST', errorText('error.settings.locked', { key }), errorText('fix.askAdminPolicy'));
      }
      const parsed = settingSchemas[key].safeParse(value);
      if (!parsed.success) {
        throw new DaasError('INVALID_REQUEST', errorText('error.settings.invalidValue', { key, problem: describeIssue(parsed.error.issues[0]!) }), errorText('fix.checkValue'));
      }
      next[key] = parsed.data;
    }
    await this.repository.set(KEY, next);
    return this.get();
  }
}
