import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { participants } from '@/db/schema';
import { AppError } from '../../errors';
import { assertSiteVisible, type TrialAccess } from './trial-access';

/** A participant of the trial at a site the caller may see; NOT_FOUND otherwise (one message for every case). */
export async function loadVisibleParticipant({ db, access, participantId }: { db: DbOrTx; access: TrialAccess; participantId: string }) {
  const [participant] = await db
    .select()
    .from(participants)
    .where(and(eq(participants.id, participantId), eq(participants.trialId, access.trialId)));
  if (!participant) throw new AppError('NOT_FOUND', 'Participant not found.');
  assertSiteVisible(access, participant.siteId, 'Participant');
  return participant;
}
