// The settings page's form, made from the settings table: every setting a person changes
// has a control, unchanged values send nothing, locked ones are never sent, and typed
// numbers are checked against the schema's limits.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SettingsView } from '../../src-shared/contract';
import { SETTINGS_PAGE, SETTING_FIELDS, numberLimits } from '../../src-shared/setting-fields';
import { BUILT_IN_SETTINGS, SETTING_KEYS } from '../../src-shared/settings';
import { SHOWN_KEYS, buildChange, draftFrom, numberHint, type GatewayDraft } from '../../src-renderer/settings/settings-draft';

const view = (over: Partial<SettingsView> = {}): SettingsView => ({ ...BUILT_IN_SETTINGS, managed: [], policyProblems: [], ...over });

describe('settings page from the settings table', () => {
  it('shows each setting with a control once, and the others are said to be hidden', () => {
    assert.equal(new Set(SHOWN_KEYS).size, SHOWN_KEYS.length);
    for (const key of SETTING_KEYS) {
      const shown = SHOWN_KEYS.includes(key);
      const hiddenOrPart = SETTING_FIELDS[key].input === 'none';
      assert.equal(shown, !hiddenOrPart, key);
    }
    assert.deepEqual(
      SETTINGS_PAGE.map((g) => g.group),
      ['appearance', 'instances', 'desktops', 'editing'],
    );
  });

  it('sends nothing for the stored values, and only what changed', () => {
    const settings = view({ guacd: { host: 'g.example.org', port: 4823 }, idleTimeoutMinutes: 60 });
    const draft = draftFrom(settings);
    assert.deepEqual(buildChange(draft, settings), { change: {}, errors: {} });
    draft.idleTimeoutMinutes = '';
    draft.theme = 'dark';
    draft.notifications = false;
    assert.deepEqual(buildChange(draft, settings), { change: { idleTimeoutMinutes: null, theme: 'dark', notifications: false }, errors: {} });
  });

  it('never sends a setting the administrator locked', () => {
    const settings = view({ managed: ['theme', 'guacd'] });
    const draft = draftFrom(settings);
    draft.theme = 'dark';
    (draft.guacd as GatewayDraft).choice = 'external';
    (draft.guacd as GatewayDraft).host = 'g.example.org';
    assert.deepEqual(buildChange(draft, settings).change, {});
  });

  it('checks numbers against the schema and says what is wrong', () => {
    const settings = view();
    const draft = draftFrom(settings);
    draft.readinessTimeoutSeconds = '';
    draft.idleTimeoutMinutes = 'soon';
    let { errors, change } = buildChange(draft, settings);
    assert.equal(errors.readinessTimeoutSeconds, 'write a whole number of seconds, like 60');
    assert.equal(errors.idleTimeoutMinutes, 'write a whole number, like 120');
    assert.deepEqual(change, {});
    draft.readinessTimeoutSeconds = '4';
    draft.idleTimeoutMinutes = '90';
    ({ errors, change } = buildChange(draft, settings));
    assert.match(errors.readinessTimeoutSeconds!, /5/);
    assert.deepEqual(change, { idleTimeoutMinutes: 90 });
    assert.deepEqual(numberLimits('readinessTimeoutSeconds'), { min: 5, max: 600 });
    assert.match(numberHint('readinessTimeoutSeconds', 'settings.readinessHint'), /\(5–600\)/);
  });

  it('turns the gateway choice into guacd and guacdContainerImage', () => {
    const settings = view();
    const draft = draftFrom(settings);
    const gateway = draft.guacd as GatewayDraft;
    assert.deepEqual(gateway, { choice: 'builtin', host: '', port: '4822', image: 'guacamole/guacd' });
    gateway.choice = 'external';
    assert.deepEqual(Object.keys(buildChange(draft, settings).errors), ['guacdHost']);
    gateway.host = 'g.example.org';
    assert.deepEqual(buildChange(draft, settings).change, { guacd: { host: 'g.example.org', port: 4822 } });
    gateway.choice = 'container';
    gateway.image = 'bad image';
    assert.deepEqual(Object.keys(buildChange(draft, settings).errors), ['guacdImage']);
    gateway.image = 'guacamole/guacd:1.5';
    assert.deepEqual(buildChange(draft, settings).change, { guacdContainerImage: 'guacamole/guacd:1.5' });
  });
});
