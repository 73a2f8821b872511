/** Number formatting for report tables: fixed digits, NA for missing, ∞ for infinite. */
export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined) return 'NA';
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  return x.toFixed(digits);
}

export function pct(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined || !Number.isFinite(x) ? 'NA' : `${(100 * x).toFixed(digits)}%`;
}

export function ci(x: { lower: number; upper: number } | null | undefined, digits = 3): string {
  return x ? `${fmt(x.lower, digits)} to ${fmt(x.upper, digits)}` : 'NA';
}

export function pValue(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return 'NA';
  return p < 0.0001 ? '<0.0001' : p.toFixed(4);
}
