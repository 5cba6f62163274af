// How the settings page shows each setting of the settings table (settings.ts): its
// group and place, the kind of control, its words (message keys of
// src-renderer/i18n/messages; the renderer checks at compile time that they exist) and
// its choices. Limits and whether a setting may be empty come from its schema. Every key
// has an entry, so a new setting says here whether and how a person changes it.
import { z } from 'zod';
import { settingSchemas, type SettingKey, type SettingsValues } from './settings';

export interface SettingChoice<V> {
  value: V;
  label: string;
  hint?: string;
}

export type SettingField<K extends SettingKey = SettingKey> =
  | { input: 'checkbox'; label: string; hint: string }
  | { input: 'select'; label: string; hint?: string; choices: readonly SettingChoice<SettingsValues[K]>[] }
  | { input: 'radio'; label: string; choices: readonly SettingChoice<SettingsValues[K]>[] }
  /** A whole number typed as text; empty means null where the schema allows it. */
  | { input: 'number'; label: string; hint: string; notWhole: string; empty?: string }
  /** The display gateway: built in, guacd at an address (this key), or guacd from an image (`imageKey`). */
  | { input: 'gateway'; label: string; imageKey: SettingKey }
  /** Not on the page: set by policy or the settings file, or edited with another key's control. */
  | { input: 'none' };

export const SETTING_GROUPS = ['appearance', 'instances', 'desktops', 'editing'] as const;
export type SettingGroup = (typeof SETTING_GROUPS)[number];

/** The groups of the page, each with its title and its settings in the order shown. */
export const SETTINGS_PAGE = [
  { group: 'appearance', title: 'settings.appearance', keys: ['theme', 'language'] },
  {
    group: 'instances',
    title: 'settings.instances',
    keys: [
      'orphanPolicy',
      'readinessTimeoutSeconds',
      'idleTimeoutMinutes',
      'maxInstancesPerApp',
      'maxInstancesTotal',
      'maxTotalMemoryMiB',
      'warmPoolSize',
      'keepFailedContainersHours',
      'eventRetentionDays',
      'quitBehaviour',
      'viewerCloseBehaviour',
      'notifications',
    ],
  },
  { group: 'desktops', title: 'settings.desktops', keys: ['clipboardToDesktop', 'clipboardFromDesktop', 'fileUpload', 'fileDownload', 'maxTransferSizeMiB', 'audio', 'microphone', 'guacd'] },
  { group: 'editing', title: 'settings.editing', keys: ['allowCatalogueEditing', 'allowEndpointEditing'] },
] as const satisfies readonly { group: SettingGroup; title: string; keys: readonly SettingKey[] }[];

export const SETTING_FIELDS = {
  orphanPolicy: {
    input: 'radio',
    label: 'settings.orphans',
    choices: [
      { value: 'remove', label: 'settings.orphansRemove', hint: 'settings.orphansRemoveHint' },
      { value: 'adopt', label: 'settings.orphansAdopt', hint: 'settings.orphansAdoptHint' },
    ],
  },
  keepFailedContainersHours: {
    input: 'number',
    label: 'settings.keepFailed',
    hint: 'settings.keepFailedHint',
    notWhole: 'settings.limitNumber',
    empty: 'settings.keepFailedUntilRemoved',
  },
  readinessTimeoutSeconds: { input: 'number', label: 'settings.readiness', hint: 'settings.readinessHint', notWhole: 'settings.readinessNumber' },
  idleTimeoutMinutes: { input: 'number', label: 'settings.idle', hint: 'settings.idleHint', notWhole: 'settings.idleNumber', empty: 'editor.never' },
  maxInstancesPerApp: { input: 'number', label: 'settings.maxPerApp', hint: 'settings.maxPerAppHint', notWhole: 'settings.limitNumber', empty: 'settings.noLimit' },
  maxInstancesTotal: { input: 'number', label: 'settings.maxTotal', hint: 'settings.maxTotalHint', notWhole: 'settings.limitNumber', empty: 'settings.noLimit' },
  maxTotalMemoryMiB: { input: 'number', label: 'settings.maxMemory', hint: 'settings.maxMemoryHint', notWhole: 'settings.limitNumber', empty: 'settings.noLimit' },
  warmPoolSize: { input: 'number', label: 'settings.warmPool', hint: 'settings.warmPoolHint', notWhole: 'settings.limitNumber' },
  eventRetentionDays: { input: 'number', label: 'settings.eventRetention', hint: 'settings.eventRetentionHint', notWhole: 'settings.limitNumber' },
  clipboardToDesktop: { input: 'checkbox', label: 'settings.clipboardTo', hint: 'settings.clipboardToHint' },
  clipboardFromDesktop: { input: 'checkbox', label: 'settings.clipboardFrom', hint: 'settings.clipboardFromHint' },
  fileUpload: { input: 'checkbox', label: 'settings.fileUpload', hint: 'settings.fileUploadHint' },
  fileDownload: { input: 'checkbox', label: 'settings.fileDownload', hint: 'settings.fileDownloadHint' },
  audio: { input: 'checkbox', label: 'settings.audio', hint: 'settings.audioHint' },
  microphone: { input: 'checkbox', label: 'settings.microphone', hint: 'settings.microphoneHint' },
  maxTransferSizeMiB: { input: 'number', label: 'settings.maxTransfer', hint: 'settings.maxTransferHint', notWhole: 'settings.maxTransferNumber' },
  quitBehaviour: {
    input: 'select',
    label: 'settings.quit',
    choices: [
      { value: 'leave-running', label: 'settings.quitLeave' },
      { value: 'stop-all', label: 'settings.quitStop' },
    ],
  },
  viewerCloseBehaviour: {
    input: 'select',
    label: 'settings.viewerClose',
    choices: [
      { value: 'leave-running', label: 'settings.viewerCloseLeave' },
      { value: 'ask', label: 'settings.viewerCloseAsk' },
    ],
  },
  notifications: { input: 'checkbox', label: 'settings.notifications', hint: 'settings.notificationsHint' },
  guacd: { input: 'gateway', label: 'settings.gateway', imageKey: 'guacdContainerImage' },
  guacdContainerImage: { input: 'none' },
  allowCatalogueEditing: { input: 'checkbox', label: 'settings.allowCatalogue', hint: 'settings.allowCatalogueHint' },
  allowEndpointEditing: { input: 'checkbox', label: 'settings.allowEndpoints', hint: 'settings.allowEndpointsHint' },
  theme: {
    input: 'select',
    label: 'settings.theme',
    choices: [
      { value: 'system', label: 'settings.themeSystem' },
      { value: 'light', label: 'settings.themeLight' },
      { value: 'dark', label: 'settings.themeDark' },
    ],
  },
  language: {
    input: 'select',
    label: 'settings.language',
    choices: [
      { value: 'system', label: 'settings.languageSystem' },
      { value: 'en', label: 'settings.languageEn' },
      { value: 'de', label: 'settings.languageDe' },
    ],
  },
} as const satisfies { [K in SettingKey]: SettingField<K> };

/** The smallest and largest value of a number setting, from its schema. */
export function numberLimits(key: SettingKey): { min: number; max: number } | null {
  let schema: z.ZodType = settingSchemas[key];
  if (schema instanceof z.ZodNullable) schema = schema.unwrap() as z.ZodType;
  if (!(schema instanceof z.ZodNumber)) return null;
  return { min: schema.minValue ?? Number.MIN_SAFE_INTEGER, max: schema.maxValue ?? Number.MAX_SAFE_INTEGER };
}

/** Whether the setting may be null (an empty field). */
export function settingAllowsNull(key: SettingKey): boolean {
  return settingSchemas[key].safeParse(null).success;
}
