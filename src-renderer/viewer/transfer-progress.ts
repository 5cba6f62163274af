// One line of a transfer's progress, for uploads and downloads alike: bytes so far of how many,
// the rate, and the time left at that rate ("2.0 of 5.0 MiB · 3.4 MiB/s · 1 s left").
import { formatNumber, t } from '../i18n/i18n';
import { formatBytes } from '../store/format';

export function formatRate(bytesPerSecond: number): string {
  const kib = bytesPerSecond / 1024;
  return kib >= 1024 ? `${formatNumber(kib / 1024, { maximumFractionDigits: 1, minimumFractionDigits: 1 })} MiB/s` : `${formatNumber(Math.round(kib))} KiB/s`;
}

/** 75 -> "1 min 15 s", 4000 -> "1 h 7 min": whole seconds, two units at most (the same in English and German). */
export function formatDuration(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 === 0 ? `${Math.floor(s / 60)} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
  const minutes = Math.round((s % 3600) / 60);
  return minutes === 0 ? `${Math.floor(s / 3600)} h` : `${Math.floor(s / 3600)} h ${minutes} min`;
}

/** The status line of a transfer under way; `size` null: an archive whose size is known only at its end. */
export function transferProgress(done: number, size: number | null, bytesPerSecond: number): string {
  const rate = formatRate(bytesPerSecond);
  if (size === null || size <= 0) return t('viewer.transferReceived', { done: formatBytes(done), rate });
  const percent = Math.min(100, Math.floor((done / size) * 100));
  const common = { done: formatBytes(done), size: formatBytes(size), percent, rate };
  // No rate yet (the first blob is on its way): no guess at the time either.
  if (bytesPerSecond <= 0) return t('viewer.transferStarting', common);
  return t('viewer.transferProgress', { ...common, left: formatDuration((size - done) / bytesPerSecond) });
}
