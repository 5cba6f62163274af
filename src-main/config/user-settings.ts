// Settings a user changes in the app, stored in SQLite, over the start-up defaults.
import type { SettingsView } from '../../src-shared/contract';
import type { SettingsRepository } from '../store/settings-repository';
import type { Settings } from './settings';

const KEY = 'user';

export class UserSettings {
  constructor(
    private readonly repository: SettingsRepository,
    private readonly defaults: Settings,
  ) {}

  async get(): Promise<SettingsView> {
    const stored = (await this.repository.get<Partial<SettingsView>>(KEY)) ?? {};
    return {
      orphanPolicy: stored.orphanPolicy ?? 'remove',
      readinessTimeoutSeconds: stored.readinessTimeoutSeconds ?? Math.round(this.defaults.readinessTimeoutMs / 1000),
    };
  }

  async update(patch: Partial<SettingsView>): Promise<SettingsView> {
    const next = { ...(await this.get()), ...patch };
    await this.repository.set(KEY, next);
    return next;
  }
}
