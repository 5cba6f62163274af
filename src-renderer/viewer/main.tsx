// Entry point of a viewer window: viewer.html?instance=<id>.
import { createRoot } from 'react-dom/client';
import { parseEvent } from '../../src-shared/contract';
import { call } from '../api/call';
import { getApi } from '../api/get-api';
import { applyAppearance, applyRememberedAppearance } from '../i18n/preferences';
import { ViewerApp } from './ViewerApp';
import '../styles/base.css';
import './viewer.css';

function instanceFromQuery(search: string): string | null {
  const id = new URLSearchParams(search).get('instance');
  return id && /^[A-Za-z0-9_-]{1,100}$/.test(id) ? id : null;
}

// The language and theme of the last window until the settings arrive.
applyRememberedAppearance();
call('settings.get', {})
  .then((settings) => applyAppearance(settings))
  .catch(() => undefined); // Keeps the remembered (or the system's) language and theme.
// Another window changed the theme or language: follow it live.
getApi().onEvent((received) => {
  const event = received.event === 'settings.changed' ? parseEvent(received.event, received.payload) : null;
  if (event?.event === 'settings.changed') applyAppearance(event.payload);
});

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('The viewer page has no #root element.');
// No StrictMode here: its double-run effects would spend a second single-use ticket in development.
createRoot(rootElement).render(<ViewerApp instanceId={instanceFromQuery(window.location.search)} />);
