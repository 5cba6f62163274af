// Hands the catalogue store to components.
import { createContext, useContext } from 'react';
import { useStore, type StoreApi } from 'zustand';
import type { CatalogueState } from '../store/catalogue-store';

export const CatalogueStoreContext = createContext<StoreApi<CatalogueState> | null>(null);

/** Selects from the catalogue store; selectors must return stable values. */
export function useCatalogue<T>(selector: (state: CatalogueState) => T): T {
  const store = useContext(CatalogueStoreContext);
  if (!store) throw new Error('useCatalogue needs a CatalogueStoreContext provider.');
  return useStore(store, selector);
}
