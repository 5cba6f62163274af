import { useMemo, useState } from 'react';
import type { App } from '../../src-shared/model';
import { useLocale, useT } from '../i18n/i18n';
import { AppCard } from './AppCard';
import { AppTable } from './AppTable';
import { CatalogueFilters } from './CatalogueFilters';
import { CatalogueToolbar } from './CatalogueToolbar';
import { NO_FILTER, allTags, isFiltered, rememberView, rememberedView, visibleApps, type CatalogueFilter, type CatalogueLayout } from './catalogue-view';
import { LoadState } from './LoadState';
import { useCatalogue } from './store-context';

export function AppList() {
  const apps = useCatalogue((s) => s.apps);
  const instances = useCatalogue((s) => s.instances);
  const loadStatus = useCatalogue((s) => s.loadStatus);
  const editingOff = useCatalogue((s) => s.settings?.allowCatalogueEditing === false);
  const t = useT();
  const locale = useLocale();
  const [filter, setFilter] = useState<CatalogueFilter>(() => ({ ...NO_FILTER, sort: rememberedView().sort }));
  const [layout, setLayout] = useState<CatalogueLayout>(() => rememberedView().layout);
  const shown = useMemo(() => visibleApps(apps, instances, filter, locale), [apps, instances, filter, locale]);
  const tags = useMemo(() => allTags(apps, locale), [apps, locale]);
  const providers = [...new Set(apps.map((app) => app.provider))].sort() as App['provider'][];
  // A tag chosen before its last app went away filters nothing out silently: drop it.
  const activeFilter = filter.tag !== null && !tags.includes(filter.tag) ? { ...filter, tag: null } : filter;

  const onFilter = (next: CatalogueFilter) => {
    setFilter(next);
    if (next.sort !== filter.sort) rememberView({ layout, sort: next.sort });
  };
  const onLayout = (next: CatalogueLayout) => {
    setLayout(next);
    rememberView({ layout: next, sort: filter.sort });
  };

  return (
    <section className="section" aria-labelledby="apps-heading">
      <div className="section-head">
        <h2 id="apps-heading" className="section-title" tabIndex={-1}>
          {t('apps.heading')}
          {apps.length > 0 ? <span className="count">{apps.length}</span> : null}
        </h2>
        <CatalogueToolbar />
      </div>
      {editingOff ? (
        <p className="section-hint muted" data-testid="catalogue-managed">
          <span className="lock" aria-hidden="true" /> {t('apps.editingOff')}
        </p>
      ) : null}
      {apps.length > 0 ? (
        <>
          <CatalogueFilters filter={activeFilter} onFilter={onFilter} layout={layout} onLayout={onLayout} tags={tags} providers={providers} />
          <p className={isFiltered(activeFilter) ? 'filter-count muted' : 'visually-hidden'} role="status" data-testid="catalogue-count">
            {isFiltered(activeFilter) ? t('catalogue.matchCount', { shown: shown.length, total: apps.length }) : ''}
          </p>
          {shown.length === 0 ? (
            <div className="empty" data-testid="catalogue-no-match">
              <p>{t('catalogue.noMatch')}</p>
              <button type="button" className="button button-secondary button-small" data-testid="catalogue-clear" onClick={() => setFilter({ ...NO_FILTER, sort: filter.sort })}>
                {t('catalogue.clearFilters')}
              </button>
            </div>
          ) : layout === 'table' ? (
            <AppTable apps={shown} />
          ) : (
            <div className="app-grid" data-testid="app-list">
              {shown.map((app) => (
                <AppCard key={app.id} app={app} />
              ))}
            </div>
          )}
        </>
      ) : loadStatus === 'ready' ? (
        <p className="empty">{editingOff ? t('apps.emptyManaged') : t('apps.empty')}</p>
      ) : (
        <LoadState what="apps" />
      )}
    </section>
  );
}
