// Ctrl+Alt+Shift opens and closes the viewer menu, as in the Guacamole client. Watched on
// the window in the capture phase, before Guacamole.Keyboard (on the document) sends the key
// to the desktop, so it works whether the desktop or the menu has the keys.
import { useEffect, useRef } from 'react';

const MODIFIER_KEYS = new Set(['Control', 'Alt', 'Shift']);

/** True for the key press that completes Ctrl+Alt+Shift (in any order, no other key). */
export function isMenuShortcut(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey'>): boolean {
  return MODIFIER_KEYS.has(e.key) && e.ctrlKey && e.altKey && e.shiftKey && !e.metaKey;
}

export function useMenuShortcut(onShortcut: () => void): void {
  const latest = useRef(onShortcut);
  useEffect(() => {
    latest.current = onShortcut;
  });
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.repeat || !isMenuShortcut(e)) return;
      // The desktop never sees the third key; the other two are released when the menu takes the keys.
      e.preventDefault();
      e.stopImmediatePropagation();
      latest.current();
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, []);
}
