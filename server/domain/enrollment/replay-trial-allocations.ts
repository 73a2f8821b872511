import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client';
import { allocations, participants, randomizationSecrets } from '../../../db/schema';
import { AppError } from '../../errors';
import { commitmentHash, parseStratumKey, replayAllocations, seedToHex } from '../randomization';
import { loadTrial, requireDesign } from '../trials/load-trial';

/**
 * Re-derives every allocation of a trial's mode from its stored seed, design and algorithm version,
 * and checks the published commitment. For statisticians and auditors (CLI); reads the secret seed,
 * so it is never exposed through the web API.
 */
export async function replayTrialAllocations({ db, trialId, mode = 'live' }: { db: DbOrTx; trialId: string; mode?: 'test' | 'live' }) {
  const trial = await loadTrial(db, trialId);
  const design = requireDesign(trial);
  const [secret] = await db
    .select()
    .from(randomizationSecrets)
    .where(and(eq(randomizationSecrets.trialId, trialId), eq(randomizationSecrets.mode, mode)));
  if (!secret) throw new AppError('INVALID_STATE', `Trial '${trial.name}' has no ${mode} randomization seed.`);
  const recomputedCommitment = commitmentHash({ seed: secret.seed, params: design.randomization, algorithmVersion: secret.algorithmVersion });
  const rows = await db
    .select({ id: allocations.id, studyId: participants.studyId, arm: allocations.arm, provenance: allocations.provenance, slotIndex: allocations.slotIndex })
    .from(allocations)
    .innerJoin(participants, eq(participants.id, allocations.participantId))
    .where(and(eq(allocations.trialId, trialId), eq(allocations.mode, mode)))
    // Randomization order: within a serialization row the slot order, across rows insertion order.
    .orderBy(asc(allocations.id));
  const enrollments = rows.map((r) => ({
    id: r.studyId,
    recordedArm: r.arm,
    covariates: parseStratumKey({ params: design.randomization, stratumKey: (r.provenance as { stratumKey: string }).stratumKey }),
  }));
  const result = replayAllocations({ seed: secret.seed, params: design.randomization, algorithmVersion: secret.algorithmVersion, enrollments });
  return {
    trial: { id: trial.id, name: trial.name, status: trial.status },
    mode,
    algorithmVersion: secret.algorithmVersion,
    // The seed predicts future allocations: it is shown only once the trial is closed (or for test mode).
    seedHex: trial.status === 'closed' || mode === 'test' ? seedToHex(secret.seed) : null,
    publishedCommitment: secret.commitmentHash,
    commitmentMatches: recomputedCommitment === secret.commitmentHash,
    allocationsReplayed: result.allocations.length,
    mismatches: result.mismatches,
  };
}
