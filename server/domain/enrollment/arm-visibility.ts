import type { Role } from '../../../db/schema';
import type { TrialDesign } from '../trials/trial-design';

/**
 * Who may see a randomized participant's arm through the coordination views:
 * statisticians, monitors and admins always; coordinators only when the trial is open-label for
 * them (or for a participant they emergency-unblinded); clinicians never through these views (their
 * worklist reveals only what their arm's review shows).
 */
export function roleSeesArms(role: Role, design: TrialDesign | null): boolean {
  if (role === 'statistician' || role === 'monitor' || role === 'admin') return true;
  if (role === 'coordinator') return design?.coordinatorsSeeArm ?? false;
  return false;
}
