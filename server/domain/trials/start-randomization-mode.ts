import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database, DbOrTx } from '@/db/client';
import { jobs, models, participants, randomizationSecrets, randomizationStrata, studies, studyUploads, trials } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import { ALGORITHM_VERSION, commitmentHash, generateSeed, parseRandomizationParameters } from '../randomization';
import { findDesignSimulation } from '../randomization-simulation/find-design-simulation';
import { deleteWithDependents } from './delete-with-dependents';
import { loadTrial, requireDesign } from './load-trial';

interface ModeOptions {
  readonly db: Database;
  readonly trialId: string;
  readonly actor: AuditActor;
  readonly request: RequestMetadata;
}

/**
 * Deletes every test-mode participant with everything that refers to it (allocations, events,
 * studies, uploads, segmentations, reviews …) and the test stratum counters; returns how many
 * participants.
 */
export async function wipeTestData(tx: DbOrTx, trialId: string): Promise<number> {
  const testParticipants = await tx
    .select({ id: participants.id })
    .from(participants)
    .where(and(eq(participants.trialId, trialId), eq(participants.mode, 'test')));
  const ids = testParticipants.map((p) => p.id);
  if (ids.length > 0) {
    // Queued work for their uploads and studies goes too (job payloads are not foreign keys).
    const studyIds = (await tx.select({ id: studies.id }).from(studies).where(inArray(studies.participantId, ids))).map((s) => s.id);
    const uploadIds = (await tx.select({ id: studyUploads.id }).from(studyUploads).where(inArray(studyUploads.participantId, ids))).map((u) => u.id);
    if (studyIds.length > 0) await tx.delete(jobs).where(inArray(sql<string>`${jobs.payload}->>'studyId'`, studyIds));
    if (uploadIds.length > 0) await tx.delete(jobs).where(inArray(sql<string>`${jobs.payload}->>'uploadId'`, uploadIds));
    await deleteWithDependents(tx, 'participants', ids);
  }
  await tx.delete(randomizationStrata).where(and(eq(randomizationStrata.trialId, trialId), eq(randomizationStrata.mode, 'test')));
  return ids.length;
}

/**
 * Stores a fresh cryptographically strong seed for `mode` with the parameters it commits to, and
 * returns the published commitment. Period 1 replaces the mode's seeds (a new test seed after a
 * design change, the live seed at go-live); a later period is added beside the earlier ones (an
 * amendment of the randomization parameters), which keep replaying their own allocations.
 */
export async function commitSeed(tx: DbOrTx, trialId: string, mode: 'test' | 'live', params: unknown, period = 1, simulationId: string | null = null): Promise<string> {
  const seed = generateSeed();
  if (period === 1) await tx.delete(randomizationSecrets).where(and(eq(randomizationSecrets.trialId, trialId), eq(randomizationSecrets.mode, mode)));
  const hash = commitmentHash({ seed, params, algorithmVersion: ALGORITHM_VERSION });
  await tx
    .insert(randomizationSecrets)
    .values({ trialId, mode, period, seed, algorithmVersion: ALGORITHM_VERSION, parameters: parseRandomizationParameters(params), commitmentHash: hash, simulationId });
  return hash;
}

/** design → test: the trial can be exercised with test allocations under a test seed. */
export async function startTestMode({ db, trialId, actor, request }: ModeOptions) {
  return db.transaction(async (tx) => {
    const trial = await loadTrial(tx, trialId, { forUpdate: true });
    if (trial.status !== 'design') throw new AppError('INVALID_STATE', `Test mode starts from design; the trial is ${trial.status}.`);
    const design = requireDesign(trial);
    const hash = await commitSeed(tx, trialId, 'test', design.randomization);
    await tx.update(trials).set({ status: 'test' }).where(eq(trials.id, trialId));
    await writeAuditEvent({
      tx,
      actor,
      action: 'trial.test_mode_started',
      entityType: 'trial',
      entityId: trialId,
      trialId,
      after: { commitmentHash: hash, algorithmVersion: ALGORITHM_VERSION },
      request,
    });
    return { status: 'test' as const, commitmentHash: hash };
  });
}

/**
 * design|test → live: freezes the design, deletes every test-mode participant and allocation,
 * commits a new live seed and publishes its commitment hash. The latest randomization design
 * simulation run on exactly the committed parameters and sites is linked to the live commitment and
 * named (id and figures' hash) in the audit row, so the design carries the evidence it was chosen on;
 * none is linked when none was run on it.
 */
export async function goLive({ db, trialId, actor, request }: ModeOptions) {
  return db.transaction(async (tx) => {
    const trial = await loadTrial(tx, trialId, { forUpdate: true });
    if (trial.status !== 'design' && trial.status !== 'test') throw new AppError('INVALID_STATE', `The trial is already ${trial.status}.`);
    const design = requireDesign(trial);
    const wiped = await wipeTestData(tx, trialId);
    const simulation = await findDesignSimulation({ db: tx, trialId, params: design.randomization });
    const hash = await commitSeed(tx, trialId, 'live', design.randomization, 1, simulation?.id ?? null);
    const liveAt = new Date();
    // The trial's AI is the model version that is the default now, for the whole trial.
    const [model] = trial.pinnedModelId ? [] : await tx.select({ id: models.id, name: models.name, version: models.version, sha256: models.sha256 }).from(models).where(eq(models.isDefault, true));
    await tx
      .update(trials)
      .set({ status: 'live', liveAt, ...(model ? { pinnedModelId: model.id } : {}) })
      .where(eq(trials.id, trialId));
    await writeAuditEvent({
      tx,
      actor,
      action: 'trial.went_live',
      entityType: 'trial',
      entityId: trialId,
      trialId,
      after: {
        commitmentHash: hash,
        algorithmVersion: ALGORITHM_VERSION,
        testParticipantsWiped: wiped,
        liveAt: liveAt.toISOString(),
        designSimulation: simulation
          ? {
              id: simulation.id,
              resultSha256: simulation.resultSha256,
              participants: simulation.settings.participants,
              replicates: simulation.settings.replicates,
              runAt: simulation.createdAt.toISOString(),
            }
          : null,
      },
      request,
    });
    if (model)
      await writeAuditEvent({
        tx,
        actor,
        action: 'trial.model_pinned',
        entityType: 'trial',
        entityId: trialId,
        trialId,
        after: { modelId: model.id, model: `${model.name}@${model.version}`, sha256: model.sha256 },
        request,
      });
    return { status: 'live' as const, commitmentHash: hash, testParticipantsWiped: wiped, pinnedModelId: model?.id ?? trial.pinnedModelId, designSimulationId: simulation?.id ?? null };
  });
}
