// A running instance's compact columns: image, endpoint, uptime, CPU and memory (with
// sparklines of the last two minutes) and the container's ports. Ports show without the
// host port they are published on: that, like the password, is a connection detail.
import type { InstancePort } from '../../src-shared/contract';
import type { Instance } from '../../src-shared/model';
import { Sparkline } from '../components/Sparkline';
import { currentLocale, useT } from '../i18n/i18n';
import { formatBytes, formatPercent, shareOf } from '../store/format';
import { HISTORY_SAMPLES, STATS_POLL_MS, useStatsHistory, useStatsSampler } from './stats-history';
import { useInspect } from './use-inspect';

/** 42 s, 5 min, 3 h 20 min, 2 d 4 h, in the interface language's short units. */
export function formatUptime(ms: number): string {
  const unit = (value: number, name: 'second' | 'minute' | 'hour' | 'day') =>
    new Intl.NumberFormat(currentLocale(), { style: 'unit', unit: name, unitDisplay: 'short' }).format(value);
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return unit(s, 'second');
  const m = Math.floor(s / 60);
  if (m < 60) return unit(m, 'minute');
  const h = Math.floor(m / 60);
  if (h < 24) return `${unit(h, 'hour')} ${unit(m % 60, 'minute')}`;
  return `${unit(Math.floor(h / 24), 'day')} ${unit(h % 24, 'hour')}`;
}

function PortList({ ports }: { ports: InstancePort[] }) {
  const t = useT();
  return (
    <span className="instance-ports" data-testid="instance-ports" title={t('columns.portsTitle')}>
      {ports.map((p) => (
        <span key={`${p.port}/${p.protocol}`} className="tag port-tag" data-port={p.port}>
          {p.port}/{p.protocol}
          {p.desktop ? ` · ${t('columns.desktopPort')}` : ''}
          {!p.published ? ` · ${t('columns.notPublished')}` : p.loopbackOnly ? ` · ${t('columns.loopback')}` : ''}
        </span>
      ))}
    </span>
  );
}

export function InstanceColumns({ instance }: { instance: Instance }) {
  const t = useT();
  useStatsSampler(instance);
  const { samples } = useStatsHistory(instance.id);
  const { inspect } = useInspect(instance);
  if (instance.state !== 'running') return null;
  const summary = inspect?.summary;
  const last = samples.at(-1);
  const seconds = (HISTORY_SAMPLES * STATS_POLL_MS) / 1000;
  const memLimit = last?.memoryLimitBytes ?? 0;
  const memShare = last ? shareOf(last.memoryBytes, last.memoryLimitBytes) : null;
  const cpuNow = last ? formatPercent(last.cpuPercent) : '–';
  const memNow = last ? formatBytes(last.memoryBytes) : '–';
  return (
    <dl className="instance-columns" data-testid="instance-columns">
      <div className="instance-column column-image">
        <dt>{t('columns.image')}</dt>
        <dd>
          <code data-testid="instance-image">{summary?.image ?? '–'}</code>
        </dd>
      </div>
      <div className="instance-column">
        <dt>{t('columns.endpoint')}</dt>
        <dd data-testid="instance-endpoint">{summary?.endpoint ?? '–'}</dd>
      </div>
      <div className="instance-column">
        <dt>{t('columns.uptime')}</dt>
        <dd data-testid="instance-uptime">{summary?.startedAt ? formatUptime(Date.now() - Date.parse(summary.startedAt)) : '–'}</dd>
      </div>
      <div className="instance-column">
        <dt>{t('columns.cpu')}</dt>
        <dd>
          <Sparkline
            testId="cpu-sparkline"
            values={samples.map((s) => s.cpuPercent)}
            max={Math.max(100, ...samples.map((s) => s.cpuPercent))}
            label={t('columns.cpuTrend', { seconds, value: cpuNow })}
          />
          <span className="column-value" data-testid="instance-cpu-now">
            {cpuNow}
          </span>
        </dd>
      </div>
      <div className="instance-column">
        <dt>{t('columns.memory')}</dt>
        <dd>
          <Sparkline
            testId="memory-sparkline"
            values={samples.map((s) => s.memoryBytes)}
            max={memLimit > 0 ? memLimit : 0}
            label={t('columns.memoryTrend', { seconds, value: memShare !== null ? `${memNow} (${formatPercent(memShare)})` : memNow })}
          />
          <span className="column-value" data-testid="instance-memory-now">
            {memNow}
          </span>
        </dd>
      </div>
      {summary && summary.ports.length > 0 ? (
        <div className="instance-column column-ports">
          <dt>{t('columns.ports')}</dt>
          <dd>
            <PortList ports={summary.ports} />
          </dd>
        </div>
      ) : null}
    </dl>
  );
}
