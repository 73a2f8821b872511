import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client';
import { allocations, participantEvents, participants, sites, unblindings } from '../../../db/schema';
import type { SessionUser } from '../auth/resolve-session';
import { loadTrial } from '../trials/load-trial';
import type { TrialAccess } from '../trials/trial-access';
import { parseTrialDesign } from '../trials/trial-design';
import { roleSeesArms } from './arm-visibility';

/**
 * The participants of a trial's current mode at the sites the caller may see. `arm` is null unless
 * the caller may see arms (or unblinded that participant in an emergency).
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
    ? new Set((await db.select({ id: unblindings.participantId }).from(unblindings).where(and(inArray(unblindings.participantId, ids), eq(unblindings.unblindedBy, user.id)))).map((u) => u.id))
    : new Set<string>();
  const seesArms = roleSeesArms(user.role, design);
  return rows.map(({ participant: p, siteCode, arm, allocatedAt }) => ({
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
  }));
}
