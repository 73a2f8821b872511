import { AnalysisInputError } from '../../../analysis/errors';
import { survivalNetBenefit, type SurvivalNetBenefitRow } from '../../../analysis/survival-net-benefit';
import type { AnalysisRow } from './analysis-dataset';
import { DAYS_PER_MONTH } from './compute-survival-analytics';

export type SurvivalCurveSection = { readonly available: true; readonly value: readonly SurvivalNetBenefitRow[] } | { readonly available: false; readonly reason: string };

/**
 * Survival decision curves per arm: the net benefit, at a horizon, of treating the participants whose
 * model risk is at least the threshold, with the progression-or-death risk among them from
 * Kaplan–Meier (dcurves' `dca(Surv(pfs, event) ~ model_risk, time = horizon)`), beside treat all and
 * treat none; and the difference in the model's net benefit between the arms at each threshold.
 * An arm with fewer than `minN` participants with both a model score and PFS follow-up, or without
 * any event, says so instead of drawing a curve. No bootstrap bands (point estimates).
 */
export function computeSurvivalDecisionCurve({
  rows,
  arms,
  horizonMonths,
  thresholds,
  minN = 10,
}: {
  rows: readonly AnalysisRow[];
  arms: readonly { key: string; label: string }[];
  horizonMonths: number;
  thresholds: readonly number[];
  minN?: number;
}) {
  const perArm = arms.slice(0, 2).map((arm) => {
    const used = rows.filter((r) => r.arm === arm.key && r.modelRisk !== null && r.pfsDays !== null && r.pfsEvent !== null);
    const events = used.filter((r) => r.pfsEvent === 1).length;
    let curve: SurvivalCurveSection;
    if (used.length < minN) curve = { available: false, reason: `${used.length} participants with a model score and PFS follow-up (need ${minN})` };
    else if (events === 0) curve = { available: false, reason: 'no progression or death yet' };
    else {
      try {
        const value = survivalNetBenefit(
          { time: used.map((r) => (r.pfsDays as number) / DAYS_PER_MONTH), event: used.map((r) => r.pfsEvent as number), risk: used.map((r) => r.modelRisk as number), name: 'model_risk' },
          horizonMonths,
          thresholds,
        );
        curve = { available: true, value };
      } catch (error) {
        if (!(error instanceof AnalysisInputError)) throw error;
        curve = { available: false, reason: `${error.code}: ${error.message}` };
      }
    }
    return { arm: arm.key, label: arm.label, n: used.length, events, curve };
  });
  const [a, b] = perArm;
  const modelNb = (c: SurvivalCurveSection | undefined, t: number) => (c?.available ? (c.value.find((r) => r.variable === 'model_risk' && r.threshold === t)?.netBenefit ?? null) : null);
  const difference = thresholds.map((t) => {
    const x = modelNb(a?.curve, t);
    const y = modelNb(b?.curve, t);
    return { threshold: t, difference: x !== null && y !== null ? x - y : null };
  });
  return { horizonMonths, thresholds, arms: perArm, difference };
}

export type SurvivalDecisionCurve = ReturnType<typeof computeSurvivalDecisionCurve>;
