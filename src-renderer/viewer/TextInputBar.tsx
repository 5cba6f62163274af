// Text input for input methods (IME, dictation, compose): what the field commits is typed
// on the desktop key by key, then the field is emptied. Guacamole's "Text input" mode.
import { useEffect, useRef } from 'react';
import { t } from '../i18n/i18n';
import type { KeySink } from './OnScreenKeyboard';

/** Keys the field does not turn into text, sent as themselves. */
const EDIT_KEYS: Record<string, number> = {
  Enter: 0xff0d,
  Backspace: 0xff08,
  Tab: 0xff09,
  Escape: 0xff1b,
  Delete: 0xffff,
  Home: 0xff50,
  ArrowLeft: 0xff51,
  ArrowUp: 0xff52,
  ArrowRight: 0xff53,
  ArrowDown: 0xff54,
  End: 0xff57,
};

/** The X keysym of a character: Latin-1 as is, the rest as Unicode keysyms. */
export function keysymOf(codePoint: number): number {
  if (codePoint === 0x0a) return EDIT_KEYS.Enter!;
  return codePoint < 0x100 ? codePoint : 0x01000000 | codePoint;
}

function tap(sink: KeySink, keysym: number): void {
  sink.sendKeyEvent(1, keysym);
  sink.sendKeyEvent(0, keysym);
}

/** `active`: nothing of ours (the menu) has the keys, so the field takes them. */
export function TextInputBar({ sink, active }: { sink: KeySink; active: boolean }) {
  const composing = useRef(false);
  const fieldRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (active) fieldRef.current?.focus();
  }, [active]);
  const commit = (field: HTMLTextAreaElement) => {
    for (const ch of field.value) tap(sink, keysymOf(ch.codePointAt(0)!));
    field.value = '';
  };
  return (
    <div className="text-input-bar">
      <label htmlFor="viewer-text-input">{t('viewer.textInputLabel')}</label>
      <textarea
        id="viewer-text-input"
        data-testid="text-input"
        ref={fieldRef}
        rows={1}
        autoComplete="off"
        spellCheck={false}
        onCompositionStart={() => (composing.current = true)}
        onCompositionEnd={(e) => {
          composing.current = false;
          commit(e.currentTarget);
        }}
        onInput={(e) => {
          if (!composing.current) commit(e.currentTarget);
        }}
        onBlur={(e) => {
          // A click on the desktop leaves nothing focused: the field keeps the keys. Another
          // control (the toolbar) may take them.
          if (active && !e.relatedTarget) {
            const field = e.currentTarget;
            setTimeout(() => field.isConnected && field.focus());
          }
        }}
        onKeyDown={(e) => {
          const keysym = EDIT_KEYS[e.key];
          if (composing.current || keysym === undefined || e.currentTarget.value !== '') return;
          e.preventDefault();
          tap(sink, keysym);
        }}
      />
    </div>
  );
}
