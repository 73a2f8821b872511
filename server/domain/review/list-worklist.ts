import { and, asc, eq, ilike, isNull, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { allocations, caseReviews, participants, sites, studies, trials, type ReviewStatus } from '@/db/schema';
import type { SessionUser } from '../auth/resolve-session';

export interface WorklistFilters {
  readonly trialId?: string;
  readonly status?: ReviewStatus;
  readonly siteCode?: string;
  /** Part of the participant's pseudonymous code. */
  readonly search?: string;
}

/**
 * A clinician's cases: the latest study of every randomized participant at a site (and trial)
 * where they hold a membership, with their own review state. Rows carry nothing derived from the
 * arm (no AI state, and the order is by ingestion time), so the list cannot tell arms apart.
 * Withdrawn participants' unopened cases are left out; opened ones carry `participantWithdrawn`.
 */
const withdrawn = sql`exists (select 1 from participant_events e where e.participant_id = ${participants.id} and e.kind = 'withdrawn')`;

export async function listWorklist({ db, user, filters = {} }: { db: DbOrTx; user: SessionUser; filters?: WorklistFilters }) {
  if (user.role !== 'clinician') return [];
  const conditions: (SQL | undefined)[] = [
    sql`exists (select 1 from memberships m where m.user_id = ${user.id} and m.trial_id = ${studies.trialId} and (m.site_id is null or m.site_id = ${participants.siteId}))`,
    sql`not exists (select 1 from studies later where later.participant_id = ${studies.participantId} and (later.ingested_at, later.id) > (${studies.ingestedAt}, ${studies.id}))`,
    filters.trialId ? eq(studies.trialId, filters.trialId) : undefined,
    filters.siteCode ? eq(sites.code, filters.siteCode) : undefined,
    filters.search ? ilike(participants.studyId, `%${filters.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
    filters.status === 'new' ? isNull(caseReviews.id) : filters.status ? eq(caseReviews.status, filters.status) : undefined,
    // A withdrawn participant's case leaves the worklist unless this reader has already opened it
    // (then it stays, marked, so their signed or started record remains reachable).
    sql`not (${withdrawn} and ${caseReviews.id} is null)`,
  ];
  const rows = await db
    .select({
      caseId: studies.id,
      trialId: trials.id,
      trialName: trials.name,
      site: sites.code,
      participantCode: participants.studyId,
      ingestedAt: studies.ingestedAt,
      status: caseReviews.status,
      openedAt: caseReviews.openedAt,
      signedAt: caseReviews.signedAt,
      participantWithdrawn: sql<boolean>`${withdrawn}`,
    })
    .from(studies)
    .innerJoin(participants, eq(participants.id, studies.participantId))
    .innerJoin(allocations, eq(allocations.participantId, participants.id))
    .innerJoin(sites, eq(sites.id, participants.siteId))
    .innerJoin(trials, eq(trials.id, studies.trialId))
    .leftJoin(caseReviews, and(eq(caseReviews.studyId, studies.id), eq(caseReviews.reviewerId, user.id)))
    .where(and(...conditions))
    .orderBy(asc(studies.ingestedAt), asc(studies.id));
  return rows.map((r) => ({ ...r, status: r.status ?? ('new' as const) }));
}

export type WorklistRow = Awaited<ReturnType<typeof listWorklist>>[number];
