import { REGIONS } from './label-colours';

const REGION_STROKE: Record<string, string> = { WT: '#2a9d8f', TC: '#e63946', ET: '#e9a800' };

/**
 * AI volumes per region (WT, TC, ET) at each visit as a small line chart, the nadir visit (smallest
 * sum of products, where RANO measures progression from) marked. Assisted arm only: the page
 * renders it only when the server sent AI volumes.
 */
export function VolumeTimeline({ points, nadirVisit }: { points: readonly { visitCode: string; volumesMl: Record<string, number> }[]; nadirVisit: string | null }) {
  if (points.length === 0) return null;
  const w = 320;
  const h = 150;
  const pad = { l: 36, r: 10, t: 10, b: 26 };
  const max = Math.max(1, ...points.flatMap((p) => REGIONS.map((r) => p.volumesMl[r.key] ?? 0)));
  const x = (i: number) => pad.l + (points.length === 1 ? (w - pad.l - pad.r) / 2 : (i * (w - pad.l - pad.r)) / (points.length - 1));
  const y = (v: number) => h - pad.b - (v / max) * (h - pad.t - pad.b);
  const nadirIndex = points.findIndex((p) => p.visitCode === nadirVisit);
  return (
    <figure style={{ margin: 0 }} data-testid="volume-timeline">
      <svg width={w} height={h} role="img" aria-label="AI tumour volumes per visit">
        <line x1={pad.l} x2={w - pad.r} y1={h - pad.b} y2={h - pad.b} stroke="currentColor" strokeOpacity={0.4} />
        <text x={4} y={pad.t + 8} fontSize={10}>
          {max.toFixed(max < 10 ? 1 : 0)} mL
        </text>
        {nadirIndex >= 0 && (
          <g data-testid="nadir-marker">
            <line x1={x(nadirIndex)} x2={x(nadirIndex)} y1={pad.t} y2={h - pad.b} stroke="#888" strokeDasharray="3 3" />
            <text x={x(nadirIndex) + 3} y={pad.t + 8} fontSize={10}>
              nadir
            </text>
          </g>
        )}
        {REGIONS.map((r) => (
          <g key={r.key}>
            <polyline fill="none" stroke={REGION_STROKE[r.key]} strokeWidth={2} points={points.map((p, i) => `${x(i)},${y(p.volumesMl[r.key] ?? 0)}`).join(' ')} />
            {points.map((p, i) => (
              <circle key={p.visitCode} cx={x(i)} cy={y(p.volumesMl[r.key] ?? 0)} r={3} fill={REGION_STROKE[r.key]}>
                <title>{`${r.key} ${p.visitCode}: ${(p.volumesMl[r.key] ?? 0).toFixed(2)} mL`}</title>
              </circle>
            ))}
          </g>
        ))}
        {points.map((p, i) => (
          <text key={p.visitCode} x={x(i)} y={h - 8} fontSize={10} textAnchor="middle">
            {p.visitCode}
          </text>
        ))}
      </svg>
      <figcaption style={{ fontSize: 12 }}>
        {REGIONS.map((r) => (
          <span key={r.key} style={{ marginRight: 10 }}>
            <span style={{ display: 'inline-block', width: 10, height: 3, background: REGION_STROKE[r.key], marginRight: 4, verticalAlign: 'middle' }} />
            {r.key}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
