// The viewer window's title and icon. A single-app window is the application itself, so
// it carries the app's name and icon alone; a desktop says "App — instance", so windows
// of several desktops can be told apart.
import { useEffect, useState } from 'react';
import type { App, Instance } from '../../src-shared/model';
import { call } from '../api/call';
import { iconOf, PATHS } from '../components/app-icons';

/** The app an instance belongs to, or null while unknown (the title then falls back). */
export function useAppOf(instance: Instance | null): App | null {
  const appId = instance?.appId ?? null;
  const [app, setApp] = useState<App | null>(null);
  useEffect(() => {
    if (!appId) return;
    let active = true;
    call('apps.list', {})
      .then((apps) => {
        if (active) setApp(apps.find((a) => a.id === appId) ?? null);
      })
      .catch(() => undefined);
    return () => {
      active = false;
    };
  }, [appId]);
  return app;
}

export function isSingleApp(app: App | null): boolean {
  return app?.provider === 'docker' && app.docker.singleApp;
}

export function windowTitle(instance: Instance, app: App | null): string {
  return isSingleApp(app) ? instance.appName : `${instance.appName} — ${instance.name}`;
}

/** The app's icon as an SVG data URL (our outline, or the user's emoji or letter as text). */
export function iconUrl(app: App): string {
  const icon = iconOf(app);
  const body =
    'svg' in icon
      ? `<path d="${PATHS[icon.svg]}" fill="none" stroke="#88c0d0" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round"/>`
      : `<text x="12" y="18" font-size="17" text-anchor="middle">${escapeXml(icon.text)}</text>`;
  return `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">${body}</svg>`)}`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Sets the page's icon (the browser tab's; Electron shows the title). */
export function setWindowIcon(app: App | null): void {
  const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (link) link.href = app ? iconUrl(app) : 'data:,';
}
