/**
 * The density of a group-sequential z-statistic on one look's continuation region, on a
 * quadrature grid: `z` nodes, `w` Simpson weights, `f` density of the paths that have not crossed
 * any boundary so far (so Σ w·f is the probability of continuing), at information fraction `t`.
 */
export interface LookDensity {
  readonly t: number;
  readonly z: Float64Array;
  readonly w: Float64Array;
  readonly f: Float64Array;
}

const GRID_R = 32;
const SQRT_2PI = Math.sqrt(2 * Math.PI);

function normalDensity(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

/**
 * Advances the continuing-path density from the previous look (null: none yet) to the look at
 * information fraction `t` with continuation region (a, b), under drift θ (E[Z] = θ√t). The grid
 * is that of Jennison & Turnbull (r = 32: 6r − 1 points centred on the drift, log-spaced tails
 * to ±(3 + 4·log r) SD, trimmed to (a, b), midpoints added for Simpson's rule), as gsDesign.
 * Reference: C. Jennison & B. W. Turnbull (2000), Group Sequential Methods, §19.2–19.3.
 *
 * @example
 * const first = continuationDensity(null, 0.5, -Infinity, 1.96, 0);
 * first.f.reduce((s, f, i) => s + f * (first.w[i] as number), 0); // → 0.9750021160023894 (Φ(1.96) = 0.9750021048517795)
 */
export function continuationDensity(previous: LookDensity | null, t: number, a: number, b: number, theta: number): LookDensity {
  const mu = theta * Math.sqrt(t);
  const r = GRID_R;
  const raw: number[] = [];
  for (let i = 1; i <= 6 * r - 1; i++) {
    if (i < r) raw.push(mu - 3 - 4 * Math.log(r / i));
    else if (i <= 5 * r) raw.push(mu - 3 + (3 * (i - r)) / (2 * r));
    else raw.push(mu + 3 + 4 * Math.log(r / (6 * r - i)));
  }
  const lo = Math.max(a, raw[0] as number);
  const hi = Math.min(b, raw[raw.length - 1] as number);
  const x: number[] = [lo];
  for (const v of raw) if (v > lo && v < hi) x.push(v);
  x.push(hi);
  const m = x.length;
  const z = new Float64Array(2 * m - 1);
  const w = new Float64Array(2 * m - 1);
  for (let j = 0; j < m; j++) z[2 * j] = x[j] as number;
  for (let j = 0; j + 1 < m; j++) {
    const d = (x[j + 1] as number) - (x[j] as number);
    z[2 * j + 1] = ((x[j] as number) + (x[j + 1] as number)) / 2;
    w[2 * j + 1] = (4 * d) / 6;
    w[2 * j] = (w[2 * j] as number) + d / 6;
    w[2 * j + 2] = (w[2 * j + 2] as number) + d / 6;
  }
  const f = new Float64Array(z.length);
  if (!previous) {
    for (let j = 0; j < z.length; j++) f[j] = normalDensity((z[j] as number) - mu);
    return { t, z, w, f };
  }
  const delta = t - previous.t;
  const sd = Math.sqrt(delta);
  const sk = Math.sqrt(t);
  const sp = Math.sqrt(previous.t);
  const pz = previous.z;
  const pwf = previous.f.map((v, i) => v * (previous.w[i] as number));
  for (let j = 0; j < z.length; j++) {
    const zj = (z[j] as number) * sk - theta * delta;
    let s = 0;
    for (let i = 0; i < pz.length; i++) {
      const u = (zj - (pz[i] as number) * sp) / sd;
      s += (pwf[i] as number) * Math.exp(-0.5 * u * u);
    }
    f[j] = (s * sk) / (sd * SQRT_2PI);
  }
  return { t, z, w, f };
}
