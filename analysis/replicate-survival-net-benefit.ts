/** One arm prepared for repeated weighted survival net benefit: indices sorted by time once. */
export interface PreparedSurvivalArm {
  readonly time: readonly number[];
  readonly event: readonly number[];
  readonly risk: readonly number[];
  /** Subject indices in ascending time order (ties in input order). */
  readonly order: Uint32Array;
}

/**
 * Survival net benefit of one bootstrap resample, given as multiplicities `weights` (how often each
 * subject was drawn): writes the event risk of everyone, 1 − S(horizon) (from which treat all's net
 * benefit r − (1 − r)·t/(1 − t) follows at every threshold), to `out[0]`, and the model's net benefit
 * at threshold k to `out[1 + k]`. The same definitions as `survivalNetBenefit` on the resample written out (subject
 * i repeated weights[i] times): the Kaplan–Meier risk 1 − S(horizon) among those with risk ≥ t, NB =
 * r·p − (1 − r)·p·t/(1 − t), and 0 when nobody is treated. Kaplan–Meier with integer weights is the
 * product over distinct times of 1 − d/n with d and n counted with multiplicity.
 * O(n·(T + 1)); no validation (hot loop; the caller validated the arm once).
 *
 * Reference: A. J. Vickers et al. (2008), BMC Med Inform Decis Mak 8:53; dcurves `dca(..., time =)`.
 *
 * @example
 * const arm = { time: [1, 2, 3, 4], event: [1, 0, 1, 0], risk: [0.9, 0.2, 0.7, 0.1], order: Uint32Array.of(0, 1, 2, 3) };
 * const out = new Float64Array(2);
 * replicateSurvivalNetBenefit(arm, Int32Array.of(1, 1, 1, 1), 2.5, [0.5], out);
 * Array.from(out); // → [0.25, 0] (risk by 2.5 of all four; the model's net benefit at 0.5, as survivalNetBenefit)
 */
export function replicateSurvivalNetBenefit(arm: PreparedSurvivalArm, weights: Int32Array, horizon: number, thresholds: readonly number[], out: Float64Array): void {
  const n = arm.order.length;
  const riskBy = (threshold: number | null): { risk: number; treated: number } => {
    let atRisk = 0;
    for (let i = 0; i < n; i++) if (threshold === null || (arm.risk[i] as number) >= threshold) atRisk += weights[i] as number;
    const treated = atRisk;
    let surv = 1;
    for (let k = 0; k < n;) {
      const t = arm.time[arm.order[k] as number] as number;
      if (t > horizon || atRisk === 0) break;
      let d = 0;
      let c = 0;
      while (k < n && arm.time[arm.order[k] as number] === t) {
        const i = arm.order[k] as number;
        if (threshold === null || (arm.risk[i] as number) >= threshold) {
          const w = weights[i] as number;
          if (arm.event[i] === 1) d += w;
          else c += w;
        }
        k++;
      }
      if (d > 0) surv *= 1 - d / atRisk;
      atRisk -= d + c;
    }
    return { risk: 1 - surv, treated };
  };
  const all = riskBy(null);
  out[0] = all.risk;
  for (let k = 0; k < thresholds.length; k++) {
    const t = thresholds[k] as number;
    const { risk, treated } = riskBy(t);
    const p = treated / n;
    out[1 + k] = treated === 0 ? 0 : risk * p - ((1 - risk) * p * t) / (1 - t);
  }
}
