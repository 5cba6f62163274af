// Which apps the catalogue shows and in what order: search (name, description, tags),
// filter by backend and tag, sort by name or by last use; and the remembered view choice.
import type { App, Instance } from '../../src-shared/model';

export type CatalogueSort = 'name' | 'recent';
export type CatalogueLayout = 'cards' | 'table';

export interface CatalogueFilter {
  query: string;
  provider: App['provider'] | 'all';
  /** null: any tag. */
  tag: string | null;
  sort: CatalogueSort;
}

export const NO_FILTER: CatalogueFilter = { query: '', provider: 'all', tag: null, sort: 'name' };

/** Whether the list is narrowed at all (the sort does not narrow it). */
export function isFiltered(filter: CatalogueFilter): boolean {
  return filter.query.trim() !== '' || filter.provider !== 'all' || filter.tag !== null;
}

const fold = (text: string) => text.toLocaleLowerCase().normalize('NFD').replace(/\p{M}/gu, '');

/** Every word typed must appear in the name, the description or a tag (case and accents ignored). */
function matches(app: App, words: string[]): boolean {
  const haystack = fold([app.name, app.description, ...app.tags].join('\n'));
  return words.every((word) => haystack.includes(word));
}

/** When each app was last started: its newest instance the window knows of. */
export function lastStarted(instances: readonly Instance[]): Map<string, string> {
  const latest = new Map<string, string>();
  for (const instance of instances) {
    const seen = latest.get(instance.appId);
    if (!seen || instance.createdAt > seen) latest.set(instance.appId, instance.createdAt);
  }
  return latest;
}

export function visibleApps(apps: readonly App[], instances: readonly Instance[], filter: CatalogueFilter, locale?: string): App[] {
  const words = fold(filter.query).split(/\s+/).filter(Boolean);
  const shown = apps.filter(
    (app) =>
      (filter.provider === 'all' || app.provider === filter.provider) &&
      (filter.tag === null || app.tags.includes(filter.tag)) &&
      matches(app, words),
  );
  const byName = (a: App, b: App) => a.name.localeCompare(b.name, locale, { sensitivity: 'base', numeric: true });
  if (filter.sort === 'name') return shown.sort(byName);
  const used = lastStarted(instances);
  // Newest first; apps never started follow, by name.
  return shown.sort((a, b) => (used.get(b.id) ?? '').localeCompare(used.get(a.id) ?? '') || byName(a, b));
}

/** Every tag in the catalogue, once, in alphabetical order. */
export function allTags(apps: readonly App[], locale?: string): string[] {
  return [...new Set(apps.flatMap((app) => app.tags))].sort((a, b) => a.localeCompare(b, locale, { sensitivity: 'base' }));
}

const VIEW_KEY = 'daas-catalogue-view';

/** The layout and sort chosen last time on this computer. */
export function rememberedView(): { layout: CatalogueLayout; sort: CatalogueSort } {
  try {
    const parsed = JSON.parse(localStorage.getItem(VIEW_KEY) ?? '{}') as { layout?: unknown; sort?: unknown };
    return { layout: parsed.layout === 'table' ? 'table' : 'cards', sort: parsed.sort === 'recent' ? 'recent' : 'name' };
  } catch {
    return { layout: 'cards', sort: 'name' };
  }
}

export function rememberView(view: { layout: CatalogueLayout; sort: CatalogueSort }): void {
  try {
    localStorage.setItem(VIEW_KEY, JSON.stringify(view));
  } catch {
    // Storage may be unavailable: the choice then lasts as long as the window.
  }
}
