// A dependency-free stacked bar chart (successes and failures per bucket).

export interface Bucket {
  label: string;
  ok: number;
  failed: number;
}

export function BarChart({ data, height = 180, title }: { data: Bucket[]; height?: number; title: string }) {
  const width = 640;
  const pad = { l: 34, r: 8, t: 10, b: 22 };
  const max = Math.max(1, ...data.map((d) => d.ok + d.failed));
  const nice = niceMax(max);
  const innerW = width - pad.l - pad.r;
  const innerH = height - pad.t - pad.b;
  const bw = data.length ? innerW / data.length : innerW;
  const y = (v: number) => pad.t + innerH - (v / nice) * innerH;
  const ticks = [0, nice / 2, nice];
  const every = Math.ceil(data.length / 8);
  return (
    <figure style={{ margin: 0 }}>
      <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
        {ticks.map((t) => (
          <g key={t}>
            <line className="axis" x1={pad.l} x2={width - pad.r} y1={y(t)} y2={y(t)} strokeDasharray={t ? "3 4" : undefined} />
            <text x={pad.l - 6} y={y(t) + 3} textAnchor="end">{t}</text>
          </g>
        ))}
        {data.map((d, i) => {
          const x = pad.l + i * bw + bw * 0.15;
          const w = Math.max(1, bw * 0.7);
          return (
            <g key={i}>
              <title>{`${d.label}: ${d.ok} delivered, ${d.failed} failed`}</title>
              <rect className="bar-ok" x={x} y={y(d.ok)} width={w} height={Math.max(0, y(0) - y(d.ok))} rx={2} />
              <rect className="bar-fail" x={x} y={y(d.ok + d.failed)} width={w} height={Math.max(0, y(d.ok) - y(d.ok + d.failed))} rx={2} />
              {i % every === 0 && (
                <text x={x + w / 2} y={height - 6} textAnchor="middle">{d.label}</text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        <span><i style={{ background: "var(--primary)" }} />Delivered</span>
        <span><i style={{ background: "var(--danger)" }} />Failed or skipped</span>
      </figcaption>
    </figure>
  );
}

export function niceMax(v: number): number {
  if (v <= 4) return 4;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}
