import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { allocations, participants, randomizationSecrets } from '@/db/schema';
import { AppError } from '../../errors';
import { commitmentHash, parseRandomizationParameters, parseStratumKey, replayAllocations, seedToHex } from '../randomization';
import { loadTrial } from '../trials/load-trial';

/**
 * Re-derives every allocation of a trial's mode from its stored seeds, committed parameters and
 * algorithm version, period by period (a signed amendment of the randomization parameters opens a
 * new period under a new commitment), and checks each published commitment. For statisticians and
 * auditors (CLI); reads the secret seeds, so it is never exposed through the web API.
 */
export async function replayTrialAllocations({ db, trialId, mode = 'live' }: { db: DbOrTx; trialId: string; mode?: 'test' | 'live' }) {
  const trial = await loadTrial(db, trialId);
  const secrets = await db
    .select()
    .from(randomizationSecrets)
    .where(and(eq(randomizationSecrets.trialId, trialId), eq(randomizationSecrets.mode, mode)))
    .orderBy(asc(randomizationSecrets.period));
  if (secrets.length === 0) throw new AppError('INVALID_STATE', `Trial '${trial.name}' has no ${mode} randomization seed.`);
  // The seed predicts future allocations: it is shown only once the trial is closed (or for test mode).
  const reveal = trial.status === 'closed' || mode === 'test';
  const periods = [];
  for (const secret of secrets) {
    const params = parseRandomizationParameters(secret.parameters);
    const rows = await db
      .select({ id: allocations.id, studyId: participants.studyId, arm: allocations.arm, provenance: allocations.provenance })
      .from(allocations)
      .innerJoin(participants, eq(participants.id, allocations.participantId))
      .where(and(eq(allocations.trialId, trialId), eq(allocations.mode, mode), eq(allocations.period, secret.period)))
      // Randomization order: within a serialization row the slot order, across rows insertion order.
      .orderBy(asc(allocations.id));
    const enrollments = rows.map((r) => ({
      id: r.studyId,
      recordedArm: r.arm,
      covariates: parseStratumKey({ params, stratumKey: (r.provenance as { stratumKey: string }).stratumKey }),
    }));
    const result = replayAllocations({ seed: secret.seed, params, algorithmVersion: secret.algorithmVersion, enrollments });
    periods.push({
      period: secret.period,
      algorithmVersion: secret.algorithmVersion,
      seedHex: reveal ? seedToHex(secret.seed) : null,
      publishedCommitment: secret.commitmentHash,
      commitmentMatches: commitmentHash({ seed: secret.seed, params, algorithmVersion: secret.algorithmVersion }) === secret.commitmentHash,
      committedAt: secret.createdAt,
      allocationsReplayed: result.allocations.length,
      mismatches: result.mismatches,
    });
  }
  const current = periods[periods.length - 1]!;
  return {
    trial: { id: trial.id, name: trial.name, status: trial.status },
    mode,
    algorithmVersion: current.algorithmVersion,
    seedHex: current.seedHex,
    // The commitment in force now; every period's is in `periods`.
    publishedCommitment: current.publishedCommitment,
    commitmentMatches: periods.every((p) => p.commitmentMatches),
    allocationsReplayed: periods.reduce((n, p) => n + p.allocationsReplayed, 0),
    mismatches: periods.flatMap((p) => p.mismatches),
    periods,
  };
}
