import { asc, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { participants, sites } from '@/db/schema';
import { randomizeParticipant } from '@/server/domain/enrollment/randomize-participant';
import { createTrial } from '@/server/domain/trials/create-trial';
import { goLive } from '@/server/domain/trials/start-randomization-mode';
import { updateTrialDesign } from '@/server/domain/trials/update-trial-design';

// Shared by test/postgres and bench/randomize: the same workload is tested and measured.
export const system = { actor: { userId: null, role: 'coordinator' }, request: { via: 'system' as const } };
export const BLOCK_SIZES = [2, 4, 6];

/** A live trial with 2 sites × 2 age bands = 4 strata, and `n` eligible participants spread over them. */
export async function setUpTrial(db: Database, n: number) {
  const trialId = await db.transaction(async (tx) => {
    const { trial } = await createTrial({
      tx,
      slug: `conc-${Math.random().toString(36).slice(2, 9)}`,
      name: 'Concurrency',
      sites: [
        { code: 's1', name: 'S1' },
        { code: 's2', name: 'S2' },
      ],
      ...system,
    });
    return trial.id;
  });
  await updateTrialDesign({
    db,
    trialId,
    design: { randomization: { method: 'permuted_blocks', factors: [{ name: 'age_band', levels: ['young', 'old'] }], blockSizes: BLOCK_SIZES }, targetSampleSize: n },
    ...system,
  });
  await goLive({ db, trialId, ...system });
  const siteRows = await db.select().from(sites).where(eq(sites.trialId, trialId)).orderBy(asc(sites.code));
  const rows = Array.from({ length: n }, (_, i) => ({
    trialId,
    siteId: siteRows[i % 2]!.id,
    mode: 'live' as const,
    studyId: `C-${i}`,
    covariates: { age: 40, sex: 'F', scannerVendor: 'GE', fieldStrength: '3T', age_band: i % 4 < 2 ? 'young' : 'old' },
    eligibility: {},
    consentDate: '2026-01-01',
  }));
  for (let i = 0; i < rows.length; i += 500) await db.insert(participants).values(rows.slice(i, i + 500));
  const ids = (await db.select({ id: participants.id }).from(participants).where(eq(participants.trialId, trialId))).map((r) => r.id);
  return { trialId, ids };
}

/** 16 clients draining one queue of participants; returns the errors they met. */
export async function randomizeConcurrently(db: Database, trialId: string, ids: string[], unsafeLocking?: 'none', onDone?: (ms: number) => void): Promise<unknown[]> {
  const queue = [...ids];
  const errors: unknown[] = [];
  const access = { trialId, siteIds: null };
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
        const started = performance.now();
        try {
          await randomizeParticipant({ db, access, participantId: id, ...system, unsafeLocking });
        } catch (error) {
          errors.push(error);
        }
        onDone?.(performance.now() - started);
      }
    }),
  );
  return errors;
}
