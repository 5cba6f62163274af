// Scrolling log text that follows new lines while the reader is at the bottom, and
// stays put while they scroll back.
import { useLayoutEffect, useRef } from 'react';
import { useT } from '../i18n/i18n';

export function LogView({ text, label, testId, empty }: { text: string; label: string; testId?: string; empty?: string }) {
  const t = useT();
  const ref = useRef<HTMLPreElement>(null);
  const follow = useRef(true);

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [text]);

  return (
    <pre
      ref={ref}
      className="log-view"
      data-testid={testId}
      // A scrollable region must be reachable with the keyboard.
      tabIndex={0}
      aria-label={label}
      onScroll={(event) => {
        const el = event.currentTarget;
        follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
      }}
    >
      {text || <span className="muted">{empty ?? t('common.nothingYet')}</span>}
    </pre>
  );
}
