import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client';
import { participants } from '../../../db/schema';
import { AppError } from '../../errors';
import type { SessionUser } from '../auth/resolve-session';
import { assertSiteVisible, resolveTrialAccess } from '../trials/trial-access';

/** A participant of the trial at a site the user may see; NOT_FOUND otherwise (one message for every case). */
export async function loadParticipantAccess({ db, user, trialId, participantId }: { db: DbOrTx; user: SessionUser; trialId: string; participantId: string }) {
  const access = await resolveTrialAccess({ db, user, trialId });
  const [participant] = await db
    .select()
    .from(participants)
    .where(and(eq(participants.id, participantId), eq(participants.trialId, trialId)));
  if (!participant) throw new AppError('NOT_FOUND', 'Participant not found.');
  assertSiteVisible(access, participant.siteId, 'Participant');
  return { access, participant };
}
