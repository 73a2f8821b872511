import type { LookDensity } from './group-sequential-density';
import { normalCdf } from './normal-cdf';

/**
 * Probabilities that the z-statistic first crosses above `b` and below `a` at the look with
 * information fraction `t`, having continued at every earlier look (whose density is `previous`;
 * null for the first look), under drift θ (E[Z] = θ√t). Z√t has independent increments
 * N(θΔ, Δ), Δ = t − t_prev.
 * Reference: C. Jennison & B. W. Turnbull (2000), Group Sequential Methods, §19.2.
 *
 * @example
 * groupSequentialCrossing(null, 1, -Infinity, 1.959963984540054, 0).upper; // → 0.025000000000000133
 */
export function groupSequentialCrossing(previous: LookDensity | null, t: number, a: number, b: number, theta: number): { upper: number; lower: number } {
  if (!previous) {
    const mu = theta * Math.sqrt(t);
    return { upper: normalCdf(mu - b), lower: a === -Infinity ? 0 : normalCdf(a - mu) };
  }
  const delta = t - previous.t;
  const sd = Math.sqrt(delta);
  const sk = Math.sqrt(t);
  const sp = Math.sqrt(previous.t);
  let upper = 0;
  let lower = 0;
  for (let i = 0; i < previous.z.length; i++) {
    const f = (previous.w[i] as number) * (previous.f[i] as number);
    if (f === 0) continue;
    const centre = (previous.z[i] as number) * sp + theta * delta;
    upper += f * normalCdf((centre - b * sk) / sd);
    if (a !== -Infinity) lower += f * normalCdf((a * sk - centre) / sd);
  }
  return { upper, lower };
}
