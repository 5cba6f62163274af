// The viewer menu (the Guacamole client's Ctrl+Alt+Shift menu): a modal side panel that
// has the keys while open. Its body is a list of sections; a feature adds its panel by
// adding a section (see ViewerApp), nothing here changes.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { trapTab } from '../components/Dialog';
import { t } from '../i18n/i18n';
import { ConnectionQuality } from './ConnectionQuality';
import type { ViewerStats } from './display-session';

export interface MenuSection {
  /** Stable id: the section's data-testid is `menu-section-<id>`. */
  id: string;
  title: string;
  content: ReactNode;
}

export interface ViewerMenuProps {
  instanceName: string | null;
  stats: ViewerStats;
  sections: readonly MenuSection[];
  onClose: () => void;
  onDisconnect: () => void;
}

export function ViewerMenu({ instanceName, stats, sections, onClose, onDisconnect }: ViewerMenuProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
      if (previous?.isConnected) previous.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="viewer-menu"
      data-testid="viewer-menu"
      aria-labelledby={titleId}
      onKeyDown={trapTab}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <header className="viewer-menu-header">
        <div>
          <h2 id={titleId}>{instanceName ?? t('viewer.theDesktop')}</h2>
          <p className="viewer-menu-hint" data-testid="menu-hint">
            {t('viewer.menuHint')}
          </p>
        </div>
        <button type="button" className="icon-button" data-testid="menu-close" aria-label={t('common.close')} onClick={onClose}>
          <span aria-hidden="true">×</span>
        </button>
      </header>
      <div className="viewer-menu-connection">
        <ConnectionQuality stats={stats} />
        <button type="button" className="button" data-testid="menu-disconnect" onClick={onDisconnect}>
          {t('viewer.disconnect')}
        </button>
      </div>
      {sections.map((s) => (
        <section key={s.id} className="viewer-menu-section" data-testid={`menu-section-${s.id}`} aria-labelledby={`${titleId}-${s.id}`}>
          <h3 id={`${titleId}-${s.id}`}>{s.title}</h3>
          {s.content}
        </section>
      ))}
    </dialog>
  );
}
