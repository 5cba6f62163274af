// Says plainly when the core cannot be reached, and when it will be tried again.
import { useEffect, useState } from 'react';
import type { ConnectionMonitor } from '../api/connection';
import { useT } from '../i18n/i18n';
import { useConnectionStatus } from './use-connection-status';

/** Seconds until the next attempt; remounted (keyed) for every new retry time. */
function Countdown({ until }: { until: number }) {
  const t = useT();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.ceil((until - now) / 1000);
  return <>{seconds > 0 ? t('connection.retryIn', { seconds }) : t('connection.retrying')}</>;
}

export function ConnectionNotice({ monitor }: { monitor: ConnectionMonitor }) {
  const t = useT();
  const status = useConnectionStatus(monitor);

  if (status.state === 'open') return null;

  // The first attempt (or the first after a drop) gets a quiet "connecting" line; while
  // retrying after failures the "cannot reach" explanation stays put instead of flickering.
  if (status.state === 'connecting' && status.failures === 0) {
    return (
      <div className="notice notice-info" role="status" data-testid="connection-status" data-connection="connecting">
        <span className="spinner" aria-hidden="true" />
        <span>{status.everConnected ? t('connection.reconnecting') : t('connection.connecting')}</span>
      </div>
    );
  }

  return (
    <div className="notice notice-warning" role="status" data-testid="connection-status" data-connection={status.state}>
      <div className="notice-text">
        <strong>{status.everConnected ? t('connection.lost') : t('connection.unreachable')}</strong>{' '}
        <span>
          {t('connection.advice')}{' '}
          {status.state === 'closed' ? <Countdown key={status.retryAt} until={status.retryAt} /> : t('connection.retrying')}
        </span>
      </div>
      <button
        type="button"
        className="button button-secondary"
        disabled={status.state !== 'closed'}
        onClick={() => monitor.retryNow()}
      >
        {t('connection.retryNow')}
      </button>
    </div>
  );
}
