import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { participants } from '@/db/schema';
import { AppError } from '../../errors';
import { assertSiteVisible, type TrialAccess } from './trial-access';

/**
 * A participant of the trial at a site the caller may see; NOT_FOUND otherwise (one message for every
 * case). With `lock: 'update'` (inside a transaction: `db` is the transaction) the row is read FOR
 * UPDATE, so racing changes of the same participant (two randomizations, an exclusion and an event)
 * queue up behind the first and then see its result.
 */
export async function loadVisibleParticipant({ db, access, participantId, lock }: { db: DbOrTx; access: TrialAccess; participantId: string; lock?: 'update' }) {
  const query = db
    .select()
    .from(participants)
    .where(and(eq(participants.id, participantId), eq(participants.trialId, access.trialId)));
  const [participant] = lock === 'update' ? await query.for('update') : await query;
  if (!participant) throw new AppError('NOT_FOUND', 'Participant not found.');
  assertSiteVisible(access, participant.siteId, 'Participant');
  return participant;
}
