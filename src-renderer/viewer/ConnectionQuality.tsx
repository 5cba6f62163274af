// How good the connection is: a coloured sign with words (never colour alone), frame delay
// from the server's `sync` timestamps, frames per second, and throughput.
import { t } from '../i18n/i18n';
import type { ViewerStats } from './display-session';

export type Quality = 'good' | 'fair' | 'poor' | 'unknown';

export function qualityOf(stats: ViewerStats): Quality {
  if (stats.unstable) return 'poor';
  if (stats.latencyMs === null) return 'unknown';
  if (stats.latencyMs < 80) return 'good';
  return stats.latencyMs < 250 ? 'fair' : 'poor';
}

const WORDS = { good: 'viewer.qualityGood', fair: 'viewer.qualityFair', poor: 'viewer.qualityPoor', unknown: 'viewer.qualityUnknown' } as const;

export function formatRate(bytes: number): string {
  return bytes > 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB/s` : `${(bytes / 1024).toFixed(0)} KiB/s`;
}

/** `compact`: the sign and the delay only (the toolbar). */
export function ConnectionQuality({ stats, compact = false }: { stats: ViewerStats; compact?: boolean }) {
  const quality = qualityOf(stats);
  const latency = stats.latencyMs !== null ? t('viewer.latency', { ms: stats.latencyMs }) : null;
  return (
    <span className="quality" data-testid={compact ? 'quality-compact' : 'quality'} data-quality={quality}>
      <span className="quality-dot" aria-hidden="true" />
      <span>{t(WORDS[quality])}</span>
      {latency ? <span> · {latency}</span> : null}
      {compact ? null : (
        <span data-testid="quality-detail">
          {' '}· {t('viewer.framesPerSecond', { fps: stats.fps })} · {formatRate(stats.bytesPerSecond)} · {stats.width}×{stats.height}
        </span>
      )}
    </span>
  );
}
