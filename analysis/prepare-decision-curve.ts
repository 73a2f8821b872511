import { AnalysisInputError } from './errors';
import { thresholdGrid } from './threshold-grid';

/** Input of a decision-curve analysis for one binary outcome (dcurves' `dca()`). */
export interface DecisionCurveInput {
  /** Outcome per patient, 0 or 1. */
  readonly outcome: readonly number[];
  /** Predictors by name, in output order: risks in [0, 1] or binary 0/1 decisions, one per patient. */
  readonly predictors: Readonly<Record<string, readonly number[]>>;
  /** Display labels by variable name; defaults: 'Treat All', 'Treat None', the predictor's name. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Threshold probabilities in [0, 1]; default 0, 0.01, …, 0.99 (as dcurves). */
  readonly thresholds?: readonly number[];
  /** Harm subtracted from a predictor's net benefit, by predictor name (default 0). */
  readonly harm?: Readonly<Record<string, number>>;
  /** Population prevalence for case-control data; replaces the observed prevalence. */
  readonly prevalence?: number;
}

export interface PreparedVariable {
  readonly name: string;
  readonly label: string;
  readonly harm: number;
  /** Patient indices ordered by decreasing test key. */
  readonly order: Uint32Array;
  /** Test keys in that order: the risk, with exactly 0 → −ε and exactly 1 → 1 + ε as dcurves does. */
  readonly keys: Float64Array;
}

export interface PreparedDecisionCurve {
  readonly n: number;
  readonly outcome: Uint8Array;
  readonly thresholds: Float64Array;
  /** Indices into `thresholds`, by decreasing threshold. */
  readonly thresholdsDescending: Uint32Array;
  /** 'all', 'none', then the predictors in input order. */
  readonly variables: readonly PreparedVariable[];
  readonly prevalence: number | undefined;
}

const EPS = Number.EPSILON; // R's .Machine$double.eps

function testKey(risk: number): number {
  if (risk === 0) return -EPS;
  if (risk === 1) return 1 + EPS;
  return risk;
}

function prepareVariable(name: string, label: string, harm: number, risks: readonly number[] | null, n: number, constant: number): PreparedVariable {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const raw = new Float64Array(n);
  for (let i = 0; i < n; i++) raw[i] = risks ? testKey(risks[i] ?? Number.NaN) : constant;
  if (risks) order.sort((x, y) => (raw[y] ?? 0) - (raw[x] ?? 0));
  const keys = new Float64Array(n);
  for (let p = 0; p < n; p++) keys[p] = raw[order[p] ?? 0] ?? 0;
  return { name, label, harm, order, keys };
}

/**
 * Validates a decision-curve input and sorts each predictor once (O(n log n)), so every threshold
 * grid — for the data or any bootstrap replicate — is then swept in O(n + T).
 *
 * A patient is test-positive for a variable when key ≥ threshold, where key is the risk except
 * that a risk of exactly 0 becomes −ε and exactly 1 becomes 1 + ε (ε = 2⁻⁵²), as dcurves' `dca()`
 * does: a 0 is never positive (not even at threshold 0) and a 1 always is (even at threshold 1).
 * 'all' has key 1 + ε for everyone, 'none' −ε.
 * Reference: D. D. Sjoberg, dcurves (R package) `dca()`; Vickers & Elkin (2006), Med Decis Making
 * 26:565–574.
 * Throws `EMPTY_INPUT` (no patients, no thresholds), `NOT_BINARY` (outcome not 0/1),
 * `NO_OUTCOME_VARIATION` (one outcome value only: dcurves refuses a numeric single-level outcome),
 * `LENGTH_MISMATCH`, `OUT_OF_RANGE` (risk, threshold or prevalence outside [0, 1], NaN),
 * `INVALID_ARGUMENT` (a predictor named 'all'/'none', a harm for an unknown variable, a non-finite harm).
 *
 * @example
 * const p = prepareDecisionCurve({ outcome: [0, 1, 1], predictors: { model: [0.2, 0.9, 0.5] } });
 * p.variables.map((v) => v.name); // → ['all', 'none', 'model']
 * Array.from(p.variables[2]!.order); // → [1, 2, 0]
 */
export function prepareDecisionCurve(input: DecisionCurveInput): PreparedDecisionCurve {
  const n = input.outcome.length;
  if (n === 0) throw new AnalysisInputError('EMPTY_INPUT', 'no patients');
  const outcome = new Uint8Array(n);
  let events = 0;
  input.outcome.forEach((y, i) => {
    if (y !== 0 && y !== 1) throw new AnalysisInputError('NOT_BINARY', `outcome[${i}] must be 0 or 1, got ${String(y)}`);
    outcome[i] = y;
    events += y;
  });
  if (events === 0 || events === n) {
    throw new AnalysisInputError('NO_OUTCOME_VARIATION', `outcome must contain both 0 and 1, got ${events} events of ${n}`);
  }
  const thresholdList = input.thresholds ?? thresholdGrid(0, 0.99, 0.01);
  if (thresholdList.length === 0) throw new AnalysisInputError('EMPTY_INPUT', 'no thresholds');
  thresholdList.forEach((t, i) => {
    if (!(t >= 0 && t <= 1)) throw new AnalysisInputError('OUT_OF_RANGE', `thresholds[${i}] must lie in [0, 1], got ${String(t)}`);
  });
  if (input.prevalence !== undefined && !(input.prevalence >= 0 && input.prevalence <= 1)) {
    throw new AnalysisInputError('OUT_OF_RANGE', `prevalence must lie in [0, 1], got ${String(input.prevalence)}`);
  }
  const names = Object.keys(input.predictors);
  for (const name of names) {
    if (name === 'all' || name === 'none') throw new AnalysisInputError('INVALID_ARGUMENT', `predictor name '${name}' is reserved`);
    const risks = input.predictors[name] ?? [];
    if (risks.length !== n) throw new AnalysisInputError('LENGTH_MISMATCH', `predictor '${name}' has ${risks.length} values, outcome has ${n}`);
    risks.forEach((r, i) => {
      if (!(r >= 0 && r <= 1)) throw new AnalysisInputError('OUT_OF_RANGE', `${name}[${i}] must lie in [0, 1], got ${String(r)}`);
    });
  }
  for (const [name, h] of Object.entries(input.harm ?? {})) {
    if (name !== 'all' && name !== 'none' && !names.includes(name)) throw new AnalysisInputError('INVALID_ARGUMENT', `harm given for unknown variable '${name}'`);
    if (!Number.isFinite(h)) throw new AnalysisInputError('INVALID_ARGUMENT', `harm for '${name}' must be finite, got ${String(h)}`);
  }
  const label = (name: string, fallback: string): string => input.labels?.[name] ?? fallback;
  const harm = (name: string): number => input.harm?.[name] ?? 0;
  const variables = [
    prepareVariable('all', label('all', 'Treat All'), harm('all'), null, n, 1 + EPS),
    prepareVariable('none', label('none', 'Treat None'), harm('none'), null, n, -EPS),
    ...names.map((name) => prepareVariable(name, label(name, name), harm(name), input.predictors[name] ?? [], n, 0)),
  ];
  const thresholds = Float64Array.from(thresholdList);
  const thresholdsDescending = new Uint32Array(thresholds.length);
  for (let i = 0; i < thresholds.length; i++) thresholdsDescending[i] = i;
  thresholdsDescending.sort((x, y) => (thresholds[y] ?? 0) - (thresholds[x] ?? 0));
  return { n, outcome, thresholds, thresholdsDescending, variables, prevalence: input.prevalence };
}
