import { validateSurvivalData } from './validate-survival-data';
import { zForConfidence } from './z-for-confidence';

export interface KaplanMeierStep {
  /** A distinct observed time (event or censoring), ascending. */
  readonly time: number;
  /** Subjects with time ≥ this time (at risk just before it). */
  readonly nRisk: number;
  readonly nEvent: number;
  readonly nCensor: number;
  /** Kaplan–Meier estimate S(t) just after this time. */
  readonly surv: number;
  /** Greenwood standard error of −log S(t) (R's `std.err`: on the cumulative-hazard scale). */
  readonly stdErr: number;
  /** Log-log (complementary log-log) pointwise interval; [1, 1] while S = 1; [0, 0] once S = 0. */
  readonly lower: number;
  readonly upper: number;
}

export interface KaplanMeierCurve {
  readonly n: number;
  readonly events: number;
  readonly confLevel: number;
  readonly steps: readonly KaplanMeierStep[];
  readonly method: 'Kaplan-Meier, Greenwood variance, log-log CI';
}

/**
 * Kaplan–Meier product-limit estimate of the survival function from right-censored data, with
 * Greenwood's variance and log-log confidence limits — R's
 * `survfit(Surv(time, event) ~ 1, conf.type = "log-log")` (survival ≥ 3), one row per distinct time
 * as `summary(fit, censored = TRUE)`.
 *
 * S(t) = ∏_{tⱼ ≤ t} (1 − dⱼ/nⱼ); se(−log S) = √Σ dⱼ/(nⱼ(nⱼ − dⱼ)); the interval is
 * exp(−exp(log(−log S) ± z·se/log S)). R leaves it NA where S is 1 or 0; here it is [1, 1] and [0, 0],
 * the only values a survival probability can take there.
 * Reference: E. L. Kaplan & P. Meier (1958), JASA 53:457–481; M. Greenwood (1926); Ø. Borgan &
 * K. Liestøl (1990), Scand J Stat 17:35–41 (log-log limits behave at small n).
 * Throws as `validateSurvivalData`; `INVALID_ARGUMENT` for a confidence level outside (0, 1).
 *
 * @example
 * const km = kaplanMeier([1, 2, 2, 3, 4], [1, 1, 0, 1, 0]);
 * km.steps.map((s) => s.surv); // → [0.8, 0.6000000000000001, 0.30000000000000004, 0.30000000000000004]
 */
export function kaplanMeier(time: readonly number[], event: readonly number[], confLevel = 0.95): KaplanMeierCurve {
  const { n, events } = validateSurvivalData(time, event);
  const z = zForConfidence(confLevel);
  const order = Array.from(time.keys()).sort((a, b) => (time[a] as number) - (time[b] as number));
  const steps: KaplanMeierStep[] = [];
  let atRisk = n;
  let surv = 1;
  let greenwood = 0;
  for (let k = 0; k < n;) {
    const t = time[order[k] as number] as number;
    let d = 0;
    let c = 0;
    while (k < n && time[order[k] as number] === t) {
      if (event[order[k] as number] === 1) d++;
      else c++;
      k++;
    }
    if (d > 0) {
      surv *= 1 - d / atRisk;
      greenwood += atRisk === d ? Infinity : d / (atRisk * (atRisk - d));
    }
    const se = Math.sqrt(greenwood);
    let lower: number;
    let upper: number;
    if (surv >= 1) {
      lower = 1;
      upper = 1;
    } else if (surv <= 0) {
      lower = 0;
      upper = 0;
    } else {
      const logS = Math.log(surv);
      const centre = Math.log(-logS);
      // log S < 0, so +z·se/log S lowers log(−log S) and raises the survival limit.
      upper = Math.exp(-Math.exp(centre + (z * se) / logS));
      lower = Math.exp(-Math.exp(centre - (z * se) / logS));
    }
    steps.push({ time: t, nRisk: atRisk, nEvent: d, nCensor: c, surv, stdErr: se, lower, upper });
    atRisk -= d + c;
  }
  return { n, events, confLevel, steps, method: 'Kaplan-Meier, Greenwood variance, log-log CI' };
}
