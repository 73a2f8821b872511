import { decisionCurveRows, type DecisionCurveRow } from './decision-curve-rows';
import { prepareDecisionCurve, type DecisionCurveInput } from './prepare-decision-curve';

/**
 * Decision-curve analysis for a binary outcome, reproducing R dcurves'
 * `dca(outcome ~ predictors, thresholds =, harm =, prevalence =) |> net_intervention_avoided(nper = 1)
 * |> standardized_net_benefit() |> as_tibble()`: one row per variable ('all', 'none', then each
 * predictor) and threshold, columns variable, label, n, threshold, pos_rate, tp_rate, fp_rate,
 * harm, net_benefit, net_intervention_avoided, standardized_net_benefit.
 *
 * Test-positive means risk ≥ threshold (risk exactly 0 never, exactly 1 always — see
 * `prepareDecisionCurve`). With `prevalence` (case-control data) pos_rate is that prevalence and
 * tp_rate/fp_rate are rescaled: tp_rate = mean(test+ | outcome)·prevalence, fp_rate =
 * mean(test+ | no outcome)·(1 − prevalence). `harm` is subtracted from a variable's net benefit.
 * At t = 0 net_intervention_avoided divides by 0 and at t = 1 net benefit has the weight ∞: the
 * IEEE ±Infinity/NaN results are returned, as dcurves does. Unlike dcurves, standardized net
 * benefit is also reported when a harm is set (dcurves refuses); it is NB/pos_rate either way.
 * Cost: O(n log n) per predictor once, then O(n + T).
 * Reference: Vickers & Elkin (2006), Med Decis Making 26:565–574; Kerr et al. (2016) for
 * standardized net benefit; D. D. Sjoberg, dcurves R package (`dca`, `test_consequences`).
 * Throws as `prepareDecisionCurve`.
 *
 * @example
 * decisionCurve({ outcome: [0, 1, 1, 0], predictors: { m: [0.2, 0.9, 0.5, 0.6] }, thresholds: [0.5] })[2];
 * // → { variable: 'm', label: 'm', n: 4, threshold: 0.5, pos_rate: 0.5, tp_rate: 0.5, fp_rate: 0.25,
 * //     harm: 0, net_benefit: 0.25, net_intervention_avoided: 0.25, standardized_net_benefit: 0.5 }
 */
export function decisionCurve(input: DecisionCurveInput): readonly DecisionCurveRow[] {
  return decisionCurveRows(prepareDecisionCurve(input), null);
}
