// The viewer window: one remote desktop filling the window, and an overlay for
// every state but "connected".
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Instance } from '../../src-shared/model';
import { call } from '../api/call';
import { DisplaySession, KEYSYM, type ViewerSnapshot, type ViewerStats } from './display-session';
import { useInstance } from './use-instance';

const NO_INSTANCE: ViewerSnapshot = {
  state: 'error',
  title: 'No desktop chosen',
  detail: 'This window was opened without naming an instance.',
  action: 'Open the desktop from the DaaS Desktop window.',
  code: null,
};

const STARTING: ViewerSnapshot = { state: 'connecting', title: 'Connecting…', detail: null, action: null, code: null };

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
      return { title: 'Desktop stopped', detail: instance.stateReason ?? 'This instance was stopped.' };
    case 'failed':
      return { title: 'Desktop failed', detail: instance.stateReason ?? 'This instance failed.' };
    default:
      return null;
  }
}

export function ViewerApp({ instanceId }: { instanceId: string | null }) {
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
  const snapshot = instanceId ? live : NO_INSTANCE;
  const stats = useSyncExternalStore(session ? session.subscribeStats : noSubscribe, session ? session.getStats : () => NO_STATS);
  const [showStats, setShowStats] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);

  useEffect(() => {
    // "App — instance", so windows of several desktops can be told apart.
    document.title = instance ? `${instance.appName} — ${instance.name}` : 'Desktop';
  }, [instance?.appName, instance?.name]);

  const endedNow = explainEnded(instance);
  useEffect(() => {
    // A stopped instance cannot come back by reconnecting.
    session?.setAutoReconnect(!endedNow);
  }, [session, endedNow]);

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
  const title = ended?.title ?? snapshot.title;
  const detail = ended?.detail ?? snapshot.detail;
  const action = ended ? 'Start it again from the DaaS Desktop window.' : snapshot.action;
  const canReconnect = Boolean(session) && !ended && snapshot.state !== 'connecting';
  const busy = snapshot.state === 'connecting' || (snapshot.state === 'reconnecting' && !ended);

  return (
    <div className="viewer" data-testid="viewer" data-state={snapshot.state}>
      <div className="display" data-testid="display" ref={displayRef} />
      {snapshot.state === 'connected' ? (
        <div className="viewer-toolbar" data-testid="viewer-toolbar">
          <button type="button" className="toolbar-button" data-testid="keys-menu" aria-expanded={menuOpen} onClick={() => setMenuOpen(!menuOpen)}>
            Keys
          </button>
          {menuOpen ? (
            <div className="toolbar-menu" role="menu">
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
            Fullscreen
          </button>
          <button type="button" className="toolbar-button" data-testid="screenshot" onClick={() => void screenshot()}>
            Screenshot
          </button>
          <button type="button" className="toolbar-button" data-testid="toggle-stats" aria-pressed={showStats} onClick={() => setShowStats(!showStats)}>
            Stats
          </button>
        </div>
      ) : null}
      {showStats && snapshot.state === 'connected' ? (
        <div className="stats-overlay" data-testid="stats-overlay">
          {stats.width}×{stats.height} · {stats.fps} frames/s · {formatRate(stats.bytesPerSecond)}
          {stats.latencyMs !== null ? ` · ${stats.latencyMs} ms` : ''}
        </div>
      ) : null}
      {snapshot.state !== 'connected' ? (
        <div className="overlay" data-testid="viewer-overlay">
          <div className={`overlay-card overlay-${snapshot.state}`} role={snapshot.state === 'error' ? 'alert' : 'status'}>
            {busy ? <span className="spinner spinner-large" aria-hidden="true" /> : null}
            <h1 className="overlay-title">{title}</h1>
            {instance ? <p className="overlay-subtitle">{instance.name}</p> : null}
            {detail ? <p className="overlay-detail" data-testid="viewer-message">{detail}</p> : null}
            {action ? <p className="overlay-action">{action}</p> : null}
            {snapshot.code && !ended ? <p className="overlay-code">Code {snapshot.code}</p> : null}
            {canReconnect && snapshot.state !== 'reconnecting' ? (
              <button
                type="button"
                className="button button-primary"
                data-testid="reconnect"
                autoFocus
                onClick={() => void session?.connect()}
              >
                Reconnect
              </button>
            ) : null}
          </div>
        </div>
      ) : null}
      <div className="visually-hidden" aria-live="polite">
        {snapshot.state === 'connected' ? `Connected to ${instance?.name ?? 'the desktop'}.` : ''}
      </div>
    </div>
  );
}
