import type { EligibilityCriterion, TrialDesign } from '../trials/trial-design';
import { unmetCriteria } from '../trials/trial-design';

export type EligibilityState = 'eligible' | 'ineligible' | 'waived';

export interface EligibilityStatus {
  readonly state: EligibilityState;
  /** The criteria the answers fail (empty when eligible). */
  readonly unmet: readonly EligibilityCriterion[];
  /** Every failed criterion is one the protocol allows to be waived. */
  readonly waivable: boolean;
}

/**
 * Whether a participant may be randomized, from their answers and a signed waiver: eligible (every
 * criterion met), waived (the failed ones all covered by the waiver), or ineligible. Shown from
 * enrollment on, enforced by randomization and counted by CONSORT the same way.
 *
 * @example eligibilityStatus(design, { adult: false }, null).state // 'ineligible'
 */
export function eligibilityStatus(design: TrialDesign, answers: Readonly<Record<string, boolean>>, waiver: { readonly criteria: readonly string[] } | null): EligibilityStatus {
  const unmet = unmetCriteria(design, answers);
  const waivable = unmet.length > 0 && unmet.every((c) => c.waivable);
  if (unmet.length === 0) return { state: 'eligible', unmet, waivable: false };
  if (waiver && unmet.every((c) => waiver.criteria.includes(c.id))) return { state: 'waived', unmet, waivable };
  return { state: 'ineligible', unmet, waivable };
}
