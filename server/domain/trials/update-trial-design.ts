import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { trials } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import { loadTrial } from './load-trial';
import { commitSeed, wipeTestData } from './start-randomization-mode';
import { parseTrialDesign } from './trial-design';

/**
 * Saves a trial's design. Refused once the trial is live (the design is frozen) or closed; in test
 * mode it wipes the test data and commits a new test seed.
 */
export async function updateTrialDesign(options: { db: Database; trialId: string; design: unknown; actor: AuditActor; request: RequestMetadata }) {
  const design = parseTrialDesign(options.design);
  return options.db.transaction(async (tx) => {
    const trial = await loadTrial(tx, options.trialId, { forUpdate: true });
    if (trial.status === 'live' || trial.status === 'closed') {
      throw new AppError('INVALID_STATE', `The design of a ${trial.status} trial is frozen.`);
    }
    await tx.update(trials).set({ design }).where(eq(trials.id, trial.id));
    // In test mode the test seed was committed with the old design: start the test over.
    const testParticipantsWiped = trial.status === 'test' ? await wipeTestData(tx, trial.id) : 0;
    const testCommitment = trial.status === 'test' ? await commitSeed(tx, trial.id, 'test', design.randomization) : undefined;
    await writeAuditEvent({
      tx,
      actor: options.actor,
      action: 'trial.design_updated',
      entityType: 'trial',
      entityId: trial.id,
      trialId: trial.id,
      before: trial.design,
      after: { design, testParticipantsWiped, testCommitment },
      request: options.request,
    });
    return design;
  });
}
