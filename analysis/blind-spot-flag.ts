import { AnalysisInputError } from './errors';

export interface BlindSpotFlag {
  /** The point estimate lies below the stated floor. */
  readonly flagged: boolean;
  /** The whole confidence interval lies below the floor: the shortfall is not just sampling noise. */
  readonly confirmed: boolean;
  readonly floor: number;
}

/**
 * "Blind spot" flag for a subgroup's performance figure (e.g. model sensitivity for one scanner):
 * flagged when the estimate is below `floor`, confirmed when the interval's upper limit is too.
 * A NaN estimate (figure not computable) is never flagged; the caller reports it as not computed.
 * Reference: the subgroup-failure framing of Oakden-Rayner et al. (2020), Proc ACM CHIL ("hidden
 * stratification"); the rule itself is this project's, stated here so it can be cited.
 * Throws `INVALID_ARGUMENT` when `floor` is not finite.
 *
 * @example
 * blindSpotFlag({ estimate: 0.62, lower: 0.41, upper: 0.79 }, 0.8); // → { flagged: true, confirmed: true, floor: 0.8 }
 */
export function blindSpotFlag(interval: { readonly estimate: number; readonly lower: number; readonly upper: number }, floor: number): BlindSpotFlag {
  if (!Number.isFinite(floor)) throw new AnalysisInputError('INVALID_ARGUMENT', `blind-spot floor must be a finite number, got ${String(floor)}`);
  const flagged = interval.estimate < floor;
  return { flagged, confirmed: flagged && interval.upper < floor, floor };
}
