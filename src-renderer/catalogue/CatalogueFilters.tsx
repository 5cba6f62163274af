// Search, filters, sort and the cards/table switch above the apps.
import { useId } from 'react';
import type { App } from '../../src-shared/model';
import { example, useT } from '../i18n/i18n';
import type { CatalogueFilter, CatalogueLayout } from './catalogue-view';

interface Props {
  filter: CatalogueFilter;
  onFilter: (filter: CatalogueFilter) => void;
  layout: CatalogueLayout;
  onLayout: (layout: CatalogueLayout) => void;
  tags: string[];
  providers: App['provider'][];
}

export function CatalogueFilters({ filter, onFilter, layout, onLayout, tags, providers }: Props) {
  const t = useT();
  const base = useId();
  const set = (change: Partial<CatalogueFilter>) => onFilter({ ...filter, ...change });
  const providerLabel = (provider: App['provider']) => (provider === 'docker' ? t('editor.providerDocker') : t('editor.providerProxmox'));
  return (
    <div className="catalogue-filters" role="search" aria-label={t('catalogue.search')} data-testid="catalogue-filters">
      <div className="filter-field filter-search">
        <label htmlFor={`${base}-q`} className="visually-hidden">
          {t('catalogue.search')}
        </label>
        <input
          id={`${base}-q`}
          type="search"
          className="input"
          data-testid="catalogue-search"
          value={filter.query}
          placeholder={example('firefox')}
          title={t('catalogue.searchHint')}
          aria-describedby={`${base}-q-hint`}
          onChange={(e) => set({ query: e.currentTarget.value })}
          onKeyDown={(e) => {
            // Escape clears the search (the browser does so for type=search only sometimes).
            if (e.key === 'Escape' && filter.query !== '') {
              e.preventDefault();
              set({ query: '' });
            }
          }}
        />
        <span id={`${base}-q-hint`} className="visually-hidden">
          {t('catalogue.searchHint')}
        </span>
      </div>
      {providers.length > 1 ? (
        <div className="filter-field">
          <label htmlFor={`${base}-p`}>{t('catalogue.provider')}</label>
          <select
            id={`${base}-p`}
            className="input select input-compact"
            data-testid="catalogue-provider"
            value={filter.provider}
            onChange={(e) => set({ provider: e.currentTarget.value as CatalogueFilter['provider'] })}
          >
            <option value="all">{t('catalogue.providerAll')}</option>
            {providers.map((provider) => (
              <option key={provider} value={provider}>
                {providerLabel(provider)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {tags.length > 0 ? (
        <div className="filter-field">
          <label htmlFor={`${base}-t`}>{t('catalogue.tag')}</label>
          <select
            id={`${base}-t`}
            className="input select input-compact"
            data-testid="catalogue-tag"
            value={filter.tag ?? ''}
            onChange={(e) => set({ tag: e.currentTarget.value === '' ? null : e.currentTarget.value })}
          >
            <option value="">{t('catalogue.tagAll')}</option>
            {tags.map((tag) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className="filter-field">
        <label htmlFor={`${base}-s`}>{t('catalogue.sort')}</label>
        <select
          id={`${base}-s`}
          className="input select input-compact"
          data-testid="catalogue-sort"
          value={filter.sort}
          onChange={(e) => set({ sort: e.currentTarget.value === 'recent' ? 'recent' : 'name' })}
        >
          <option value="name">{t('catalogue.sortName')}</option>
          <option value="recent">{t('catalogue.sortRecent')}</option>
        </select>
      </div>
      <div className="segmented" role="group" aria-label={t('catalogue.view')}>
        {(['cards', 'table'] as const).map((choice) => (
          <button
            key={choice}
            type="button"
            className="segmented-item"
            data-testid={`catalogue-view-${choice}`}
            aria-pressed={layout === choice}
            onClick={() => onLayout(choice)}
          >
            {choice === 'cards' ? t('catalogue.viewCards') : t('catalogue.viewTable')}
          </button>
        ))}
      </div>
    </div>
  );
}
