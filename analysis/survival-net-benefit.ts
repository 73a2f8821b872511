import { AnalysisInputError } from './errors';
import { kaplanMeier } from './kaplan-meier';
import { validateSurvivalData } from './validate-survival-data';

export interface SurvivalNetBenefitRow {
  readonly variable: string;
  readonly threshold: number;
  /** Share of patients with risk ≥ threshold (treated). */
  readonly posRate: number;
  /** Kaplan–Meier risk 1 − S(horizon) among the treated (all patients for 'all'). */
  readonly riskAmongPositive: number | null;
  readonly netBenefit: number;
}

function riskAt(time: readonly number[], event: readonly number[], horizon: number): number {
  const steps = kaplanMeier(time, event).steps;
  let surv = 1;
  for (const s of steps) {
    if (s.time > horizon) break;
    surv = s.surv;
  }
  return 1 - surv;
}

/**
 * Survival decision curve: net benefit at a time horizon of treating patients whose predicted risk
 * is at least the threshold, with the event risk among them estimated by Kaplan–Meier — R dcurves'
 * `dca(Surv(time, event) ~ model, time = horizon)`: NB = r·p − (1 − r)·p·t/(1 − t), where p is the
 * share treated and r = 1 − S(horizon) among them (the last value of the curve when follow-up
 * ends before the horizon, as `summary(survfit, times, extend = TRUE)`); 'all' treats everyone,
 * 'none' has NB 0. Rows in the order all, none, then the predictor, each over the thresholds.
 * Reference: A. J. Vickers et al. (2008), BMC Med Inform Decis Mak 8:53 (survival form); dcurves.
 * Throws as `validateSurvivalData`; `LENGTH_MISMATCH` for risks of another length; `OUT_OF_RANGE`
 * for a risk or threshold outside [0, 1) or a horizon ≤ 0.
 *
 * @example
 * survivalNetBenefit({ time: [1, 2, 3, 4], event: [1, 0, 1, 0], risk: [0.9, 0.2, 0.7, 0.1] }, 2.5, [0.5])[2]?.netBenefit; // → 0 (half the treated have the event by 2.5: benefit equals harm at t = 0.5)
 */
export function survivalNetBenefit(
  data: { time: readonly number[]; event: readonly number[]; risk: readonly number[]; name?: string },
  horizon: number,
  thresholds: readonly number[],
): SurvivalNetBenefitRow[] {
  const { n } = validateSurvivalData(data.time, data.event);
  if (data.risk.length !== n) throw new AnalysisInputError('LENGTH_MISMATCH', `risk has ${data.risk.length} values, time has ${n}`);
  data.risk.forEach((r, i) => {
    if (!(r >= 0 && r <= 1)) throw new AnalysisInputError('OUT_OF_RANGE', `risk[${i}] = ${r}: expected a probability in [0, 1]`);
  });
  if (!(horizon > 0 && Number.isFinite(horizon))) throw new AnalysisInputError('OUT_OF_RANGE', `horizon = ${horizon}: expected a positive number`);
  thresholds.forEach((t) => {
    if (!(t >= 0 && t < 1)) throw new AnalysisInputError('OUT_OF_RANGE', `threshold ${t}: expected a number in [0, 1)`);
  });
  const name = data.name ?? 'model';
  const riskAll = riskAt(data.time, data.event, horizon);
  const rows: SurvivalNetBenefitRow[] = [];
  for (const t of thresholds) rows.push({ variable: 'all', threshold: t, posRate: 1, riskAmongPositive: riskAll, netBenefit: riskAll - ((1 - riskAll) * t) / (1 - t) });
  for (const t of thresholds) rows.push({ variable: 'none', threshold: t, posRate: 0, riskAmongPositive: null, netBenefit: 0 });
  for (const t of thresholds) {
    const idx = data.risk.flatMap((r, i) => (r >= t ? [i] : []));
    const p = idx.length / n;
    if (idx.length === 0) {
      rows.push({ variable: name, threshold: t, posRate: 0, riskAmongPositive: null, netBenefit: 0 });
      continue;
    }
    const r = riskAt(
      idx.map((i) => data.time[i] as number),
      idx.map((i) => data.event[i] as number),
      horizon,
    );
    rows.push({ variable: name, threshold: t, posRate: p, riskAmongPositive: r, netBenefit: r * p - ((1 - r) * p * t) / (1 - t) });
  }
  return rows;
}
