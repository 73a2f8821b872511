import { desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { randomizationSecrets } from '@/db/schema';

/** The published randomization commitments of a trial (mode, period, hash, algorithm, time), newest period first: never the seed. */
export async function listRandomizationCommitments({ db, trialId }: { db: DbOrTx; trialId: string }) {
  return db
    .select({
      mode: randomizationSecrets.mode,
      period: randomizationSecrets.period,
      commitmentHash: randomizationSecrets.commitmentHash,
      algorithmVersion: randomizationSecrets.algorithmVersion,
      createdAt: randomizationSecrets.createdAt,
    })
    .from(randomizationSecrets)
    .where(eq(randomizationSecrets.trialId, trialId))
    .orderBy(desc(randomizationSecrets.period));
}
