// Entry point of the catalogue window.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { call } from '../api/call';
import { getApi, getConnectionMonitor } from '../api/get-api';
import { applyAppearance, applyRememberedAppearance } from '../i18n/preferences';
import { createCatalogueStore, defaultDownload, defaultOpenWindow } from '../store/catalogue-store';
import { CatalogueApp } from './CatalogueApp';
import { CatalogueStoreContext } from './store-context';
import '../styles/base.css';
import '../styles/components.css';
import './catalogue.css';
import '../settings/settings.css';

// The language and theme of the last window until the settings arrive, then the settings'.
applyRememberedAppearance();

const api = getApi();
const monitor = getConnectionMonitor();
const store = createCatalogueStore({ call, openWindow: defaultOpenWindow, download: defaultDownload });

api.onEvent((event) => store.getState().handleEvent(event));

// After the link to the core comes back, reload: events sent meanwhile were missed.
let wasDown = false;
monitor.onStatus((status) => {
  if (status.state === 'closed') wasDown = true;
  else if (status.state === 'open' && wasDown) {
    wasDown = false;
    let appliedSettings: unknown = null;
store.subscribe((state) => {
  if (state.settings && state.settings !== appliedSettings) {
    appliedSettings = state.settings;
    applyAppearance(state.settings);
  }
});

void store.getState().load();
  }
});

let appliedSettings: unknown = null;
store.subscribe((state) => {
  if (state.settings && state.settings !== appliedSettings) {
    appliedSettings = state.settings;
    applyAppearance(state.settings);
  }
});

void store.getState().load();

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('The catalogue page has no #root element.');
createRoot(rootElement).render(
  <StrictMode>
    <CatalogueStoreContext.Provider value={store}>
      <CatalogueApp monitor={monitor} />
    </CatalogueStoreContext.Provider>
  </StrictMode>,
);
