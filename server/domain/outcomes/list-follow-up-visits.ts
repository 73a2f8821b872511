import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client';
import { followUpVisits, participants } from '../../../db/schema';
import { AppError } from '../../errors';
import { assertSiteVisible, type TrialAccess } from '../trials/trial-access';

/**
 * Every follow-up contact of one participant, oldest record first, each marked current or
 * superseded (a correction's target). Another site's participant answers NOT_FOUND.
 */
export async function listFollowUpVisits({ db, access, participantId }: { db: DbOrTx; access: TrialAccess; participantId: string }) {
  const [participant] = await db
    .select({ siteId: participants.siteId })
    .from(participants)
    .where(and(eq(participants.id, participantId), eq(participants.trialId, access.trialId)));
  if (!participant) throw new AppError('NOT_FOUND', 'Participant not found.');
  assertSiteVisible(access, participant.siteId, 'Participant');
  const rows = await db.select().from(followUpVisits).where(eq(followUpVisits.participantId, participantId)).orderBy(asc(followUpVisits.recordedAt));
  const superseded = new Set(rows.map((r) => r.supersedesId));
  return rows.map((r) => ({ ...r, current: !superseded.has(r.id) }));
}
