import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { participantOutcomes, participants } from '@/db/schema';
import type { TrialAccess } from '../trials/trial-access';
import { loadVisibleParticipant } from '../trials/load-visible-participant';

/** A participant_outcomes row is current when no later record supersedes it (the analysis dataset filters by the same rule). */
export const isCurrentOutcome = sql`not exists (select 1 from ${participantOutcomes} as newer where newer.supersedes_id = ${participantOutcomes.id})`;

/**
 * The current follow-up outcome of every participant the caller may see: the record nobody
 * supersedes. Participants without a record are absent.
 */
export async function listCurrentOutcomes({ db, access }: { db: DbOrTx; access: TrialAccess }) {
  return db
    .select({ outcome: participantOutcomes, studyId: participants.studyId, siteId: participants.siteId })
    .from(participantOutcomes)
    .innerJoin(participants, eq(participants.id, participantOutcomes.participantId))
    .where(and(eq(participantOutcomes.trialId, access.trialId), isCurrentOutcome, access.siteIds === null ? undefined : inArray(participants.siteId, [...access.siteIds])));
}

/** All records of one participant, oldest first (the correction history). Another site's participant answers NOT_FOUND. */
export async function listOutcomeHistory({ db, access, participantId }: { db: DbOrTx; access: TrialAccess; participantId: string }) {
  await loadVisibleParticipant({ db, access, participantId });
  return db.select().from(participantOutcomes).where(eq(participantOutcomes.participantId, participantId)).orderBy(participantOutcomes.recordedAt);
}
