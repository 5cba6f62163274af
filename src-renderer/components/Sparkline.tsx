// A small line chart of recent values (CPU, memory): an SVG polyline scaled to `max`,
// with its meaning in the label (screen readers read the label, not the line).
export function Sparkline({
  values,
  max,
  label,
  width = 64,
  height = 18,
  testId,
  className = '',
}: {
  values: number[];
  max: number;
  label: string;
  width?: number;
  height?: number;
  testId?: string;
  className?: string;
}) {
  const top = max > 0 ? max : Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - (Math.min(Math.max(v, 0), top) / top) * (height - 2) - 1).toFixed(1)}`);
  return (
    <svg
      className={`sparkline ${className}`}
      data-testid={testId}
      data-points={values.length}
      role="img"
      aria-label={label}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
    >
      <title>{label}</title>
      {points.length > 1 ? <polyline points={points.join(' ')} fill="none" stroke="currentColor" strokeWidth="1.5" vectorEffect="non-scaling-stroke" /> : null}
      {points.length === 1 ? <circle cx={width / 2} cy={points[0]!.split(',')[1]} r="1.5" fill="currentColor" /> : null}
    </svg>
  );
}
