// The menu's clipboard: a text box that holds the desktop's clipboard and sends what is typed
// or pasted into it, within the clipboard settings (the gateway enforces them too), with a
// clear sign when this window may not use the system clipboard.
import { useEffect, useId, useState, useSyncExternalStore } from 'react';
import type { SettingsView } from '../../src-shared/contract';
import { t } from '../i18n/i18n';
import type { DisplaySession } from './display-session';
import { useViewerSettings } from './use-viewer-settings';

function offText(settings: SettingsView, key: 'clipboardToDesktop' | 'clipboardFromDesktop'): string | null {
  if (settings[key]) return null;
  const byAdmin = settings.managed.includes(key);
  if (key === 'clipboardToDesktop') return t(byAdmin ? 'viewer.clipboardToOffManaged' : 'viewer.clipboardToOff');
  return t(byAdmin ? 'viewer.clipboardFromOffManaged' : 'viewer.clipboardFromOff');
}

export function ClipboardPanel({ session }: { session: DisplaySession }) {
  const settings = useViewerSettings();
  const clipboard = useSyncExternalStore(session.subscribeClipboard, session.getClipboard);
  const [draft, setDraft] = useState(clipboard.text);
  // The desktop's clipboard changed (copied there, or sent from here): show it.
  useEffect(() => setDraft(clipboard.text), [clipboard.text]);
  const id = useId();
  const toOff = settings ? offText(settings, 'clipboardToDesktop') : null;
  const fromOff = settings ? offText(settings, 'clipboardFromDesktop') : null;
  return (
    <div className="menu-clipboard">
      <label htmlFor={id}>{t('viewer.clipboardLabel')}</label>
      <textarea
        id={id}
        data-testid="menu-clipboard-text"
        rows={5}
        spellCheck={false}
        value={draft}
        readOnly={Boolean(toOff)}
        aria-describedby={`${id}-notes`}
        onChange={(e) => {
          setDraft(e.currentTarget.value);
          session.sendClipboard(e.currentTarget.value);
        }}
      />
      <div id={`${id}-notes`} className="menu-notes">
        {toOff ? <p data-testid="clipboard-to-off">{toOff}</p> : null}
        {fromOff ? <p data-testid="clipboard-from-off">{fromOff}</p> : null}
        {clipboard.systemAccess === 'denied' ? (
          <p className="menu-warning" data-testid="clipboard-denied">
            <span aria-hidden="true">⚠ </span>
            {t('viewer.clipboardDenied')}
          </p>
        ) : clipboard.systemAccess === 'granted' ? (
          <p>{t('viewer.clipboardSynced')}</p>
        ) : null}
      </div>
    </div>
  );
}
