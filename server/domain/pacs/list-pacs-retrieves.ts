import { and, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { jobs } from '@/db/schema';
import type { TrialAccess } from '../trials/trial-access';
import { toPacsRetrieveStatus, type PacsRetrieveStatus } from './get-pacs-retrieve';
import { RETRIEVE_PACS_STUDY_JOB } from './queue-pacs-retrieve';
import { loadVisibleParticipant } from '../trials/load-visible-participant';

/**
 * A participant's PACS retrieves, newest first (at most `limit`), for the coordinators of their
 * site: the page picks up a retrieve that is still running, or says why the last one was refused,
 * after a reload or on a colleague's screen.
 */
export async function listPacsRetrieves({ db, access, participantId, limit = 5 }: { db: DbOrTx; access: TrialAccess; participantId: string; limit?: number }): Promise<PacsRetrieveStatus[]> {
  await loadVisibleParticipant({ db, access, participantId });
  const rows = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.kind, RETRIEVE_PACS_STUDY_JOB), sql`${jobs.payload}->>'participantId' = ${participantId}`))
    .orderBy(desc(jobs.createdAt))
    .limit(limit);
  return rows.map(toPacsRetrieveStatus);
}
