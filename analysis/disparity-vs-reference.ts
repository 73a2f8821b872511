import { AnalysisInputError } from './errors';
import { newcombeRiskDifference } from './newcombe-risk-difference';
import { relativeRisk, type RatioInterval } from './relative-risk';
import type { EffectInterval } from './wald-risk-difference';
import { wilsonInterval, type ProportionInterval } from './wilson-interval';

/** A subgroup's count of "successes" (e.g. correct detections) out of n. */
export interface GroupCount {
  readonly name: string;
  readonly events: number;
  readonly n: number;
}

export interface Disparity {
  readonly name: string;
  readonly proportion: ProportionInterval;
  /** proportion − reference proportion, Newcombe hybrid score interval (method 10). */
  readonly difference: EffectInterval;
  /** proportion / reference proportion, Katz log interval (Haldane–Anscombe +0.5 named if used). */
  readonly ratio: RatioInterval;
}

/**
 * Disparity of each subgroup's proportion (e.g. model sensitivity by sex, site or scanner) against
 * a named reference group: difference (Newcombe) and ratio (Katz), plus each group's own Wilson
 * interval. The reference group itself is listed first with difference 0 and ratio 1 computed the
 * same way (so its intervals show the reference's own sampling noise).
 *
 * Reference: Newcombe (1998), Stat Med 17:873–890 (method 10); Katz et al. (1978), Biometrics
 * 34:469–474; for the fairness framing, e.g. Obermeyer et al. (2019), Science 366:447–453.
 * Throws `EMPTY_INPUT` (no groups), `INVALID_ARGUMENT` (unknown reference, duplicate name), and
 * the count errors of `wilsonInterval` for any group (an empty group throws `EMPTY_GROUP`).
 *
 * @example
 * disparityVsReference([{ name: 'F', events: 40, n: 50 }, { name: 'M', events: 30, n: 50 }], 'F')[1]
 *   ?.difference.estimate; // → -0.20000000000000007 (M − F)
 */
export function disparityVsReference(groups: readonly GroupCount[], reference: string, confLevel = 0.95): readonly Disparity[] {
  if (groups.length === 0) throw new AnalysisInputError('EMPTY_INPUT', 'no groups');
  const names = new Set<string>();
  for (const g of groups) {
    if (names.has(g.name)) throw new AnalysisInputError('INVALID_ARGUMENT', `duplicate group name '${g.name}'`);
    names.add(g.name);
  }
  const ref = groups.find((g) => g.name === reference);
  if (!ref) throw new AnalysisInputError('INVALID_ARGUMENT', `reference group '${reference}' not among ${[...names].join(', ')}`);
  const ordered = [ref, ...groups.filter((g) => g !== ref)];
  return ordered.map((g) => {
    const proportion = wilsonInterval(g.events, g.n, confLevel);
    const arms = { eventsA: g.events, nA: g.n, eventsB: ref.events, nB: ref.n };
    return { name: g.name, proportion, difference: newcombeRiskDifference(arms, confLevel), ratio: relativeRisk(arms, confLevel) };
  });
}
