import { AnalysisInputError } from './errors';

export interface BlindSpotFlag {
  /** The point estimate lies below the stated floor. */
  readonly flagged: boolean;
  /** The whole confidence interval lies below the floor: the shortfall is not just sampling noise. */
  readonly confirmed: boolean;
  readonly floor: number;
  /** False when the level has fewer than `minN` cases behind the figure: then it is never flagged. */
  readonly evaluated: boolean;
  readonly minN: number;
}

/**
 * "Blind spot" flag for a subgroup's performance figure (e.g. model sensitivity for one scanner):
 * flagged when the estimate is below `floor`, confirmed when the interval's upper limit is too.
 * A NaN estimate (figure not computable) is never flagged; the caller reports it as not computed.
 * Nor is a figure resting on fewer than `minN` cases (default 10, e.g. reference-positive cases for
 * a sensitivity): with 2–5 cases a Wilson interval wider than half the scale "confirms" nothing.
 * Reference: the subgroup-failure framing of Oakden-Rayner et al. (2020), Proc ACM CHIL ("hidden
 * stratification"); the rule itself is this project's, stated here so it can be cited.
 * Throws `INVALID_ARGUMENT` when `floor` is not finite.
 *
 * @example
 * blindSpotFlag({ estimate: 0.62, lower: 0.41, upper: 0.79 }, 0.8, { n: 40 }); // → { flagged: true, confirmed: true, floor: 0.8, evaluated: true, minN: 10 }
 * blindSpotFlag({ estimate: 0, lower: 0, upper: 0.56 }, 0.8, { n: 3 }).flagged; // → false (3 < 10 cases: not evaluated)
 */
export function blindSpotFlag(
  interval: { readonly estimate: number; readonly lower: number; readonly upper: number },
  floor: number,
  size: { readonly n: number; readonly minN?: number },
): BlindSpotFlag {
  if (!Number.isFinite(floor)) throw new AnalysisInputError('INVALID_ARGUMENT', `blind-spot floor must be a finite number, got ${String(floor)}`);
  const minN = size.minN ?? 10;
  if (!Number.isInteger(minN) || minN < 0) throw new AnalysisInputError('INVALID_ARGUMENT', `blind-spot minN must be a non-negative integer, got ${String(minN)}`);
  if (size.n < minN) return { flagged: false, confirmed: false, floor, evaluated: false, minN };
  const flagged = interval.estimate < floor;
  return { flagged, confirmed: flagged && interval.upper < floor, floor, evaluated: true, minN };
}
