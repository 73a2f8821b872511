import { identity4, multiply4 } from '@/imaging/volume';
import { AppError } from '../../errors';
import type { VisitRegistration } from './register-to-baseline';

/**
 * The world-to-world map that puts a prior visit onto the current visit's grid: current world →
 * baseline world (the current follow-up's registration, inverted) → prior world (the prior's own
 * registration; the identity when the prior is the baseline). Every follow-up is registered to the
 * same baseline, so a nadir prior goes through the baseline too, never through a second elastix run.
 * Used as `targetToSourceWorld` when resampling the prior onto the current grid.
 *
 * @example currentToPriorWorld(fu2.registration, null) // fu2 → baseline, for a baseline prior
 */
export function currentToPriorWorld(current: VisitRegistration, prior: VisitRegistration | null): number[] {
  if (prior && prior.baselineStudyId !== current.baselineStudyId)
    throw new AppError('INVALID_STATE', `The prior visit was registered to baseline study ${prior.baselineStudyId}, the current one to ${current.baselineStudyId}: re-record the visits.`);
  const baselineToPrior = prior ? prior.baselineToFollowupWorld : identity4();
  return multiply4(baselineToPrior, current.followupToBaselineWorld);
}
