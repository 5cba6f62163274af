// An app's icon. Named icons are our own SVGs, so they show on a computer without an emoji
// font; anything else in the icon field is text the user chose (an emoji, a letter).
import type { App } from '../../src-shared/model';
import { iconOf, PATHS } from './app-icons';

export function AppIcon({ app, className = 'app-icon' }: { app: Pick<App, 'icon' | 'provider'>; className?: string }) {
  const icon = iconOf(app);
  return (
    <span className={className} aria-hidden="true" data-testid="app-icon">
      {'svg' in icon ? (
        <svg viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" data-icon={icon.svg}>
          <path d={PATHS[icon.svg]} />
        </svg>
      ) : (
        icon.text
      )}
    </span>
  );
}
