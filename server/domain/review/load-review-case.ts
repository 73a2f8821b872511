import { desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { allocations, participants, sites, studies, trials } from '@/db/schema';
import { AppError } from '../../errors';
import type { SessionUser } from '../auth/resolve-session';
import { assertSiteVisible, resolveTrialAccess } from '../trials/trial-access';

/**
 * A case as the server sees it, arm included. Never return this to a client: public views are built
 * from it by the functions of this folder, which decide what the reviewer's arm lets them see.
 */
export interface ReviewCase {
  readonly caseId: string;
  readonly trialId: string;
  readonly trialName: string;
  readonly siteId: string;
  readonly siteCode: string;
  readonly participantId: string;
  readonly participantCode: string;
  readonly arm: string;
  readonly grid: { readonly dims: readonly number[]; readonly spacing: readonly number[]; readonly affine: readonly number[]; readonly orientation?: string };
  readonly ingestedAt: Date;
}

/** One message for every way a case can be out of reach, so none of them can be told apart. */
export const CASE_NOT_FOUND = 'Case not found.';

/**
 * Loads a case (a study of a randomized participant) for a clinician with a membership at the
 * participant's site in that trial. Anything else (no such study, another trial or site, a
 * participant not randomized, a superseded study, another role) answers NOT_FOUND with the same
 * message: a case's existence is not revealed outside its site.
 */
export async function loadReviewCase({ db, user, caseId }: { db: DbOrTx; user: SessionUser; caseId: string }): Promise<ReviewCase> {
  if (user.role !== 'clinician') throw new AppError('NOT_FOUND', CASE_NOT_FOUND);
  const [row] = await db
    .select({ study: studies, participant: participants, siteCode: sites.code, trialName: trials.name, arm: allocations.arm })
    .from(studies)
    .innerJoin(participants, eq(participants.id, studies.participantId))
    .innerJoin(sites, eq(sites.id, participants.siteId))
    .innerJoin(trials, eq(trials.id, studies.trialId))
    .innerJoin(allocations, eq(allocations.participantId, participants.id))
    .where(eq(studies.id, caseId))
    .limit(1);
  if (!row) throw new AppError('NOT_FOUND', CASE_NOT_FOUND);
  try {
    const access = await resolveTrialAccess({ db, user, trialId: row.study.trialId });
    assertSiteVisible(access, row.participant.siteId);
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') throw new AppError('NOT_FOUND', CASE_NOT_FOUND);
    throw error;
  }
  // Only the participant's latest study is a case; an older one was replaced by a re-upload.
  const [latest] = await db.select({ id: studies.id }).from(studies).where(eq(studies.participantId, row.participant.id)).orderBy(desc(studies.ingestedAt), desc(studies.id)).limit(1);
  if (latest?.id !== row.study.id) throw new AppError('NOT_FOUND', CASE_NOT_FOUND);
  return {
    caseId: row.study.id,
    trialId: row.study.trialId,
    trialName: row.trialName,
    siteId: row.participant.siteId,
    siteCode: row.siteCode,
    participantId: row.participant.id,
    participantCode: row.participant.studyId,
    arm: row.arm,
    grid: row.study.grid as ReviewCase['grid'],
    ingestedAt: row.study.ingestedAt,
  };
}
