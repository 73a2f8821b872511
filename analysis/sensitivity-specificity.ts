import { assertCount } from './assert-count';
import { AnalysisInputError } from './errors';
import { wilsonInterval, type ProportionInterval } from './wilson-interval';

/** Confusion-matrix counts of a binary test against a reference standard. */
export interface ConfusionCounts {
  readonly truePositive: number;
  readonly falseNegative: number;
  readonly trueNegative: number;
  readonly falsePositive: number;
}

/**
 * Sensitivity TP/(TP + FN) and specificity TN/(TN + FP), each with a Wilson score interval.
 *
 * Reference: J. Yerushalmy (1947), Public Health Rep 62:1432–1449 (definitions); Wilson interval
 * as `wilsonInterval` (recommended for diagnostic accuracy: Newcombe 1998, Stat Med 17:857–872).
 * Throws `INVALID_COUNT`, and `EMPTY_GROUP` when there are no reference positives (sensitivity
 * undefined) or no reference negatives (specificity undefined).
 *
 * @example
 * sensitivitySpecificity({ truePositive: 45, falseNegative: 5, trueNegative: 80, falsePositive: 20 });
 * // → { sensitivity: { events: 45, n: 50, estimate: 0.9, lower: 0.7863976856252033, upper: 0.9565242350681096, … },
 * //     specificity: { events: 80, n: 100, estimate: 0.8, lower: 0.711170834406841, upper: 0.8666330666689674, … } }
 */
export function sensitivitySpecificity(counts: ConfusionCounts, confLevel = 0.95): { readonly sensitivity: ProportionInterval; readonly specificity: ProportionInterval } {
  for (const key of ['truePositive', 'falseNegative', 'trueNegative', 'falsePositive'] as const) assertCount(key, counts[key]);
  const positives = counts.truePositive + counts.falseNegative;
  const negatives = counts.trueNegative + counts.falsePositive;
  if (positives === 0) throw new AnalysisInputError('EMPTY_GROUP', 'no reference-positive cases: sensitivity is undefined');
  if (negatives === 0) throw new AnalysisInputError('EMPTY_GROUP', 'no reference-negative cases: specificity is undefined');
  return {
    sensitivity: wilsonInterval(counts.truePositive, positives, confLevel),
    specificity: wilsonInterval(counts.trueNegative, negatives, confLevel),
  };
}
