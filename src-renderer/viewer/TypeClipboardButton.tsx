// The viewer's "Type clipboard" control: types this computer's clipboard text into the
// desktop as key presses (see type-clipboard.ts). Typed text goes to the desktop like a paste,
// so the clipboardToDesktop setting (or policy) governs it; clicking again while it types stops it.
import { useRef, useState } from 'react';
import { call } from '../api/call';
import { t } from '../i18n/i18n';
import { MAX_TYPED_CHARACTERS, typeText, type KeyTarget } from './type-clipboard';

export function TypeClipboardButton({ target }: { target: KeyTarget | null }) {
  const [typing, setTyping] = useState(false);
  const [problem, setProblem] = useState('');
  const cancelled = useRef(false);

  const start = async () => {
    if (!target) return;
    if (typing) {
      cancelled.current = true;
      return;
    }
    setProblem('');
    const settings = await call('settings.get', {}).catch(() => null);
    if (!settings?.clipboardToDesktop) {
      setProblem(t('viewer.typeClipboardRefused'));
      return;
    }
    const text = await navigator.clipboard?.readText().catch(() => null);
    if (!text) {
      setProblem(t('viewer.typeClipboardEmpty'));
      return;
    }
    if (text.length > MAX_TYPED_CHARACTERS) {
      setProblem(t('viewer.typeClipboardTooLong', { max: MAX_TYPED_CHARACTERS }));
      return;
    }
    cancelled.current = false;
    setTyping(true);
    try {
      await typeText(target, text, () => cancelled.current);
    } finally {
      setTyping(false);
    }
  };

  return (
    <>
      <button type="button" className="toolbar-button" data-testid="type-clipboard" aria-pressed={typing} onClick={() => void start()}>
        {typing ? t('viewer.typeClipboardStop') : t('viewer.typeClipboard')}
      </button>
      {problem ? (
        <span className="toolbar-note" role="alert" data-testid="type-clipboard-problem">
          {problem}
        </span>
      ) : null}
    </>
  );
}
