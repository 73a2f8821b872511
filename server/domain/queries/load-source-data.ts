import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { dataQueries, participantOutcomes, participants, sites, sourceVerifications, users } from '@/db/schema';
import { loadTrial } from '../trials/load-trial';
import { loadVisibleParticipant } from '../trials/load-visible-participant';
import type { TrialAccess } from '../trials/trial-access';
import { parseTrialDesign } from '../trials/trial-design';
import { sourceDataPoints } from './source-data-points';

/**
 * Source data verification progress of a trial at the caller's sites: per participant of the
 * current mode, how many data points are verified of how many, and the open queries. With
 * `participantId`, that participant's data points too, each with who verified it, when and the
 * note. Another trial's or site's participant is NOT_FOUND.
 */
export async function loadSourceData({ db, access, participantId }: { db: DbOrTx; access: TrialAccess; participantId?: string }) {
  const trial = await loadTrial(db, access.trialId);
  const design = trial.design ? parseTrialDesign(trial.design) : null;
  const mode = trial.status === 'live' || trial.status === 'closed' ? 'live' : 'test';
  if (participantId) {
    await loadVisibleParticipant({ db, access, participantId });
  }
  const siteFilter = access.siteIds === null ? undefined : inArray(participants.siteId, access.siteIds.length ? [...access.siteIds] : ['00000000-0000-0000-0000-000000000000']);
  const rows = await db
    .select({ participant: participants, site: sites.code })
    .from(participants)
    .innerJoin(sites, eq(sites.id, participants.siteId))
    .where(and(eq(participants.trialId, trial.id), eq(participants.mode, mode), siteFilter))
    .orderBy(asc(sites.code), asc(participants.studyId));
  const ids = rows.map((r) => r.participant.id);
  const none = ['00000000-0000-0000-0000-000000000000'];
  const current = sql`not exists (select 1 from ${participantOutcomes} as newer where newer.supersedes_id = ${participantOutcomes.id})`;
  const [outcomes, verifications, openQueries] = await Promise.all([
    db
      .select()
      .from(participantOutcomes)
      .where(and(inArray(participantOutcomes.participantId, ids.length ? ids : none), current)),
    db
      .select({ v: sourceVerifications, by: users.displayName })
      .from(sourceVerifications)
      .innerJoin(users, eq(users.id, sourceVerifications.verifiedBy))
      .where(inArray(sourceVerifications.participantId, ids.length ? ids : none)),
    db
      .select({ participantId: dataQueries.participantId, n: sql<number>`count(*)::int` })
      .from(dataQueries)
      .where(and(inArray(dataQueries.participantId, ids.length ? ids : none), sql`${dataQueries.status} <> 'closed'`))
      .groupBy(dataQueries.participantId),
  ]);
  const criteria = design?.eligibility ?? [];
  const verifiedKey = new Map(verifications.map(({ v, by }) => [`${v.entityType}/${v.entityId}/${v.field}`, { by, at: v.verifiedAt, note: v.note }]));
  const summaries = rows.map(({ participant, site }) => {
    const outcome = outcomes.find((o) => o.participantId === participant.id) ?? null;
    const points = sourceDataPoints({ participant, criteria, outcome }).map((point) => ({ ...point, verified: verifiedKey.get(`${point.entityType}/${point.entityId}/${point.field}`) ?? null }));
    return {
      participantId: participant.id,
      studyId: participant.studyId,
      site,
      total: points.length,
      verified: points.filter((x) => x.verified).length,
      openQueries: openQueries.find((q) => q.participantId === participant.id)?.n ?? 0,
      points,
    };
  });
  return {
    participants: summaries.map(({ points: _points, ...summary }) => summary),
    selected: participantId ? (summaries.find((s) => s.participantId === participantId) ?? null) : null,
  };
}
