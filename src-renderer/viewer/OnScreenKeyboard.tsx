// Guacamole's on-screen keyboard (guacamole-common-js) with our own en-US layout, along the
// bottom of the window; its keys go straight to the desktop.
import Guacamole from 'guacamole-common-js';
import { useEffect, useRef } from 'react';
import { t } from '../i18n/i18n';
import { EN_US_LAYOUT } from './osk-layout-en-us';

/** Wide enough to hit keys with a mouse, small enough to leave the desktop most of the window. */
const MAX_WIDTH_PX = 720;

export interface KeySink {
  sendKeyEvent(pressed: 0 | 1, keysym: number): void;
}

export function OnScreenKeyboard({ sink }: { sink: KeySink }) {
  const hostRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    // The typings describe Layout as its constructor; the library takes the plain object.
    const osk = new Guacamole.OnScreenKeyboard(EN_US_LAYOUT as unknown as Guacamole.OnScreenKeyboard.Layout);
    const down = new Set<number>();
    osk.onkeydown = (keysym) => {
      down.add(keysym);
      sink.sendKeyEvent(1, keysym);
    };
    osk.onkeyup = (keysym) => {
      down.delete(keysym);
      sink.sendKeyEvent(0, keysym);
    };
    host.replaceChildren(osk.getElement());
    const fit = () => osk.resize(Math.min(host.clientWidth, MAX_WIDTH_PX));
    const observer = new ResizeObserver(fit);
    observer.observe(host);
    fit();
    return () => {
      observer.disconnect();
      // Latched modifiers (Shift, Ctrl …) must not stay down on the desktop.
      for (const keysym of down) sink.sendKeyEvent(0, keysym);
      host.replaceChildren();
    };
  }, [sink]);
  return <div className="osk" data-testid="on-screen-keyboard" role="group" aria-label={t('viewer.onScreenKeyboard')} ref={hostRef} />;
}
