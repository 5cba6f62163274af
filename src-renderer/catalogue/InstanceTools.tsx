// An instance's live logs (polled every 2 s while shown) and its CPU and memory use
// (polled every 2 s while it runs). A VM's logs are the Proxmox task logs of its start.
import { useState } from 'react';
import type { InstanceStats } from '../../src-shared/contract';
import { toErrorInfo, type ErrorInfo } from '../../src-shared/errors';
import type { Instance } from '../../src-shared/model';
import { LogView } from '../components/LogView';
import { usePolling } from '../components/use-polling';
import { formatBytes, formatPercent, shareOf } from '../store/format';
import { useCatalogue } from './store-context';

export const POLL_MS = 2000;

function Stats({ instance }: { instance: Instance }) {
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
        <p className="muted">CPU and memory use show while the instance runs.</p>
      </div>
    );
  }
  if (!stats) {
    return (
      <div className="stats" data-testid="instance-stats" data-available="false">
        <p className="muted">{error ? `No figures: ${error.message}` : 'Reading CPU and memory use…'}</p>
      </div>
    );
  }
  const memShare = shareOf(stats.memoryBytes, stats.memoryLimitBytes);
  return (
    <div className="stats" data-testid="instance-stats" data-available="true">
      <div className="stat">
        <span className="stat-label">CPU</span>
        <span className="stat-value" data-testid="instance-cpu">
          {formatPercent(stats.cpuPercent)}
        </span>
        <meter className="stat-meter" min={0} max={100} value={Math.min(stats.cpuPercent, 100)} aria-label="CPU use" />
      </div>
      <div className="stat">
        <span className="stat-label">Memory</span>
        <span className="stat-value">{memShare !== null ? formatPercent(memShare) : ''}</span>
        {memShare !== null ? (
          <meter
            className="stat-meter"
            min={0}
            max={stats.memoryLimitBytes}
            high={stats.memoryLimitBytes * 0.9}
            optimum={0}
            value={stats.memoryBytes}
            aria-label="Memory use of its limit"
          />
        ) : null}
        <span className="stat-detail" data-testid="instance-memory">
          {formatBytes(stats.memoryBytes)}
          {memShare !== null ? ` of ${formatBytes(stats.memoryLimitBytes)}` : ''}
        </span>
      </div>
      {error ? <p className="muted stats-stale">Figures may be stale: {error.message}</p> : null}
    </div>
  );
}

function Logs({ instance, vm }: { instance: Instance; vm: boolean }) {
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
    <span className="logs-error">{error.message}</span>
  ) : live ? (
    <span className="muted">following, every 2 s</span>
  ) : (
    <span className="muted">{text ? 'as it was when it stopped' : ''}</span>
  );
  const empty = !live
    ? vm
      ? 'No task log: the VM is stopped. A failed start keeps the task error in the reason above.'
      : 'No logs: the container is gone. A failed start keeps its last log lines in the reason above.'
    : loaded
      ? vm
        ? 'No task output yet.'
        : 'No log output yet.'
      : 'Loading logs…';

  return (
    <div className="logs">
      <div className="logs-head">
        <span className="stat-label">{vm ? 'Task log' : 'Logs'}</span>
        {status}
      </div>
      <LogView text={text} label={`${vm ? 'Task log' : 'Logs'} of ${instance.name}`} testId="instance-logs" empty={empty} />
    </div>
  );
}

export function InstanceTools({ instance, id, vm = false }: { instance: Instance; id: string; vm?: boolean }) {
  return (
    <div id={id} className="instance-tools" data-testid="instance-tools" role="region" aria-label={`Tools for ${instance.name}`}>
      <Stats instance={instance} />
      <Logs instance={instance} vm={vm} />
    </div>
  );
}
