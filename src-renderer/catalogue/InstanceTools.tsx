// An instance's live logs (polled every 2 s while shown) and its CPU and memory use
// (polled every 2 s while it runs). A VM's logs are the Proxmox task logs of its start.
import { useState } from 'react';
import type { InstanceStats } from '../../src-shared/contract';
import { toErrorInfo, type ErrorInfo } from '../../src-shared/errors';
import type { Instance } from '../../src-shared/model';
import { LogView } from '../components/LogView';
import { usePolling } from '../components/use-polling';
import { useT } from '../i18n/i18n';
import { formatBytes, formatPercent, shareOf } from '../store/format';
import { useCatalogue } from './store-context';
import { SaveAsAppAction } from './SaveAsAppAction';
import { errorMessage } from '../i18n/error-text';

export const POLL_MS = 2000;

function Stats({ instance }: { instance: Instance }) {
  const t = useT();
  const fetchStats = useCatalogue((s) => s.fetchStats);
  const running = instance.state === 'running';
  const [stats, setStats] = useState<InstanceStats | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);

  usePolling(
    async () => {
      try {
        setStats(await fetchStats(instance.id));
        setError(null);
      } catch (err) {
        setError(toErrorInfo(err));
      }
    },
    POLL_MS,
    running,
  );

  if (!running) {
    return (
      <div className="stats" data-testid="instance-stats" data-available="false">
        <p className="muted">{t('tools.statsWhileRunning')}</p>
      </div>
    );
  }
  if (!stats) {
    return (
      <div className="stats" data-testid="instance-stats" data-available="false">
        <p className="muted" role="status">
          {error ? t('tools.noFigures', { message: errorMessage(error) }) : t('tools.readingStats')}
        </p>
      </div>
    );
  }
  const memShare = shareOf(stats.memoryBytes, stats.memoryLimitBytes);
  return (
    <div className="stats" data-testid="instance-stats" data-available="true">
      <div className="stat">
        <span className="stat-label">{t('tools.cpu')}</span>
        <span className="stat-value" data-testid="instance-cpu">
          {formatPercent(stats.cpuPercent)}
        </span>
        <meter className="stat-meter" min={0} max={100} value={Math.min(stats.cpuPercent, 100)} aria-label={t('tools.cpuUse')} />
      </div>
      <div className="stat">
        <span className="stat-label">{t('tools.memory')}</span>
        <span className="stat-value">{memShare !== null ? formatPercent(memShare) : ''}</span>
        {memShare !== null ? (
          <meter
            className="stat-meter"
            min={0}
            max={stats.memoryLimitBytes}
            high={stats.memoryLimitBytes * 0.9}
            optimum={0}
            value={stats.memoryBytes}
            aria-label={t('tools.memoryUse')}
          />
        ) : null}
        <span className="stat-detail" data-testid="instance-memory">
          {formatBytes(stats.memoryBytes)}
          {memShare !== null ? ` ${t('tools.ofLimit', { limit: formatBytes(stats.memoryLimitBytes) })}` : ''}
        </span>
      </div>
      {error ? <p className="muted stats-stale">{t('tools.stale', { message: errorMessage(error) })}</p> : null}
    </div>
  );
}

function Logs({ instance, vm }: { instance: Instance; vm: boolean }) {
  const t = useT();
  const fetchLogs = useCatalogue((s) => s.fetchLogs);
  const [text, setText] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [loaded, setLoaded] = useState(false);
  // A stopped or failed instance has nothing to read from: keep what was shown.
  const live = instance.state !== 'stopped' && instance.state !== 'failed';

  usePolling(
    async () => {
      try {
        setText(await fetchLogs(instance.id));
        setError(null);
      } catch (err) {
        setError(toErrorInfo(err));
      } finally {
        setLoaded(true);
      }
    },
    POLL_MS,
    live,
  );

  const status = error ? (
    <span className="logs-error">{errorMessage(error)}</span>
  ) : live ? (
    <span className="muted">{t('tools.following', { seconds: POLL_MS / 1000 })}</span>
  ) : (
    <span className="muted">{text ? t('tools.asStopped') : ''}</span>
  );
  const empty = !live
    ? vm
      ? t('tools.noTaskLog')
      : t('tools.noLogs')
    : loaded
      ? vm
        ? t('tools.noTaskOutput')
        : t('tools.noLogOutput')
      : t('tools.loadingLogs');
  const title = vm ? t('tools.taskLog') : t('tools.logs');

  return (
    <div className="logs">
      <div className="logs-head">
        <span className="stat-label">{title}</span>
        {status}
      </div>
      <LogView text={text} label={t('tools.logLabel', { log: title, name: instance.name })} testId="instance-logs" empty={empty} />
    </div>
  );
}

export function InstanceTools({ instance, id, vm = false }: { instance: Instance; id: string; vm?: boolean }) {
  const t = useT();
  return (
    <div id={id} className="instance-tools" data-testid="instance-tools" role="region" aria-label={t('tools.label', { name: instance.name })}>
      <Stats instance={instance} />
      <Logs instance={instance} vm={vm} />
      <SaveAsAppAction instance={instance} vm={vm} />
    </div>
  );
}
