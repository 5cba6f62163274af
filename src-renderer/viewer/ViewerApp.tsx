// The viewer window: one remote desktop filling the window, and an overlay for
// every state but "connected".
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Instance } from '../../src-shared/model';
import { call } from '../api/call';
import { t, useT } from '../i18n/i18n';
import { DisplaySession, KEYSYM, type ViewerSnapshot, type ViewerStats } from './display-session';
import { useInstance } from './use-instance';
import { FileUploads } from './file-uploads';
import { UploadList } from './UploadList';
import { AudioControl } from './AudioControl';
import { errorMessage, instanceReason } from '../i18n/error-text';
import { toErrorInfo } from '../../src-shared/errors';

const noInstance = (): ViewerSnapshot => ({
  state: 'error',
  title: t('viewer.noInstanceTitle'),
  detail: t('viewer.noInstanceDetail'),
  action: t('viewer.noInstanceAction'),
  code: null,
});

const STARTING: ViewerSnapshot = { state: 'connecting', title: '', detail: null, action: null, code: null };

const noSubscribe = () => () => undefined;
const NO_STATS: ViewerStats = { fps: 0, bytesPerSecond: 0, latencyMs: null, width: 0, height: 0 };

const { Control_L, Alt_L, Delete, Super_L, F1 } = KEYSYM;
const SPECIAL_KEYS: Array<{ label: string; keys: number[] }> = [
  { label: 'Ctrl+Alt+Del', keys: [Control_L, Alt_L, Delete] },
  { label: 'Super', keys: [Super_L] },
  ...Array.from({ length: 12 }, (_, i) => ({ label: `Ctrl+Alt+F${i + 1}`, keys: [Control_L, Alt_L, F1 + i] })),
];

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

function formatRate(bytes: number): string {
  return bytes > 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB/s` : `${(bytes / 1024).toFixed(0)} KiB/s`;
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
  const fileInputRef = useRef<HTMLInputElement>(null);
  const sendFiles = (files: FileList | null) => {
    const port = session?.fileStreams();
    if (!port || !files) return;
    for (const file of Array.from(files)) uploads.start(port, file);
  };
  useEffect(() => {
    // Acks of the old connection never come: say so instead of showing uploads stuck.
    if (snapshot.state !== 'connected') uploads.failActive(t('viewer.uploadConnectionLost'));
  }, [snapshot.state, uploads]);
  const [menuOpen, setMenuOpen] = useState(false);

  useEffect(() => {
    // "App — instance", so windows of several desktops can be told apart.
    document.title = instance ? `${instance.appName} — ${instance.name}` : t('viewer.windowTitle');
  });

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
        if (snapshot.state === 'connected' && e.dataTransfer.types.includes('Files')) e.preventDefault();
      }}
      onDrop={(e) => {
        e.preventDefault();
        sendFiles(e.dataTransfer.files);
      }}
    >
      <main className="display" data-testid="display" ref={displayRef} aria-label={t('viewer.display')} />
      {snapshot.state === 'connected' ? (
        <nav className="viewer-toolbar" data-testid="viewer-toolbar" aria-label={t('viewer.toolbar')}>
          <button
            type="button"
            className="toolbar-button"
            data-testid="keys-menu"
            aria-expanded={menuOpen}
            aria-haspopup="menu"
            onClick={() => setMenuOpen(!menuOpen)}
          >
            {t('viewer.keys')}
          </button>
          {menuOpen ? (
            <div className="toolbar-menu" role="menu" aria-label={t('viewer.keysMenu')}>
              {SPECIAL_KEYS.map((k) => (
                <button
                  key={k.label}
                  type="button"
                  role="menuitem"
                  onClick={() => {
                    session?.sendKeys(k.keys);
                    setMenuOpen(false);
                  }}
                >
                  {k.label}
                </button>
              ))}
            </div>
          ) : null}
          <button type="button" className="toolbar-button" data-testid="fullscreen" onClick={() => void toggleFullscreen().catch(() => undefined)}>
            {t('viewer.fullscreen')}
          </button>
          <button type="button" className="toolbar-button" data-testid="screenshot" onClick={() => void screenshot()}>
            {t('viewer.screenshot')}
          </button>
          <button type="button" className="toolbar-button" data-testid="toggle-stats" aria-pressed={showStats} onClick={() => setShowStats(!showStats)}>
            {t('viewer.stats')}
          </button>
          <button type="button" className="toolbar-button" data-testid="upload" onClick={() => fileInputRef.current?.click()}>
            {t('viewer.upload')}
          </button>
          <AudioControl session={session} />
          <input
            ref={fileInputRef}
            type="file"
            multiple
            hidden
            data-testid="upload-input"
            onChange={(e) => {
              sendFiles(e.currentTarget.files);
              e.currentTarget.value = '';
            }}
          />
        </nav>
      ) : null}
      {showStats && snapshot.state === 'connected' ? (
        <div className="stats-overlay" data-testid="stats-overlay">
          {stats.width}×{stats.height} · {t('viewer.framesPerSecond', { fps: stats.fps })} · {formatRate(stats.bytesPerSecond)}
          {stats.latencyMs !== null ? ` · ${stats.latencyMs} ms` : ''}
        </div>
      ) : null}
      <UploadList uploads={uploads} />
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
