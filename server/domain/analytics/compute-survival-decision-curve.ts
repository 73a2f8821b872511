import { AnalysisInputError } from '@/analysis/errors';
import { survivalNetBenefitBootstrap, type SurvivalNetBenefitBandRow } from '@/analysis/survival-net-benefit-bootstrap';
import type { AnalysisRow } from './analysis-dataset';
import { DAYS_PER_MONTH } from './compute-survival-analytics';

export type SurvivalCurveSection = { readonly available: true; readonly value: readonly SurvivalNetBenefitBandRow[] } | { readonly available: false; readonly reason: string };

/**
 * Survival decision curves per arm: the net benefit, at a horizon, of treating the participants whose
 * model risk is at least the threshold, with the progression-or-death risk among them from
 * Kaplan–Meier (dcurves' `dca(Surv(pfs, event) ~ model_risk, time = horizon)`), beside treat all and
 * treat none; and the difference in the model's net benefit between the arms at each threshold.
 * Bootstrap percentile bands (`survivalNetBenefitBootstrap`: participants resampled within their arm,
 * seeded) on treat all and the model in each arm and on the difference, with the replicate count and
 * seed of the binary decision curves. An arm with fewer than `minN` participants with both a model
 * score and PFS follow-up, or without any event, says so instead of drawing a curve (and the
 * difference is then not computed).
 */
export function computeSurvivalDecisionCurve({
  rows,
  arms,
  horizonMonths,
  thresholds,
  replicates,
  seed,
  minN = 10,
}: {
  rows: readonly AnalysisRow[];
  arms: readonly { key: string; label: string }[];
  horizonMonths: number;
  thresholds: readonly number[];
  replicates: number;
  seed: number;
  minN?: number;
}) {
  const perArm = arms.slice(0, 2).map((arm) => {
    const used = rows.filter((r) => r.arm === arm.key && r.modelRisk !== null && r.pfsDays !== null && r.pfsEvent !== null);
    const events = used.filter((r) => r.pfsEvent === 1).length;
    const reason = used.length < minN ? `${used.length} participants with a model score and PFS follow-up (need ${minN})` : events === 0 ? 'no progression or death yet' : null;
    const data = { time: used.map((r) => (r.pfsDays as number) / DAYS_PER_MONTH), event: used.map((r) => r.pfsEvent as number), risk: used.map((r) => r.modelRisk as number) };
    return { arm: arm.key, label: arm.label, n: used.length, events, reason, data };
  });
  const ready = perArm.filter((a) => a.reason === null);
  let curves: readonly (readonly SurvivalNetBenefitBandRow[])[] = [];
  let difference: readonly { threshold: number; difference: number; lower: number; upper: number }[] | null = null;
  let failure: string | null = null;
  if (ready.length > 0) {
    try {
      const result = survivalNetBenefitBootstrap(
        ready.map((a) => a.data),
        horizonMonths,
        thresholds,
        { replicates, seed },
      );
      curves = result.arms.map((rows) => rows.map((r) => (r.variable === 'model' ? { ...r, variable: 'model_risk' } : r)));
      difference = result.difference;
    } catch (error) {
      if (!(error instanceof AnalysisInputError)) throw error;
      failure = `${error.code}: ${error.message}`;
    }
  }
  return {
    horizonMonths,
    thresholds,
    replicates,
    seed,
    arms: perArm.map(({ arm, label, n, events, reason }) => {
      const k = ready.findIndex((a) => a.arm === arm);
      const curve: SurvivalCurveSection = reason !== null ? { available: false, reason } : failure !== null ? { available: false, reason: failure } : { available: true, value: curves[k] ?? [] };
      return { arm, label, n, events, curve };
    }),
    difference: thresholds.map((t, k) => {
      const d = difference?.[k];
      return d ? { threshold: t, difference: d.difference, lower: d.lower, upper: d.upper } : { threshold: t, difference: null, lower: null, upper: null };
    }),
  };
}

export type SurvivalDecisionCurve = ReturnType<typeof computeSurvivalDecisionCurve>;
