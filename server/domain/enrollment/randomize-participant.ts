import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database, DbOrTx } from '@/db/client';
import { allocations, eligibilityWaivers, participants, randomizationSecrets, randomizationStrata, sites } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import {
  addToMarginalCounts,
  allocateByMinimization,
  allocateNext,
  buildStratumKey,
  RandomizationError,
  type Allocation,
  type EnrollmentCovariates,
  type MarginalCounts,
  parseRandomizationParameters,
  parseStratumKey,
  type RandomizationParameters,
} from '../randomization';
import { loadTrial, requireDesign } from '../trials/load-trial';
import { eligibilityStatus } from './eligibility-status';
import { loadVisibleParticipant } from '../trials/load-visible-participant';
import type { TrialAccess } from '../trials/trial-access';

export type AllocationRow = typeof allocations.$inferSelect;

export interface RandomizeParticipantOptions {
  readonly db: Database;
  readonly access: TrialAccess;
  readonly participantId: string;
  readonly actor: AuditActor;
  readonly request: RequestMetadata;
  /**
   * Tests only: 'none' reads the stratum counter without locking it, to show that the lock is what
   * keeps concurrent randomizations from taking the same slot. Production code never passes it.
   */
  readonly unsafeLocking?: 'none';
}

export interface RandomizeResult {
  readonly allocation: AllocationRow;
  /** false when the participant was already randomized and the original allocation is returned. */
  readonly created: boolean;
}

/** The minimization serialization row covers the whole trial. */
const TRIAL_WIDE_STRATUM = '*';

/**
 * Randomizes a participant exactly once. In one transaction: lock the participant row (so racing
 * requests for the same patient queue up and the later ones return the original allocation), check
 * eligibility and factors, lock the stratum's counter row (or the trial-wide one for minimization),
 * ask the pure engine for the next allocation, insert it (unique per participant and per slot),
 * advance the counter, mark the participant randomized, and write the audit row last.
 */
export async function randomizeParticipant(options: RandomizeParticipantOptions): Promise<RandomizeResult> {
  const { db, access, participantId } = options;
  // The right to randomize is granted per membership, apart from the right to see allocations.
  if (access.mayRandomize === false) throw new AppError('FORBIDDEN_ROLE', 'You do not hold the right to randomize in this trial.');
  return db.transaction(async (tx) => {
    const participant = await loadVisibleParticipant({ db: tx, access, participantId, lock: 'update' });

    const [existing] = await tx.select().from(allocations).where(eq(allocations.participantId, participant.id));
    if (existing) return { allocation: existing, created: false };

    const trial = await loadTrial(tx, participant.trialId);
    if (trial.status !== participant.mode) {
      throw new AppError('INVALID_STATE', `The trial is ${trial.status}; this participant was enrolled in ${participant.mode} mode.`);
    }
    if (participant.status === 'excluded') throw new AppError('INVALID_STATE', `Participant ${participant.studyId} was excluded before randomization.`);
    const design = requireDesign(trial);
    const [waiver] = await tx.select({ criteria: eligibilityWaivers.criteria }).from(eligibilityWaivers).where(eq(eligibilityWaivers.participantId, participant.id));
    const eligibility = eligibilityStatus(design, participant.eligibility, waiver ?? null);
    if (eligibility.state === 'ineligible') {
      const unmet = eligibility.unmet;
      throw new AppError(
        'INVALID_STATE',
        `Participant ${participant.studyId} is not eligible: ${unmet.map((c) => `${c.kind} criterion "${c.text}" ${c.kind === 'inclusion' ? 'not met' : 'applies'}`).join('; ')}${eligibility.waivable ? ' (the protocol allows a signed waiver)' : ''}.`,
        {
          unmetCriteria: unmet.map((c) => c.id),
        },
      );
    }
    const [site] = await tx.select({ code: sites.code }).from(sites).where(eq(sites.id, participant.siteId));
    if (!site) throw new Error('participant site missing');
    // The current randomization period: its seed and the parameters its published commitment covers.
    const [secret] = await tx
      .select()
      .from(randomizationSecrets)
      .where(and(eq(randomizationSecrets.trialId, trial.id), eq(randomizationSecrets.mode, participant.mode)))
      .orderBy(desc(randomizationSecrets.period))
      .limit(1);
    if (!secret) throw new Error(`no ${participant.mode} randomization seed for trial ${trial.id}`);
    const params = parseRandomizationParameters(secret.parameters);
    const period = secret.period;
    const covariates = stratificationCovariates(params, site.code, participant.covariates);

    const stratumKey = engineCall(() => buildStratumKey({ params, covariates }));
    const lockKey = params.method === 'minimization' ? TRIAL_WIDE_STRATUM : stratumKey;
    const slotIndex = await lockSlotCounter(tx, trial.id, participant.mode, period, lockKey, options.unsafeLocking);
    const counts = params.method === 'minimization' ? await marginalCounts(tx, trial.id, participant.mode, period, params) : undefined;
    const resolved: Allocation = engineCall(() =>
      counts
        ? allocateByMinimization({ seed: secret.seed, params, sequenceIndex: slotIndex, covariates, marginalCounts: counts })
        : allocateNext({ seed: secret.seed, params, stratumKey, stratumIndex: slotIndex }),
    );

    const [row] = await tx
      .insert(allocations)
      .values({
        participantId: participant.id,
        trialId: trial.id,
        mode: participant.mode,
        period,
        stratumKey: lockKey,
        slotIndex,
        arm: resolved.arm,
        algorithmVersion: resolved.algorithmVersion,
        provenance: { ...resolved, stratumKey, period, commitmentHash: secret.commitmentHash },
        allocatedBy: options.actor.userId,
      })
      .returning();
    if (!row) throw new Error('allocation insert returned no row');
    await tx
      .update(randomizationStrata)
      .set({ allocated: slotIndex + 1 })
      .where(and(eq(randomizationStrata.trialId, trial.id), eq(randomizationStrata.mode, participant.mode), eq(randomizationStrata.period, period), eq(randomizationStrata.stratumKey, lockKey)));
    await tx.update(participants).set({ status: 'randomized' }).where(eq(participants.id, participant.id));
    await writeAuditEvent({
      tx,
      actor: options.actor,
      action: 'participant.randomized',
      entityType: 'participant',
      entityId: participant.id,
      trialId: trial.id,
      after: { studyId: participant.studyId, mode: participant.mode, arm: row.arm, period, stratumKey, slotIndex, algorithmVersion: row.algorithmVersion },
      request: options.request,
    });
    return { allocation: row, created: true };
  });
}

/** The covariates the engine sees: the site code and the participant's level of each factor. */
function stratificationCovariates(params: RandomizationParameters, siteCode: string, covariates: Record<string, string | number>): EnrollmentCovariates {
  const levels: Record<string, string> = {};
  for (const factor of params.factors) {
    const level = covariates[factor.name];
    if (level === undefined || level === '') {
      throw new AppError('INVALID_STATE', `Stratification factor '${factor.name}' is missing for this participant; record it before randomizing.`, { factor: factor.name });
    }
    levels[factor.name] = String(level);
  }
  return { site: siteCode, levels };
}

/** Creates the period's counter row if needed, then locks it FOR UPDATE and returns the next free slot. */
async function lockSlotCounter(tx: DbOrTx, trialId: string, mode: 'test' | 'live', period: number, stratumKey: string, unsafe?: 'none'): Promise<number> {
  await tx.insert(randomizationStrata).values({ trialId, mode, period, stratumKey }).onConflictDoNothing();
  const where = and(eq(randomizationStrata.trialId, trialId), eq(randomizationStrata.mode, mode), eq(randomizationStrata.period, period), eq(randomizationStrata.stratumKey, stratumKey));
  const query = tx.select({ allocated: randomizationStrata.allocated }).from(randomizationStrata).where(where);
  const [row] = unsafe === 'none' ? await query : await query.for('update');
  if (!row) throw new Error('stratum counter row missing');
  return row.allocated;
}

/**
 * Counts per factor level per arm of the period's randomized participants (for minimization), read
 * under the trial-wide lock from each allocation's canonical stratum key (site included). A new
 * period minimizes afresh, so each period replays on its own seed and parameters.
 */
async function marginalCounts(tx: DbOrTx, trialId: string, mode: 'test' | 'live', period: number, params: RandomizationParameters): Promise<MarginalCounts> {
  const rows = await tx
    .select({ arm: allocations.arm, stratumKey: sql<string>`${allocations.provenance}->>'stratumKey'` })
    .from(allocations)
    .where(and(eq(allocations.trialId, trialId), eq(allocations.mode, mode), eq(allocations.period, period)));
  let counts: MarginalCounts = {};
  for (const row of rows) {
    counts = addToMarginalCounts({ counts, covariates: parseStratumKey({ params, stratumKey: row.stratumKey }), arm: row.arm });
  }
  return counts;
}

/** Engine errors (a factor level the design does not know, …) become INVALID_STATE with the engine's message. */
function engineCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof RandomizationError) throw new AppError('INVALID_STATE', error.message, { randomizationCode: error.code });
    throw error;
  }
}
