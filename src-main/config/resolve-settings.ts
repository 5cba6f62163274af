// The configuration layers, lowest to highest:
//   built-in < packaged defaults < policy recommended < user < policy locked < DAAS_* environment
// A key in the locked layer is "managed by your administrator": the user cannot change it,
// whatever layer supplies its value. The environment layer exists only when the app is not
// packaged (settings.ts), for development and tests.
import { SETTING_KEYS, type SettingKey, type SettingsValues } from '../../src-shared/settings';

export const LAYER_ORDER = ['builtIn', 'packaged', 'recommended', 'user', 'locked', 'env'] as const;
export type LayerName = (typeof LAYER_ORDER)[number];

export type SettingsLayers = { builtIn: Readonly<SettingsValues> } & { [L in Exclude<LayerName, 'builtIn'>]?: Partial<SettingsValues> };

export interface ResolvedSettings {
  values: SettingsValues;
  /** Keys the policy locks, in SETTING_KEYS order. */
  locked: SettingKey[];
  /** Which layer each value came from. */
  sources: Record<SettingKey, LayerName>;
}

export function resolveSettings(layers: SettingsLayers): ResolvedSettings {
  const values = { ...layers.builtIn } as Record<SettingKey, unknown>;
  const sources = Object.fromEntries(SETTING_KEYS.map((key) => [key, 'builtIn'])) as Record<SettingKey, LayerName>;
  for (const name of LAYER_ORDER) {
    const layer = layers[name];
    if (!layer) continue;
    for (const key of SETTING_KEYS) {
      // `undefined` means "not set in this layer"; null is a real value (e.g. no idle timeout).
      if (!Object.prototype.hasOwnProperty.call(layer, key) || layer[key] === undefined) continue;
      values[key] = layer[key];
      sources[key] = name;
    }
  }
  const lockedLayer = layers.locked ?? {};
  const locked = SETTING_KEYS.filter((key) => Object.prototype.hasOwnProperty.call(lockedLayer, key) && lockedLayer[key] !== undefined);
  return { values: values as SettingsValues, locked, sources };
}
