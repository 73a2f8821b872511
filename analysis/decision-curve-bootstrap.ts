import { decisionCurveRows, type DecisionCurveRow } from './decision-curve-rows';
import { drawBootstrapWeights } from './draw-bootstrap-weights';
import { groupByStratum } from './group-by-stratum';
import { percentileInterval } from './percentile-interval';
import { prepareDecisionCurve, type DecisionCurveInput } from './prepare-decision-curve';
import { replicateNetBenefit } from './replicate-net-benefit';
import { createSeededRandom } from './seeded-random';
import { validateBootstrapOptions, type BootstrapOptions } from './validate-bootstrap-options';

export interface DecisionCurveBootstrapRow extends DecisionCurveRow {
  readonly net_benefit_lower: number;
  readonly net_benefit_upper: number;
}

export interface DecisionCurveBootstrapResult {
  readonly rows: readonly DecisionCurveBootstrapRow[];
  readonly replicates: number;
  readonly seed: number;
  readonly confLevel: number;
  /** Replicates whose resample had no events or no non-events (their net benefits are NaN and dropped). */
  readonly degenerateReplicates: number;
}

/**
 * `decisionCurve` plus bootstrap percentile intervals for net benefit (net_benefit_lower/upper).
 *
 * Resampling: patients are resampled with replacement within each stratum (`strata`, e.g.
 * `${arm}:${stratum}` per patient; default one stratum), using the seeded xoshiro128** stream
 * and the draw order of `drawBootstrapWeights`; the point estimates are those of the data.
 * Each replicate costs O(n + T) per variable: one sort per variable up front, then weighted
 * cumulative counts. Replicates that resample no events or no non-events are counted in
 * `degenerateReplicates` and dropped from the percentiles (stratify by outcome to avoid them).
 * Reference: Efron & Tibshirani (1993), An Introduction to the Bootstrap, §13.3; Vickers, Cronin,
 * Elkin, Gonen (2008), BMC Med Inform Decis Mak 8:53 (bootstrap CIs for decision curves).
 * Throws as `prepareDecisionCurve`, `validateBootstrapOptions` and `groupByStratum`.
 *
 * @example
 * const res = decisionCurveBootstrap(
 *   { outcome: [0, 1, 1, 0, 1, 0], predictors: { m: [0.1, 0.8, 0.6, 0.4, 0.3, 0.2] }, thresholds: [0.25] },
 *   { replicates: 200, seed: 1 },
 * );
 * res.rows[2]; // → { variable: 'm', …, net_benefit: 0.4444444444444444,
 * //     net_benefit_lower: 0.0416666666666669, net_benefit_upper: 0.8333333333333334 }
 */
export function decisionCurveBootstrap(input: DecisionCurveInput, options: BootstrapOptions & { readonly strata?: readonly (string | number)[] }): DecisionCurveBootstrapResult {
  const { replicates, seed, confLevel } = validateBootstrapOptions(options);
  const prepared = prepareDecisionCurve(input);
  const groups = groupByStratum(prepared.n, options.strata);
  const rows = decisionCurveRows(prepared, null);
  const V = prepared.variables.length;
  const T = prepared.thresholds.length;
  const store = new Float64Array(V * T * replicates);
  const weights = new Int32Array(prepared.n);
  const scratch = { eventsPositive: new Float64Array(T), nonEventsPositive: new Float64Array(T) };
  const rng = createSeededRandom(seed);
  let degenerateReplicates = 0;
  for (let r = 0; r < replicates; r++) {
    drawBootstrapWeights(groups, rng, weights);
    let events = 0;
    for (let i = 0; i < prepared.n; i++) if (prepared.outcome[i] === 1) events += weights[i] as number;
    if (events === 0 || events === prepared.n) degenerateReplicates++;
    prepared.variables.forEach((variable, v) => {
      replicateNetBenefit(prepared, variable, weights, events, scratch, store, v * T * replicates + r, replicates);
    });
  }
  const withIntervals = rows.map((row, k) => {
    const interval = percentileInterval(store.subarray(k * replicates, (k + 1) * replicates), confLevel);
    return { ...row, net_benefit_lower: interval.lower, net_benefit_upper: interval.upper };
  });
  return { rows: withIntervals, replicates, seed, confLevel, degenerateReplicates };
}
