// Numbers as people read them in the instance tools.

const MIB = 1024 * 1024;

/** 536870912 -> "512 MiB"; 3221225472 -> "3.0 GiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  if (bytes >= 10 * 1024 * MIB) return `${Math.round(bytes / (1024 * MIB))} GiB`;
  if (bytes >= 1024 * MIB) return `${(bytes / (1024 * MIB)).toFixed(1)} GiB`;
  return `${(bytes / MIB).toFixed(bytes < 10 * MIB ? 1 : 0)} MiB`;
}

export function formatPercent(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} %`;
}

/** Share of a limit in percent, or null when there is no usable limit. */
export function shareOf(used: number, limit: number): number | null {
  return limit > 0 && Number.isFinite(limit) ? (used / limit) * 100 : null;
}
