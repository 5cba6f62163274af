// Numbers as people read them in the instance tools, in the interface language
// (3.0 GiB in English, 3,0 GiB in German).
import { formatNumber } from '../i18n/i18n';

const MIB = 1024 * 1024;

const fixed = (value: number, digits: number) =>
  formatNumber(value, { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** 536870912 -> "512 MiB"; 3221225472 -> "3.0 GiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  if (bytes >= 10 * 1024 * MIB) return `${fixed(Math.round(bytes / (1024 * MIB)), 0)} GiB`;
  if (bytes >= 1024 * MIB) return `${fixed(bytes / (1024 * MIB), 1)} GiB`;
  return `${fixed(bytes / MIB, bytes < 10 * MIB ? 1 : 0)} MiB`;
}

export function formatPercent(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return `${value < 10 ? fixed(value, 1) : fixed(Math.round(value), 0)} %`;
}

/** Share of a limit in percent, or null when there is no usable limit. */
export function shareOf(used: number, limit: number): number | null {
  return limit > 0 && Number.isFinite(limit) ? (used / limit) * 100 : null;
}
