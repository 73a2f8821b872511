import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { allocations, eligibilityWaivers, jobs, participantEvents, participants, sites, studies, unblindings, users } from '@/db/schema';
import { SEGMENT_STUDY_JOB } from '../segmentation/segment-study-job';
import type { SessionUser } from '../auth/resolve-session';
import { loadTrial } from '../trials/load-trial';
import type { TrialAccess } from '../trials/trial-access';
import { parseTrialDesign } from '../trials/trial-design';
import { roleSeesArms } from './arm-visibility';
import { eligibilityStatus } from './eligibility-status';

/**
 * The participants of a trial's current mode at the sites the caller may see. `arm` is null unless
 * the caller may see arms (or unblinded that participant in an emergency). Each row says whether
 * the participant is eligible (or waived), and where their imaging stands: the latest study and
 * its segmentation job's status (never its result: shadow inference runs for both arms).
 */
export async function listParticipants({ db, access, user }: { db: DbOrTx; access: TrialAccess; user: SessionUser }) {
  const trial = await loadTrial(db, access.trialId);
  const design = trial.design ? parseTrialDesign(trial.design) : null;
  const mode = trial.status === 'live' || trial.status === 'closed' ? 'live' : 'test';
  const siteFilter = access.siteIds === null ? undefined : inArray(participants.siteId, access.siteIds.length ? [...access.siteIds] : ['00000000-0000-0000-0000-000000000000']);
  const rows = await db
    .select({ participant: participants, siteCode: sites.code, arm: allocations.arm, allocatedAt: allocations.allocatedAt })
    .from(participants)
    .innerJoin(sites, eq(sites.id, participants.siteId))
    .leftJoin(allocations, eq(allocations.participantId, participants.id))
    .where(and(eq(participants.trialId, trial.id), eq(participants.mode, mode), siteFilter))
    .orderBy(asc(participants.enrolledAt));
  const ids = rows.map((r) => r.participant.id);
  const events = ids.length ? await db.select().from(participantEvents).where(inArray(participantEvents.participantId, ids)) : [];
  const unblindedForMe = ids.length
    ? new Set(
        (
          await db
            .select({ id: unblindings.participantId })
            .from(unblindings)
            .where(and(inArray(unblindings.participantId, ids), eq(unblindings.unblindedBy, user.id)))
        ).map((u) => u.id),
      )
    : new Set<string>();
  const seesArms = roleSeesArms(user.role, design, access);
  const waivers = ids.length
    ? await db
        .select({
          participantId: eligibilityWaivers.participantId,
          criteria: eligibilityWaivers.criteria,
          reason: eligibilityWaivers.reason,
          waivedAt: eligibilityWaivers.waivedAt,
          by: users.displayName,
        })
        .from(eligibilityWaivers)
        .innerJoin(users, eq(users.id, eligibilityWaivers.waivedBy))
        .where(inArray(eligibilityWaivers.participantId, ids))
    : [];
  const studyRows = ids.length
    ? await db
        .select({ id: studies.id, participantId: studies.participantId, ingestedAt: studies.ingestedAt })
        .from(studies)
        .where(inArray(studies.participantId, ids))
        .orderBy(desc(studies.ingestedAt))
    : [];
  const studyIds = studyRows.map((r) => r.id);
  const jobRows = studyIds.length
    ? await db
        .select({ studyId: sql<string>`${jobs.payload}->>'studyId'`, status: jobs.status })
        .from(jobs)
        .where(and(eq(jobs.kind, SEGMENT_STUDY_JOB), inArray(sql<string>`${jobs.payload}->>'studyId'`, studyIds)))
        .orderBy(desc(jobs.createdAt))
    : [];
  return rows.map(({ participant: p, siteCode, arm, allocatedAt }) => {
    const waiver = waivers.find((w) => w.participantId === p.id) ?? null;
    const status = design ? eligibilityStatus(design, p.eligibility, waiver) : null;
    const latestStudy = studyRows.find((r) => r.participantId === p.id) ?? null;
    const job = latestStudy ? (jobRows.find((j) => j.studyId === latestStudy.id) ?? null) : null;
    return {
      id: p.id,
      studyId: p.studyId,
      site: siteCode,
      status: p.status,
      mode: p.mode,
      covariates: p.covariates,
      eligibility: p.eligibility,
      consentDate: p.consentDate,
      enrolledAt: p.enrolledAt,
      exclusionReason: p.exclusionReason,
      randomized: arm !== null,
      allocatedAt,
      arm: arm !== null && (seesArms || unblindedForMe.has(p.id)) ? arm : null,
      events: events.filter((e) => e.participantId === p.id).map((e) => ({ kind: e.kind, reason: e.reason, occurredOn: e.occurredOn })),
      protocolVersion: p.protocolVersion,
      eligibilityState: status?.state ?? ('eligible' as const),
      unmetCriteria: status?.unmet.map((c) => c.id) ?? [],
      waivable: status?.waivable ?? false,
      waiver: waiver ? { criteria: waiver.criteria, reason: waiver.reason, waivedAt: waiver.waivedAt, by: waiver.by } : null,
      imaging: { studies: studyRows.filter((r) => r.participantId === p.id).length, latestStudyAt: latestStudy?.ingestedAt ?? null, segmentation: latestStudy ? (job?.status ?? 'none') : null },
    };
  });
}
