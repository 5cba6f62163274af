// Packaged default settings: resources/defaults/settings.json, then the administrator's
// resources/admin/settings.json over it. Read leniently, like the policy.
import fs from 'node:fs';
import path from 'node:path';
import { composeText, errorText, type ErrorText } from '../../src-shared/error-texts';
import { parseSettingsLayer, problemLists, type LayerParse, type SettingsValues } from '../../src-shared/settings';

export const SETTINGS_FILE = 'settings.json';

/** Reads settings.json from each folder in order, later folders winning. Missing files are fine. */
export function loadPackagedDefaults(dirs: readonly string[]): LayerParse {
  let values: Partial<SettingsValues> = {};
  const problems: ErrorText[] = [];
  for (const dir of dirs) {
    const file = path.join(dir, SETTINGS_FILE);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') problems.push(composeText('problem.inFile', { file, line: errorText('problem.defaults.unreadable', { detail: code ?? (err as Error).message }) }));
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      problems.push(composeText('problem.inFile', { file, line: errorText('problem.defaults.notJson', { detail: (err as Error).message }) }));
      continue;
    }
    if (json && typeof json === 'object' && !Array.isArray(json)) {
      const { $schema: _schema, ...rest } = json as Record<string, unknown>;
      json = rest;
    }
    const layer = parseSettingsLayer(json, file);
    values = { ...values, ...layer.values };
    problems.push(...layer.problemTexts);
  }
  return { values, ...problemLists(problems) };
}
