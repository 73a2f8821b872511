import type { DbOrTx } from '@/db/client';
import { AppError } from '../../errors';
import { loadTrial, requireDesign } from '../trials/load-trial';
import { checkDecision } from './decision-edit-checks';
import type { DecisionInput } from './decision-input';

/**
 * Refuses a decision that fails the trial's declared edit checks: INVALID_INPUT naming every failed
 * check, with `details.findings` (field and message) so the form can show each beside its field.
 */
export async function assertDecisionEditChecks({ db, trialId, decision }: { db: DbOrTx; trialId: string; decision: DecisionInput }): Promise<void> {
  const design = requireDesign(await loadTrial(db, trialId));
  const findings = checkDecision(design.editChecks, decision);
  if (findings.length > 0) throw new AppError('INVALID_INPUT', `The decision fails the trial's edit checks: ${findings.map((f) => f.message).join('; ')}.`, { findings });
}
