// The viewer window: one remote desktop filling the window, and an overlay for
// every state but "connected". Every key goes to the desktop, Tab included; Ctrl+Alt+Shift
// opens the viewer menu, which then has the keys.
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Instance } from '../../src-shared/model';
import { call } from '../api/call';
import { t, useT } from '../i18n/i18n';
import { DisplaySession, type ScaleMode, type ViewerSnapshot, type ViewerStats } from './display-session';
import { useInstance } from './use-instance';
import { FileUploads } from './file-uploads';
import { UploadList } from './UploadList';
import { TypeClipboardButton } from './TypeClipboardButton';
import { FilesPanel } from './FilesPanel';
import { AudioControl } from './AudioControl';
import { errorMessage, instanceReason } from '../i18n/error-text';
import { toErrorInfo } from '../../src-shared/errors';
import { ViewerToolbar } from './ViewerToolbar';
import { ViewerMenu, type MenuSection } from './ViewerMenu';
import { useMenuShortcut } from './menu-shortcut';
import { ClipboardPanel } from './ClipboardPanel';
import { InputPanel, type InputMode } from './InputPanel';
import { ZoomPanel } from './ZoomPanel';
import { OnScreenKeyboard } from './OnScreenKeyboard';
import { TextInputBar } from './TextInputBar';
import { formatRate } from './ConnectionQuality';
import { filesOfDrop, filesOfInput, type PickedFile } from './dropped-files';
import { setWindowIcon, useAppOf, windowTitle } from './window-identity';

const noInstance = (): ViewerSnapshot => ({
  state: 'error',
  title: t('viewer.noInstanceTitle'),
  detail: t('viewer.noInstanceDetail'),
  action: t('viewer.noInstanceAction'),
  code: null,
});

const STARTING: ViewerSnapshot = { state: 'connecting', title: '', detail: null, action: null, code: null };

const noSubscribe = () => () => undefined;
const NO_STATS: ViewerStats = { fps: 0, bytesPerSecond: 0, latencyMs: null, width: 0, height: 0, unstable: false };
const NOTHING_HELD: ReadonlySet<number> = new Set();

const PIN_KEY = 'daas.viewer.toolbarPinned';
function rememberedPin(): boolean {
  try {
    return localStorage.getItem(PIN_KEY) === 'true';
  } catch {
    return false; // storage refused: the toolbar hides, as by default
  }
}

/** Fullscreen, capturing system keys (Esc, Alt+Tab, Super) where the Keyboard Lock API exists. */
async function toggleFullscreen(): Promise<void> {
  const nav = navigator as Navigator & { keyboard?: { lock?: (codes?: string[]) => Promise<void>; unlock?: () => void } };
  if (document.fullscreenElement) {
    nav.keyboard?.unlock?.();
    await document.exitFullscreen();
    return;
  }
  await document.documentElement.requestFullscreen();
  await nav.keyboard?.lock?.().catch(() => undefined);
}

/** When the instance itself is gone, say so instead of offering a reconnect that must fail. */
function explainEnded(instance: Instance | null): { title: string; detail: string } | null {
  if (!instance) return null;
  switch (instance.state) {
    case 'stopping':
    case 'stopped':
      return { title: t('viewer.stoppedTitle'), detail: instanceReason(instance) ?? t('viewer.stoppedDetail') };
    case 'failed':
      return { title: t('viewer.failedTitle'), detail: instanceReason(instance) ?? t('viewer.failedDetail') };
    default:
      return null;
  }
}

export function ViewerApp({ instanceId }: { instanceId: string | null }) {
  useT();
  const displayRef = useRef<HTMLDivElement>(null);
  const [session, setSession] = useState<DisplaySession | null>(null);
  const instance = useInstance(instanceId);

  useEffect(() => {
    const container = displayRef.current;
    if (!instanceId || !container) return;
    const created = new DisplaySession(container, (size) =>
      call('display.connect', { instanceId, width: size.width, height: size.height }),
    );
    setSession(created);
    void created.connect();
    const end = () => created.dispose();
    window.addEventListener('beforeunload', end);
    window.addEventListener('pagehide', end);
    return () => {
      window.removeEventListener('beforeunload', end);
      window.removeEventListener('pagehide', end);
      created.dispose();
    };
  }, [instanceId]);

  const live = useSyncExternalStore(
    session ? session.subscribe : noSubscribe,
    session ? session.getSnapshot : () => STARTING,
  );
  const snapshot = instanceId ? live : noInstance();
  const stats = useSyncExternalStore(session ? session.subscribeStats : noSubscribe, session ? session.getStats : () => NO_STATS);
  const [showStats, setShowStats] = useState(false);
  const [uploads] = useState(() => new FileUploads());
  const [filesOpen, setFilesOpen] = useState(false);
  const fileAccess = session?.fileAccess() ?? { upload: false, download: false };
  /** Files of a drop or a picker; those of a folder (a path with "/") go into one new folder per drop. */
  const sendFiles = (files: PickedFile[]) => {
    const port = session?.fileStreams();
    if (!port || !fileAccess.upload) return;
    const drop = crypto.randomUUID();
    for (const { file, path } of files) uploads.start(port, file, path, path.includes('/') ? drop : null);
  };
  useEffect(() => {
    // Acks of the old connection never come: say so instead of showing uploads stuck.
    if (snapshot.state !== 'connected') uploads.failActive(t('viewer.uploadConnectionLost'));
  }, [snapshot.state, uploads]);
  const [menuOpen, setMenuOpen] = useState(false);
  const [popupOpen, setPopupOpen] = useState(false);
  const [inputMode, setInputMode] = useState<InputMode>('keyboard');
  const [held, setHeld] = useState<ReadonlySet<number>>(NOTHING_HELD);
  const [scale, setScale] = useState<ScaleMode>({ kind: 'fit' });
  const [pinned, setPinned] = useState(rememberedPin);
  const [showHint, setShowHint] = useState(false);
  const connected = snapshot.state === 'connected';

  useMenuShortcut(() => setMenuOpen((open) => !open && connected));
  useEffect(() => {
    // The menu, a toolbar pop-up and the text-input field have the keys; otherwise the desktop.
    session?.setKeyboardEnabled(!menuOpen && !popupOpen && inputMode !== 'text');
  }, [session, menuOpen, popupOpen, inputMode]);
  useEffect(() => {
    if (connected) return;
    // A new connection starts with nothing held and nothing of ours open.
    setMenuOpen(false);
    setHeld(NOTHING_HELD);
  }, [connected]);
  useEffect(() => session?.setScaleMode(scale), [session, scale]);
  const hinted = useRef(false);
  useEffect(() => {
    if (!connected || hinted.current) return;
    // Once per window: how to reach the menu when every key goes to the desktop.
    hinted.current = true;
    setShowHint(true);
    const timer = setTimeout(() => setShowHint(false), 8_000);
    return () => {
      clearTimeout(timer);
      setShowHint(false);
    };
  }, [connected]);
  const pin = (next: boolean) => {
    setPinned(next);
    try {
      localStorage.setItem(PIN_KEY, String(next));
    } catch {
      // Not remembered; it still applies now.
    }
  };
  const toggleHeld = (keysym: number) => {
    const next = new Set(held);
    const press = !next.has(keysym);
    if (press) next.add(keysym);
    else next.delete(keysym);
    session?.sendKeyEvent(press ? 1 : 0, keysym);
    setHeld(next);
  };
  const onPopupChange = useCallback((open: boolean) => setPopupOpen(open), []);

  const app = useAppOf(instance);
  useEffect(() => {
    document.title = instance ? windowTitle(instance, app) : t('viewer.windowTitle');
  });
  useEffect(() => setWindowIcon(app), [app]);

  // Restart from the viewer (offered when the desktop hangs): reconnect once it runs again.
  const [restart, setRestart] = useState<{ since: string } | { error: string } | null>(null);
  const restartDesktop = async () => {
    if (!instanceId || !session) return;
    session.setAutoReconnect(false);
    try {
      const starting = await call('instances.restart', { instanceId });
      setRestart({ since: starting.updatedAt });
    } catch (err) {
      setRestart({ error: errorMessage(toErrorInfo(err)) });
      session.setAutoReconnect(true);
    }
  };
  useEffect(() => {
    if (!session || !restart || !('since' in restart) || instance?.state !== 'running') return;
    if (Date.parse(instance.updatedAt) < Date.parse(restart.since)) return; // still the state before the restart
    setRestart(null);
    session.setAutoReconnect(true);
    void session.connect();
  }, [session, restart, instance]);
  // A restart asked for elsewhere (the catalogue, the tray): the desktop goes away on purpose.
  const restartAsked =
    instance?.state === 'starting' && Boolean(instance.stateReasonText?.texts.some((text) => text.key === 'reason.restarting'));
  const wasRestartAsked = useRef(false);
  useEffect(() => {
    const began = !wasRestartAsked.current && restartAsked;
    const finished = wasRestartAsked.current && !restartAsked;
    wasRestartAsked.current = restartAsked;
    // The drop that follows is expected: no error, no code, no retry loop.
    if (began) session?.suspend();
    // Back up: connect at once.
    if (finished && session && instance?.state === 'running' && session.getSnapshot().state !== 'connected') void session.connect();
  }, [session, restartAsked, instance]);
  const restarting = (restart !== null && 'since' in restart) || restartAsked;

  const endedNow = explainEnded(instance);
  useEffect(() => {
    // A stopped instance cannot come back by reconnecting; a restarting one is reconnected when it runs.
    session?.setAutoReconnect(!endedNow && !restartAsked);
  }, [session, endedNow, restartAsked]);

  const ended =
    snapshot.state === 'disconnected' || snapshot.state === 'error' || snapshot.state === 'reconnecting' ? endedNow : null;

  const screenshot = async () => {
    const blob = await session?.screenshot();
    if (!blob) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${instance?.name ?? 'desktop'}-${new Date().toISOString().replace(/[:.]/g, '-')}.png`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };
  // The session's words are set when its state changes; "connecting" before it exists.
  const title = ended?.title ?? (restarting ? t('viewer.restarting') : snapshot.title || t('viewer.connecting'));
  const detail = ended?.detail ?? (restarting ? t('viewer.restartingDetail') : snapshot.detail);
  const action = ended ? t('viewer.startAgain') : restarting ? '' : snapshot.action;
  const canReconnect = Boolean(session) && !ended && !restarting && snapshot.state !== 'connecting';
  const busy = snapshot.state === 'connecting' || restarting || (snapshot.state === 'reconnecting' && !ended);
  const canRestart = Boolean(snapshot.offerRestart) && !ended && !restarting && instance?.state === 'running';

  return (
    <div
      className="viewer"
      data-testid="viewer"
      data-state={snapshot.state}
      onDragOver={(e) => {
        // Accepting the drag is what lets a drop of files happen here.
        if (snapshot.state === 'connected' && fileAccess.upload && e.dataTransfer.types.includes('Files')) e.preventDefault();
      }}
      onDrop={(e) => {
        e.preventDefault();
        void filesOfDrop(e.dataTransfer).then(sendFiles);
      }}
    >
      {connected ? (
        <ViewerToolbar
          pinned={pinned}
          onPinned={pin}
          stats={stats}
          showStats={showStats}
          onToggleStats={() => setShowStats(!showStats)}
          onOpenMenu={() => setMenuOpen(true)}
          onSendKeys={(keys) => session?.sendKeys(keys)}
          onFullscreen={() => void toggleFullscreen().catch(() => undefined)}
          onScreenshot={() => void screenshot()}
          onUpload={(files) => files && sendFiles(filesOfInput(files))}
          uploadAllowed={fileAccess.upload}
          onPopupChange={onPopupChange}
        >
          {fileAccess.download ? (
            <button type="button" className="toolbar-button" data-testid="files" aria-pressed={filesOpen} onClick={() => setFilesOpen(!filesOpen)}>
              {t('viewer.files')}
            </button>
          ) : null}
          <TypeClipboardButton target={session} />
          <AudioControl session={session} access={session?.soundAccess() ?? { playback: false, microphone: false }} />
        </ViewerToolbar>
      ) : null}
      <main className="display" data-testid="display" ref={displayRef} aria-label={t('viewer.display')} />
      {connected && session && inputMode === 'text' ? <TextInputBar sink={session} active={!menuOpen} /> : null}
      {connected && session && inputMode === 'osk' ? <OnScreenKeyboard sink={session} /> : null}
      {connected && showHint && !menuOpen ? (
        <p className="viewer-hint" data-testid="menu-shortcut-hint" role="status">
          {t('viewer.menuShortcut')}
        </p>
      ) : null}
      {connected && session && menuOpen ? (
        <ViewerMenu
          instanceName={instance?.name ?? null}
          stats={stats}
          onClose={() => setMenuOpen(false)}
          onDisconnect={() => {
            setMenuOpen(false);
            session.disconnect();
          }}
          sections={
            [
              { id: 'clipboard', title: t('viewer.clipboard'), content: <ClipboardPanel session={session} /> },
              {
                id: 'input',
                title: t('viewer.input'),
                content: <InputPanel mode={inputMode} onMode={setInputMode} held={held} onToggleHeld={toggleHeld} />,
              },
              { id: 'zoom', title: t('viewer.zoom'), content: <ZoomPanel mode={scale} onChange={setScale} /> },
              ...(fileAccess.download
                ? [
                    {
                      id: 'files',
                      title: t('viewer.files'),
                      content: (
                        <button
                          type="button"
                          data-testid="menu-open-files"
                          onClick={() => {
                            setMenuOpen(false);
                            setFilesOpen(true);
                          }}
                        >
                          {t('viewer.openFiles')}
                        </button>
                      ),
                    },
                  ]
                : []),
            ] satisfies MenuSection[]
          }
        />
      ) : null}
      {showStats && connected ? (
        <div className="stats-overlay" data-testid="stats-overlay">
          {stats.width}×{stats.height} · {t('viewer.framesPerSecond', { fps: stats.fps })} · {formatRate(stats.bytesPerSecond)}
          {stats.latencyMs !== null ? ` · ${stats.latencyMs} ms` : ''}
        </div>
      ) : null}
      <UploadList uploads={uploads} />
      <FilesPanel session={session} open={filesOpen && fileAccess.download} onClose={() => setFilesOpen(false)} />
      {snapshot.state !== 'connected' ? (
        <div className="overlay" data-testid="viewer-overlay">
          <div className={`overlay-card overlay-${snapshot.state}`} role={snapshot.state === 'error' ? 'alert' : 'status'}>
            {busy ? <span className="spinner spinner-large" aria-hidden="true" /> : null}
            <h1 className="overlay-title">{title}</h1>
            {instance ? <p className="overlay-subtitle">{instance.name}</p> : null}
            {detail ? <p className="overlay-detail" data-testid="viewer-message">{detail}</p> : null}
            {action ? <p className="overlay-action">{action}</p> : null}
            {snapshot.code && !ended && !restarting ? <p className="overlay-code">{t('viewer.code', { code: snapshot.code })}</p> : null}
            {restart && 'error' in restart ? (
              <p className="overlay-detail" role="alert">
                {t('viewer.restartFailed', { reason: restart.error })}
              </p>
            ) : null}
            {canRestart ? (
              <button type="button" className="button" data-testid="restart-desktop" onClick={() => void restartDesktop()}>
                {t('viewer.restart')}
              </button>
            ) : null}
            {canReconnect && snapshot.state !== 'reconnecting' ? (
              <button
                type="button"
                className="button button-primary"
                data-testid="reconnect"
                autoFocus
                onClick={() => void session?.connect()}
              >
                {t('viewer.reconnect')}
              </button>
            ) : null}
          </div>
        </div>
      ) : null}
      <div className="visually-hidden" aria-live="polite">
        {snapshot.state === 'connected' ? t('viewer.connectedTo', { name: instance?.name ?? t('viewer.theDesktop') }) : ''}
      </div>
    </div>
  );
}
