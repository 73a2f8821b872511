import { netBenefit } from './net-benefit';
import type { PreparedDecisionCurve } from './prepare-decision-curve';
import { sweepTestPositives } from './sweep-test-positives';

/** One row of a decision curve, with dcurves' column names and meaning. */
export interface DecisionCurveRow {
  readonly variable: string;
  readonly label: string;
  readonly n: number;
  readonly threshold: number;
  /** Outcome prevalence (observed, or the given case-control prevalence) — dcurves' `pos_rate`. */
  readonly pos_rate: number;
  /** mean(test positive | outcome) · prevalence. */
  readonly tp_rate: number;
  /** mean(test positive | no outcome) · (1 − prevalence). */
  readonly fp_rate: number;
  readonly harm: number;
  readonly net_benefit: number;
  /** (net_benefit − net_benefit of 'all') / (t/(1 − t)); ±∞/NaN at t = 0 as in dcurves. */
  readonly net_intervention_avoided: number;
  /** net_benefit / pos_rate. */
  readonly standardized_net_benefit: number;
}

/**
 * All rows of a decision curve for prepared data, optionally weighted by bootstrap multiplicities:
 * variables in prepared order ('all', 'none', predictors), thresholds in input order within each.
 *
 * Definitions as dcurves: pos_rate = prevalence (given, else Σw·y / Σw); tp_rate =
 * (Σw·y·[pos] / Σw·y) · pos_rate; fp_rate = (Σw·(1−y)·[pos] / Σw·(1−y)) · (1 − pos_rate);
 * net_benefit = tp_rate − t/(1−t)·fp_rate − harm; net_intervention_avoided = (NB − NB_all)/(t/(1−t));
 * standardized_net_benefit = NB / pos_rate. Non-finite values (t = 0 or 1, prevalence 0) are
 * returned as IEEE ±Infinity/NaN exactly where R returns them.
 * Reference: dcurves `dca()`, `net_intervention_avoided()`, `standardized_net_benefit()`;
 * Vickers, van Calster & Steyerberg (2019), Diagn Progn Res 3:18.
 * No validation: `prepared` comes from `prepareDecisionCurve`; weights (if any) are non-negative
 * counts summing to n.
 *
 * @example
 * const p = prepareDecisionCurve({ outcome: [0, 1, 1, 0], predictors: { m: [0.2, 0.9, 0.5, 0.6] }, thresholds: [0.5] });
 * decisionCurveRows(p, null).map((r) => [r.variable, r.net_benefit]);
 * // → [['all', 0], ['none', 0], ['m', 0.25]]
 */
export function decisionCurveRows(prepared: PreparedDecisionCurve, weights: Int32Array | null): DecisionCurveRow[] {
  const { n, outcome, thresholds } = prepared;
  let events = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = weights === null ? 1 : (weights[i] as number);
    total += w;
    if (outcome[i] === 1) events += w;
  }
  const nonEvents = total - events;
  const prevalence = prepared.prevalence ?? events / total;
  const T = thresholds.length;
  const eventsPositive = new Float64Array(T);
  const nonEventsPositive = new Float64Array(T);
  const rows: DecisionCurveRow[] = [];
  const benefitAll = new Float64Array(T);
  prepared.variables.forEach((variable, v) => {
    sweepTestPositives(prepared, variable, weights, eventsPositive, nonEventsPositive);
    for (let t = 0; t < T; t++) {
      const threshold = thresholds[t] as number;
      const tpRate = ((eventsPositive[t] as number) / events) * prevalence;
      const fpRate = ((nonEventsPositive[t] as number) / nonEvents) * (1 - prevalence);
      const nb = netBenefit(tpRate, fpRate, threshold, variable.harm);
      if (v === 0) benefitAll[t] = nb;
      rows.push({
        variable: variable.name,
        label: variable.label,
        n,
        threshold,
        pos_rate: prevalence,
        tp_rate: tpRate,
        fp_rate: fpRate,
        harm: variable.harm,
        net_benefit: nb,
        net_intervention_avoided: (nb - (benefitAll[t] as number)) / (threshold / (1 - threshold)),
        standardized_net_benefit: nb / prevalence,
      });
    }
  });
  return rows;
}
