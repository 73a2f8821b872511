import { desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { unblindings, users } from '@/db/schema';

/** The emergency unblindings of a trial, newest first, with who unblinded and whether a monitor acknowledged. */
export async function listUnblindings({ db, trialId }: { db: DbOrTx; trialId: string }) {
  return db
    .select({
      id: unblindings.id,
      participantId: unblindings.participantId,
      reason: unblindings.reason,
      unblindedAt: unblindings.unblindedAt,
      by: users.displayName,
      acknowledged: unblindings.acknowledgedByMonitor,
    })
    .from(unblindings)
    .innerJoin(users, eq(users.id, unblindings.unblindedBy))
    .where(eq(unblindings.trialId, trialId))
    .orderBy(desc(unblindings.unblindedAt));
}
