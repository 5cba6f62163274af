// The viewer's toolbar: a slim bar along the top. Unpinned it hides and comes back when the
// pointer touches the window's top edge (or a control in it has focus); pinned it keeps its
// own strip and the desktop gets the rest of the window.
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { t } from '../i18n/i18n';
import { ConnectionQuality } from './ConnectionQuality';
import { KEYSYM, type ViewerStats } from './display-session';
import { useDismiss } from './use-dismiss';

const { Control_L, Alt_L, Delete, Super_L, F1 } = KEYSYM;
const SPECIAL_KEYS: Array<{ label: string; keys: number[] }> = [
  { label: 'Ctrl+Alt+Del', keys: [Control_L, Alt_L, Delete] },
  { label: 'Super', keys: [Super_L] },
  ...Array.from({ length: 12 }, (_, i) => ({ label: `Ctrl+Alt+F${i + 1}`, keys: [Control_L, Alt_L, F1 + i] })),
];

/** The pointer this close to the top edge brings the hidden toolbar back. */
const REVEAL_EDGE_PX = 4;

export interface ViewerToolbarProps {
  pinned: boolean;
  onPinned: (pinned: boolean) => void;
  stats: ViewerStats;
  showStats: boolean;
  onToggleStats: () => void;
  onOpenMenu: () => void;
  onSendKeys: (keysyms: number[]) => void;
  onFullscreen: () => void;
  onScreenshot: () => void;
  onUpload: (files: FileList | null) => void;
  /** The ticket allows uploads (policy fileUpload): else no Upload… button. */
  uploadAllowed: boolean;
  /** A pop-up of the toolbar is open: it has the keys (Escape closes it). */
  onPopupChange: (open: boolean) => void;
  /** Controls of other features (Type clipboard, sound), after the built-in ones. */
  children?: ReactNode;
}

export function ViewerToolbar(props: ViewerToolbarProps) {
  const { pinned, onPopupChange } = props;
  const [keysOpen, setKeysOpen] = useState(false);
  const [revealed, setRevealed] = useState(false);
  const keysRef = useRef<HTMLDivElement>(null);
  const fileInputRef = useRef<HTMLInputElement>(null);
  const folderInputRef = useRef<HTMLInputElement>(null);
  useDismiss(keysRef, keysOpen, () => setKeysOpen(false));
  useEffect(() => onPopupChange(keysOpen), [keysOpen, onPopupChange]);
  useEffect(() => {
    if (pinned) return;
    const onMove = (e: MouseEvent) => {
      if (e.clientY <= REVEAL_EDGE_PX) setRevealed(true);
    };
    document.addEventListener('mousemove', onMove, { passive: true });
    return () => document.removeEventListener('mousemove', onMove);
  }, [pinned]);

  return (
    <nav
      className="viewer-toolbar"
      data-testid="viewer-toolbar"
      data-pinned={pinned}
      data-revealed={pinned || revealed || keysOpen}
      aria-label={t('viewer.toolbar')}
      onMouseLeave={() => setRevealed(false)}
    >
      <button
        type="button"
        className="toolbar-button"
        data-testid="open-menu"
        aria-keyshortcuts="Control+Alt+Shift"
        title={t('viewer.menuShortcut')}
        onClick={props.onOpenMenu}
      >
        {t('viewer.menu')}
      </button>
      <div className="toolbar-popup" ref={keysRef}>
        <button
          type="button"
          className="toolbar-button"
          data-testid="keys-menu"
          aria-expanded={keysOpen}
          aria-haspopup="menu"
          onClick={() => setKeysOpen(!keysOpen)}
        >
          {t('viewer.keys')}
        </button>
        {keysOpen ? (
          <div className="toolbar-menu" role="menu" aria-label={t('viewer.keysMenu')} data-testid="keys-list">
            {SPECIAL_KEYS.map((k) => (
              <button
                key={k.label}
                type="button"
                role="menuitem"
                onClick={() => {
                  props.onSendKeys(k.keys);
                  setKeysOpen(false);
                }}
              >
                {k.label}
              </button>
            ))}
          </div>
        ) : null}
      </div>
      <button type="button" className="toolbar-button" data-testid="fullscreen" onClick={props.onFullscreen}>
        {t('viewer.fullscreen')}
      </button>
      <button type="button" className="toolbar-button" data-testid="screenshot" onClick={props.onScreenshot}>
        {t('viewer.screenshot')}
      </button>
      <button type="button" className="toolbar-button" data-testid="toggle-stats" aria-pressed={props.showStats} onClick={props.onToggleStats}>
        {t('viewer.stats')}
      </button>
      {props.uploadAllowed ? (
        <button type="button" className="toolbar-button" data-testid="upload" onClick={() => fileInputRef.current?.click()}>
          {t('viewer.upload')}
        </button>
      ) : null}
      {props.uploadAllowed ? (
        <button type="button" className="toolbar-button" data-testid="upload-folder" onClick={() => folderInputRef.current?.click()}>
          {t('viewer.uploadFolder')}
        </button>
      ) : null}
      {/* A folder picker (each file carries its path in it); React has no webkitdirectory prop. */}
      <input
        ref={folderInputRef}
        type="file"
        hidden
        data-testid="upload-folder-input"
        {...{ webkitdirectory: '' }}
        onChange={(e) => {
          props.onUpload(e.currentTarget.files);
          e.currentTarget.value = '';
        }}
      />
      <input
        ref={fileInputRef}
        type="file"
        multiple
        hidden
        data-testid="upload-input"
        onChange={(e) => {
          props.onUpload(e.currentTarget.files);
          e.currentTarget.value = '';
        }}
      />
      {props.children}
      <ConnectionQuality stats={props.stats} compact />
      <button
        type="button"
        className="toolbar-button toolbar-pin"
        data-testid="pin-toolbar"
        aria-pressed={pinned}
        title={t(pinned ? 'viewer.unpinHint' : 'viewer.pinHint')}
        onClick={() => props.onPinned(!pinned)}
      >
        {t('viewer.pin')}
      </button>
    </nav>
  );
}
