import { and, asc, eq, notExists } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '@/db/client';
import { ranoAssessments } from '@/db/schema';

export interface ProgressionEvent {
  readonly participantId: string;
  /** Scan date of the first visit a clinician signed as progressive disease (YYYY-MM-DD). */
  readonly progressedOn: string;
  readonly assessmentId: string;
  readonly visitId: string;
}

/**
 * The participants' RANO progression events for the time-to-event analysis: per participant, the
 * earliest scan date among current (not superseded) signed RANO assessments with category PD, by
 * any reader. A corrected PD stops counting the moment its correction is signed. Participants
 * without one are absent (censored by the analysis at their last follow-up).
 */
export async function listProgressionEvents({ db, trialId }: { db: DbOrTx; trialId: string }): Promise<ProgressionEvent[]> {
  const later = alias(ranoAssessments, 'later');
  const rows = await db
    .select({ participantId: ranoAssessments.participantId, scanDate: ranoAssessments.scanDate, id: ranoAssessments.id, visitId: ranoAssessments.visitId })
    .from(ranoAssessments)
    .where(and(eq(ranoAssessments.trialId, trialId), eq(ranoAssessments.category, 'PD'), notExists(db.select({ id: later.id }).from(later).where(eq(later.supersedesId, ranoAssessments.id)))))
    .orderBy(asc(ranoAssessments.scanDate), asc(ranoAssessments.createdAt));
  const first = new Map<string, ProgressionEvent>();
  for (const r of rows) if (!first.has(r.participantId)) first.set(r.participantId, { participantId: r.participantId, progressedOn: r.scanDate, assessmentId: r.id, visitId: r.visitId });
  return [...first.values()];
}
