import { AnalysisInputError } from './errors';
import type { KaplanMeierCurve } from './kaplan-meier';

export interface RestrictedMeanSurvival {
  /** τ: the horizon the mean is restricted to. */
  readonly tau: number;
  /** RMST = ∫₀^τ S(t) dt under the Kaplan–Meier curve. */
  readonly rmst: number;
  readonly se: number;
}

/**
 * Restricted mean survival time to τ, the area under the Kaplan–Meier curve from 0 to τ, with its
 * standard error Σ_{tⱼ ≤ τ} A(tⱼ)² dⱼ/(nⱼ(nⱼ − dⱼ)), A(tⱼ) = ∫_{tⱼ}^τ S(u) du (terms with nⱼ = dⱼ
 * dropped) — R's `print(survfit(...), rmean = tau)` columns `rmean` and `se(rmean)`, equal to
 * survRM2's `rmst2` per-arm estimate.
 * Reference: P. Royston & M. K. B. Parmar (2013), BMC Med Res Methodol 13:152; H. Uno et al.
 * (2014), J Clin Oncol 32:2380–2385.
 * Throws `INVALID_ARGUMENT` when τ is not a finite number > 0.
 *
 * @example
 * restrictedMeanSurvival(kaplanMeier([1, 2, 2, 3, 4], [1, 1, 0, 1, 0]), 3).rmst; // → 2.4000000000000004
 */
export function restrictedMeanSurvival(curve: KaplanMeierCurve, tau: number): RestrictedMeanSurvival {
  if (!Number.isFinite(tau) || tau <= 0) throw new AnalysisInputError('INVALID_ARGUMENT', `tau = ${tau}: expected a finite horizon > 0`);
  const kept = curve.steps.filter((s) => s.time <= tau);
  const cuts = [0, ...kept.map((s) => s.time), tau];
  // rectangles[j]: width of [cuts[j], cuts[j+1]) times the survival over it.
  const rectangles: number[] = [];
  for (let j = 0; j + 1 < cuts.length; j++) {
    const survBefore = j === 0 ? 1 : (kept[j - 1] as (typeof kept)[number]).surv;
    rectangles.push(((cuts[j + 1] as number) - (cuts[j] as number)) * survBefore);
  }
  const rmst = rectangles.reduce((a, b) => a + b, 0);
  let variance = 0;
  let areaAfter = 0;
  for (let j = kept.length - 1; j >= 0; j--) {
    areaAfter += rectangles[j + 1] as number;
    const s = kept[j] as (typeof kept)[number];
    if (s.nEvent > 0 && s.nRisk > s.nEvent) variance += areaAfter * areaAfter * (s.nEvent / (s.nRisk * (s.nRisk - s.nEvent)));
  }
  return { tau, rmst, se: Math.sqrt(variance) };
}
