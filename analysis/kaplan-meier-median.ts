import type { KaplanMeierCurve } from './kaplan-meier';

export interface KaplanMeierMedian {
  /** Median survival time; null when S(t) never falls to 0.5 ("not reached"). */
  readonly median: number | null;
  /** Brookmeyer–Crowley limits; null when the corresponding confidence curve never falls to 0.5. */
  readonly lower: number | null;
  readonly upper: number | null;
  readonly confLevel: number;
  readonly method: 'Brookmeyer-Crowley (inverted log-log pointwise CI)';
}

const TOLERANCE = Math.sqrt(Number.EPSILON);

/** First time the curve is below 0.5 (a flat stretch at exactly 0.5 gives its midpoint), else null. */
function firstBelowHalf(times: readonly number[], values: readonly (number | null)[]): number | null {
  const keptTimes: number[] = [];
  const keptValues: number[] = [];
  values.forEach((v, i) => {
    if (v !== null && v < 0.5 + TOLERANCE) {
      keptTimes.push(times[i] as number);
      keptValues.push(v);
    }
  });
  const first = keptValues[0];
  if (first === undefined) return null;
  if (Math.abs(first - 0.5) < TOLERANCE) {
    const next = keptValues.findIndex((v) => v < first);
    if (next >= 0) return ((keptTimes[0] as number) + (keptTimes[next] as number)) / 2;
  }
  return keptTimes[0] as number;
}

/**
 * Median survival time of a Kaplan–Meier curve with the Brookmeyer–Crowley confidence interval,
 * exactly as R's `print(survfit(...))` (survival's `survmean`): the median is the first time S(t)
 * < 0.5 (the midpoint of a flat stretch at exactly 0.5), and the limits are the first times the
 * lower and the upper pointwise log-log limit fall below 0.5 — the set of times t₀ whose test of
 * S(t₀) = 0.5 is not rejected. As in R, limits at times where S = 0 (undefined there) are not used,
 * so an upper limit can be "not reached" (null) while the median is reached.
 * Reference: R. Brookmeyer & J. Crowley (1982), Biometrics 38:29–41.
 *
 * @example
 * const m = kaplanMeierMedian(kaplanMeier([1, 2, 2, 3, 4, 6], [1, 1, 0, 1, 0, 1]));
 * [m.median, m.lower, m.upper]; // → [3, 1, null]
 */
export function kaplanMeierMedian(curve: KaplanMeierCurve): KaplanMeierMedian {
  const times = curve.steps.map((s) => s.time);
  const median = firstBelowHalf(
    times,
    curve.steps.map((s) => s.surv),
  );
  const lower = firstBelowHalf(
    times,
    curve.steps.map((s) => (s.surv > 0 && s.surv < 1 ? s.lower : null)),
  );
  const upper = firstBelowHalf(
    times,
    curve.steps.map((s) => (s.surv > 0 && s.surv < 1 ? s.upper : null)),
  );
  return { median, lower, upper, confLevel: curve.confLevel, method: 'Brookmeyer-Crowley (inverted log-log pointwise CI)' };
}
