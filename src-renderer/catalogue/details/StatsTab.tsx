// CPU and memory now and over the last two minutes (the history the row samples).
import type { Instance } from '../../../src-shared/model';
import { Sparkline } from '../../components/Sparkline';
import { useT } from '../../i18n/i18n';
import { errorMessage } from '../../i18n/error-text';
import { formatBytes, formatPercent, shareOf } from '../../store/format';
import { HISTORY_SAMPLES, STATS_POLL_MS, useStatsHistory } from '../stats-history';

export function StatsTab({ instance }: { instance: Instance }) {
  const t = useT();
  const { samples, error } = useStatsHistory(instance.id);
  const seconds = (HISTORY_SAMPLES * STATS_POLL_MS) / 1000;
  if (instance.state !== 'running') {
    return (
      <div className="stats" data-testid="instance-stats" data-available="false">
        <p className="muted">{t('tools.statsWhileRunning')}</p>
      </div>
    );
  }
  const stats = samples.at(-1);
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
  const cpuValues = samples.map((s) => s.cpuPercent);
  const memValues = samples.map((s) => s.memoryBytes);
  return (
    <div className="stats stats-history" data-testid="instance-stats" data-available="true">
      <div className="stat">
        <span className="stat-label">{t('tools.cpu')}</span>
        <span className="stat-value" data-testid="instance-cpu">
          {formatPercent(stats.cpuPercent)}
        </span>
        <Sparkline
          className="sparkline-large"
          testId="cpu-history"
          width={320}
          height={64}
          values={cpuValues}
          max={Math.max(100, ...cpuValues)}
          label={t('stats.history', { what: t('tools.cpuUse'), seconds })}
        />
        <span className="stat-detail">{t('stats.peak', { value: formatPercent(Math.max(...cpuValues)) })}</span>
      </div>
      <div className="stat">
        <span className="stat-label">{t('tools.memory')}</span>
        <span className="stat-value">{memShare !== null ? formatPercent(memShare) : formatBytes(stats.memoryBytes)}</span>
        <Sparkline
          className="sparkline-large"
          testId="memory-history"
          width={320}
          height={64}
          values={memValues}
          max={stats.memoryLimitBytes > 0 ? stats.memoryLimitBytes : 0}
          label={t('stats.history', { what: t('tools.memoryUse'), seconds })}
        />
        <span className="stat-detail" data-testid="instance-memory">
          {formatBytes(stats.memoryBytes)}
          {memShare !== null ? ` ${t('tools.ofLimit', { limit: formatBytes(stats.memoryLimitBytes) })}` : ''} ·{' '}
          {t('stats.peak', { value: formatBytes(Math.max(...memValues)) })}
        </span>
      </div>
      {error ? <p className="muted stats-stale">{t('tools.stale', { message: errorMessage(error) })}</p> : null}
    </div>
  );
}
