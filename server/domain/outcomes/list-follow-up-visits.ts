import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { followUpVisits } from '@/db/schema';
import type { TrialAccess } from '../trials/trial-access';
import { loadVisibleParticipant } from '../trials/load-visible-participant';

/**
 * Every follow-up contact of one participant, oldest record first, each marked current or
 * superseded (a correction's target). Another site's participant answers NOT_FOUND.
 */
export async function listFollowUpVisits({ db, access, participantId }: { db: DbOrTx; access: TrialAccess; participantId: string }) {
  await loadVisibleParticipant({ db, access, participantId });
  const rows = await db.select().from(followUpVisits).where(eq(followUpVisits.participantId, participantId)).orderBy(asc(followUpVisits.recordedAt));
  const superseded = new Set(rows.map((r) => r.supersedesId));
  return rows.map((r) => ({ ...r, current: !superseded.has(r.id) }));
}
