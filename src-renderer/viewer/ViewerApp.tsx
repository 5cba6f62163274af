// The viewer window: one remote desktop filling the window, and an overlay for
// every state but "connected".
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Instance } from '../../src-shared/model';
import { call } from '../api/call';
import { DisplaySession, type ViewerSnapshot } from './display-session';
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

  useEffect(() => {
    document.title = instance?.name ?? 'Desktop';
  }, [instance?.name]);

  const ended = snapshot.state === 'disconnected' || snapshot.state === 'error' ? explainEnded(instance) : null;
  const title = ended?.title ?? snapshot.title;
  const detail = ended?.detail ?? snapshot.detail;
  const action = ended ? 'Start it again from the DaaS Desktop window.' : snapshot.action;
  const canReconnect = Boolean(session) && !ended && snapshot.state !== 'connecting';

  return (
    <div className="viewer" data-testid="viewer" data-state={snapshot.state}>
      <div className="display" data-testid="display" ref={displayRef} />
      {snapshot.state !== 'connected' ? (
        <div className="overlay" data-testid="viewer-overlay">
          <div className={`overlay-card overlay-${snapshot.state}`} role={snapshot.state === 'error' ? 'alert' : 'status'}>
            {snapshot.state === 'connecting' ? <span className="spinner spinner-large" aria-hidden="true" /> : null}
            <h1 className="overlay-title">{title}</h1>
            {instance ? <p className="overlay-subtitle">{instance.name}</p> : null}
            {detail ? <p className="overlay-detail" data-testid="viewer-message">{detail}</p> : null}
            {action ? <p className="overlay-action">{action}</p> : null}
            {snapshot.code && !ended ? <p className="overlay-code">Code {snapshot.code}</p> : null}
            {canReconnect ? (
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
