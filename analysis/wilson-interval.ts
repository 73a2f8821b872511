import { assertCount } from './assert-count';
import { AnalysisInputError } from './errors';
import { zForConfidence } from './z-for-confidence';

export interface ProportionInterval {
  readonly events: number;
  readonly n: number;
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
  readonly confLevel: number;
  readonly method: 'Wilson score';
}

/**
 * Wilson score confidence interval for a binomial proportion x/n (no continuity correction;
 * equals R's `prop.test(x, n, correct = FALSE)$conf.int`).
 *
 * Definition: centre (x + z²/2)/(n + z²), half-width z/(n + z²) · √(x(n − x)/n + z²/4),
 * z = Φ⁻¹(1 − α/2). The interval stays inside [0, 1]; x = 0 gives lower = 0, x = n gives upper = 1.
 * Reference: E. B. Wilson (1927), JASA 22:209–212; Newcombe (1998), Stat Med 17:857–872, method 3.
 * Throws `INVALID_COUNT`, `EVENTS_EXCEED_TOTAL`, or `EMPTY_GROUP` (n = 0).
 *
 * @example
 * wilsonInterval(12, 50);
 * // → { events: 12, n: 50, estimate: 0.24, lower: 0.14297391396991727, upper: 0.37412683757942927,
 * //     confLevel: 0.95, method: 'Wilson score' }
 */
export function wilsonInterval(events: number, n: number, confLevel = 0.95): ProportionInterval {
  assertCount('events', events);
  assertCount('n', n);
  if (n === 0) throw new AnalysisInputError('EMPTY_GROUP', 'n must be ≥ 1 for a proportion, got 0');
  if (events > n) throw new AnalysisInputError('EVENTS_EXCEED_TOTAL', `events=${events} exceeds n=${n}`);
  const z = zForConfidence(confLevel);
  const z2 = z * z;
  const centre = (events + z2 / 2) / (n + z2);
  const half = (z / (n + z2)) * Math.sqrt((events * (n - events)) / n + z2 / 4);
  return {
    events,
    n,
    estimate: events / n,
    lower: events === 0 ? 0 : Math.max(0, centre - half),
    upper: events === n ? 1 : Math.min(1, centre + half),
    confLevel,
    method: 'Wilson score',
  };
}
