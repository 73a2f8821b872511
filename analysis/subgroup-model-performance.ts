import { aucDeLong, type AucResult } from './auc-delong';
import { blindSpotFlag, type BlindSpotFlag } from './blind-spot-flag';
import { calibrationInterceptSlope, type CalibrationResult } from './calibration-intercept-slope';
import { disparityVsReference, type Disparity } from './disparity-vs-reference';
import { AnalysisInputError } from './errors';
import { smallSampleFlag, type SmallSampleFlag } from './small-sample-flag';
import { validateScoredOutcomes } from './validate-scored-outcomes';
import { wilsonInterval, type ProportionInterval } from './wilson-interval';

export interface SubgroupPerformanceOptions {
  /** Reference standard per patient, 0/1. */
  readonly outcome: readonly number[];
  /** Model risk per patient in [0, 1]; test-positive when risk ≥ `threshold`. */
  readonly risk: readonly number[];
  /** Level of this covariate per patient; null = not recorded (left out of this covariate). */
  readonly levels: readonly (string | null)[];
  readonly threshold: number;
  /** Reference level for disparities; default the largest level (ties: first in sort order). */
  readonly reference?: string;
  /** Sensitivity floor for blind-spot flags (default 0.8). */
  readonly sensitivityFloor?: number;
  /** Absolute sensitivity difference vs the reference beyond which a disparity is flagged (default 0.1). */
  readonly disparityTolerance?: number;
  readonly minN?: number;
  readonly minEvents?: number;
  /** Reference-positive cases a level needs before its sensitivity can raise a blind-spot flag (default 10). */
  readonly blindSpotMinPositives?: number;
  readonly confLevel?: number;
}

export interface SubgroupPerformanceLevel {
  readonly level: string;
  readonly n: number;
  readonly events: number;
  readonly sensitivity: ProportionInterval | null;
  readonly specificity: ProportionInterval | null;
  readonly auc: AucResult | null;
  readonly calibration: CalibrationResult | null;
  /** Sensitivity disparity vs the reference level (difference Newcombe, ratio Katz); null for the reference's own row when not computable. */
  readonly sensitivityDisparity: Disparity | null;
  /** |sensitivity difference| > tolerance. */
  readonly disparityFlag: boolean;
  readonly smallSample: SmallSampleFlag;
  readonly blindSpot: BlindSpotFlag | null;
  /** Figures that could not be computed for this level, with the error code and why. */
  readonly notComputed: readonly { readonly figure: string; readonly reason: string }[];
}

export interface SubgroupPerformance {
  readonly reference: string;
  readonly threshold: number;
  readonly disparityTolerance: number;
  readonly levels: readonly SubgroupPerformanceLevel[];
}

function attempt<T>(figure: string, notComputed: { figure: string; reason: string }[], compute: () => T): T | null {
  try {
    return compute();
  } catch (error) {
    if (!(error instanceof AnalysisInputError)) throw error;
    notComputed.push({ figure, reason: `${error.code}: ${error.message}` });
    return null;
  }
}

/**
 * Model performance of a risk output per level of one covariate (sex, age band, site, scanner …):
 * n and events, sensitivity and specificity at `threshold` (Wilson), AUC (DeLong), calibration
 * intercept and slope (logistic recalibration), sensitivity disparity vs a reference level
 * (difference and ratio, with a tolerance flag), small-n flag (`smallSampleFlag`) and blind-spot flag
 * (`blindSpotFlag` on sensitivity). Levels are sorted by name. A figure that a level's data cannot
 * support (no events, no non-events, separation) is listed in its `notComputed` with the error code,
 * never faked; an empty level never appears (it has no patients).
 * Reference: the functions composed (see each); Collins et al. (2024), BMJ 385:e078378 (TRIPOD+AI,
 * subgroup performance); checked against R by analysis/fixtures/generate-summaries.R.
 * Throws as `validateScoredOutcomes`, `LENGTH_MISMATCH` when `levels` differs in length,
 * `EMPTY_INPUT` when no patient has a level, `INVALID_ARGUMENT` for an unknown reference or a
 * threshold outside [0, 1].
 *
 * @example
 * const r = subgroupModelPerformance({ outcome: [1, 0, 1, 0], risk: [0.9, 0.2, 0.4, 0.6], levels: ['F', 'F', 'M', 'M'], threshold: 0.5 });
 * r.levels.map((l) => [l.level, l.sensitivity?.estimate]); // → [['F', 1], ['M', 0]]
 */
export function subgroupModelPerformance(options: SubgroupPerformanceOptions): SubgroupPerformance {
  const { outcome, risk, levels, threshold } = options;
  validateScoredOutcomes(risk, outcome);
  if (levels.length !== outcome.length) throw new AnalysisInputError('LENGTH_MISMATCH', `levels has ${levels.length} entries, outcome ${outcome.length}`);
  if (!(threshold >= 0 && threshold <= 1)) throw new AnalysisInputError('INVALID_ARGUMENT', `threshold must lie in [0, 1], got ${String(threshold)}`);
  const confLevel = options.confLevel ?? 0.95;
  const tolerance = options.disparityTolerance ?? 0.1;
  const floor = options.sensitivityFloor ?? 0.8;
  const byLevel = new Map<string, number[]>();
  levels.forEach((level, i) => {
    if (level === null) return;
    const list = byLevel.get(level) ?? [];
    list.push(i);
    byLevel.set(level, list);
  });
  if (byLevel.size === 0) throw new AnalysisInputError('EMPTY_INPUT', 'no patient has a level of this covariate');
  const names = [...byLevel.keys()].sort();
  const reference = options.reference ?? names.reduce((best, name) => ((byLevel.get(name)?.length ?? 0) > (byLevel.get(best)?.length ?? 0) ? name : best), names[0] as string);
  if (!byLevel.has(reference)) throw new AnalysisInputError('INVALID_ARGUMENT', `reference level '${reference}' not among ${names.join(', ')}`);

  const counts = new Map<string, { tp: number; fn: number; tn: number; fp: number }>();
  for (const name of names) {
    const c = { tp: 0, fn: 0, tn: 0, fp: 0 };
    for (const i of byLevel.get(name) ?? []) {
      const positive = (risk[i] as number) >= threshold;
      if (outcome[i] === 1) {
        if (positive) c.tp++;
        else c.fn++;
      } else if (positive) c.fp++;
      else c.tn++;
    }
    counts.set(name, c);
  }
  const refCounts = counts.get(reference)!;
  const refPositives = refCounts.tp + refCounts.fn;

  return {
    reference,
    threshold,
    disparityTolerance: tolerance,
    levels: names.map((name): SubgroupPerformanceLevel => {
      const idx = byLevel.get(name) ?? [];
      const c = counts.get(name)!;
      const y = idx.map((i) => outcome[i] as number);
      const p = idx.map((i) => risk[i] as number);
      const events = c.tp + c.fn;
      const notComputed: { figure: string; reason: string }[] = [];
      // Sensitivity TP/(TP + FN) and specificity TN/(TN + FP), each a Wilson interval, computed
      // separately so a level without non-events still reports its sensitivity.
      const sensitivity = attempt('sensitivity', notComputed, () => wilsonInterval(c.tp, events, confLevel));
      const specificity = attempt('specificity', notComputed, () => wilsonInterval(c.tn, c.tn + c.fp, confLevel));
      const auc = attempt('AUC', notComputed, () => aucDeLong(p, y, confLevel));
      const calibration = attempt('calibration', notComputed, () => calibrationInterceptSlope(p, y, confLevel));
      let sensitivityDisparity: Disparity | null = null;
      if (events > 0 && refPositives > 0) {
        const groups = [{ name: reference, events: refCounts.tp, n: refPositives }, ...(name === reference ? [] : [{ name, events: c.tp, n: events }])];
        sensitivityDisparity = disparityVsReference(groups, reference, confLevel).find((d) => d.name === name) ?? null;
      } else notComputed.push({ figure: 'sensitivity disparity', reason: 'EMPTY_GROUP: no reference-positive cases in this level or the reference level' });
      return {
        level: name,
        n: idx.length,
        events,
        sensitivity,
        specificity,
        auc,
        calibration,
        sensitivityDisparity,
        disparityFlag: sensitivityDisparity !== null && Math.abs(sensitivityDisparity.difference.estimate) > tolerance,
        smallSample: smallSampleFlag({ n: idx.length, events }, { minN: options.minN, minEvents: options.minEvents }),
        blindSpot: sensitivity ? blindSpotFlag(sensitivity, floor, { n: events, minN: options.blindSpotMinPositives ?? 10 }) : null,
        notComputed,
      };
    }),
  };
}
