import type { Role } from '@/db/schema';
import { AppError } from '../../errors';
import type { TrialDesign } from '../trials/trial-design';
import type { TrialAccess } from '../trials/trial-access';

/**
 * Who may see a randomized participant's arm through the coordination and analysis views.
 * A membership's blinding variant decides first: 'blinded' sees no arm anywhere, 'unblinded' sees
 * them (clinicians never: their worklist reveals only what their arm's review shows). Without one,
 * the role's default: statisticians, monitors and admins see arms; coordinators only when the trial
 * is open-label for them (or for a participant they emergency-unblinded).
 */
export function roleSeesArms(role: Role, design: TrialDesign | null, access?: Pick<TrialAccess, 'armAccess'>): boolean {
  if (role === 'clinician') return false;
  if (role !== 'admin' && access?.armAccess === 'blinded') return false;
  if (role !== 'admin' && access?.armAccess === 'unblinded') return true;
  if (role === 'statistician' || role === 'monitor' || role === 'admin') return true;
  if (role === 'coordinator') return design?.coordinatorsSeeArm ?? false;
  return false;
}

/**
 * Refuses views made of arms (per-arm analysis, exports by arm) to a caller blinded in this trial.
 * NOT_FOUND-free: the trial is visible to them, the view is not (FORBIDDEN_ROLE, as a role refusal).
 */
export function assertSeesAllocations(role: Role, design: TrialDesign | null, access: Pick<TrialAccess, 'armAccess'>): void {
  if (!roleSeesArms(role, design, access)) throw new AppError('FORBIDDEN_ROLE', 'You are blinded in this trial: views by arm are not available to you.');
}
