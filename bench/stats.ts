// Prints figures in one stable format, so two versions can be compared line by line.

export function summarise(name: string, samples: number[], unit = 'ms'): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const median = sorted.length % 2 ? at(0.5) : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  const f = (n: number) => n.toFixed(1);
  return `${name.padEnd(40)} median ${f(median)} ${unit}  min ${f(sorted[0]!)}  max ${f(sorted[sorted.length - 1]!)}  n=${sorted.length}`;
}
