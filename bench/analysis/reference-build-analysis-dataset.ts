import { createHash } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { allocations, caseReviews, clinicianDecisions, models, participantEvents, participantOutcomes, participants, segmentationReviews, segmentations, sites, studies, users } from '@/db/schema';
import type { ContentStore } from '@/imaging/storage/content-store';
import { canonicalJson } from '@/server/domain/randomization/canonical-json';
import { isCurrentOutcome } from '@/server/domain/outcomes/list-current-outcomes';
import { listSurvivalOutcomes } from '@/server/domain/outcomes/list-survival-outcomes';
import { loadTrial } from '@/server/domain/trials/load-trial';
import type { TrialAccess } from '@/server/domain/trials/trial-access';
import { parseTrialDesign } from '@/server/domain/trials/trial-design';
import type { AnalysisDataset, AnalysisRow, ModelProvenance, ReaderRow } from '@/server/domain/analytics/analysis-dataset';
import { applySimulatedReads } from '@/server/domain/analytics/apply-simulated-reads';
import { segmentationMetricsFor } from '@/server/domain/analytics/segmentation-metrics-cache';
import { statedProbabilityHighGrade } from '@/server/domain/review/stated-probability';

const text = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v));

/**
 * The analysis dataset build of the previous session (nine drizzle queries, every field decoded by
 * the driver; the build as the issue was filed was slower still), kept verbatim for
 * bench/analysis/export.ts's reference: the reference stays the old work when the application's
 * build gets faster, and the export's bytes are checked against this independent build. Not used by
 * the application (server/domain/analytics/build-analysis-dataset.ts is the one it runs).
 */
export async function buildAnalysisDatasetReference({ db, store, access }: { db: DbOrTx; store: ContentStore; access: TrialAccess }): Promise<AnalysisDataset> {
  const trial = await loadTrial(db, access.trialId);
  const design = trial.design ? parseTrialDesign(trial.design) : null;
  const mode = trial.status === 'live' || trial.status === 'closed' ? 'live' : 'test';
  const siteFilter = access.siteIds === null ? undefined : inArray(participants.siteId, access.siteIds.length ? [...access.siteIds] : ['00000000-0000-0000-0000-000000000000']);
  const trialSites = await db.select().from(sites).where(eq(sites.trialId, trial.id)).orderBy(asc(sites.code));
  const visibleSites = trialSites.filter((s) => access.siteIds === null || access.siteIds.includes(s.id));

  // The participants in scope (trial, mode, visible sites) as a subquery: the per-participant
  // tables below filter by it in the database instead of by a list of every id as parameters.
  const inScope = and(eq(participants.trialId, trial.id), eq(participants.mode, mode), siteFilter);
  const scopeIds = db.select({ id: participants.id }).from(participants).where(inScope);
  // Only the columns the rows use: each column of each row costs decoding (eligibility answers and
  // the outcome's bookkeeping columns are most of the bytes).
  const randomized = await db
    .select({
      participant: { id: participants.id, studyId: participants.studyId, covariates: participants.covariates, protocolVersion: participants.protocolVersion },
      siteCode: sites.code,
      isExternal: sites.isExternal,
      arm: allocations.arm,
      stratum: allocations.stratumKey,
      period: allocations.period,
      allocatedAt: allocations.allocatedAt,
    })
    .from(participants)
    .innerJoin(allocations, eq(allocations.participantId, participants.id))
    .innerJoin(sites, eq(sites.id, participants.siteId))
    .where(inScope)
    .orderBy(asc(participants.studyId));

  const events = await db.select({ participantId: participantEvents.participantId, kind: participantEvents.kind }).from(participantEvents).where(inArray(participantEvents.participantId, scopeIds));
  // The trial's current outcomes without the scope subquery (PGlite, which never gathers statistics,
  // plans it as a loop per participant); only the rows of randomized participants in scope are read from it.
  const outcomes = new Map(
    (
      await db
        .select({
          participantId: participantOutcomes.participantId,
          referenceHighGrade: participantOutcomes.referenceHighGrade,
          whoGrade: participantOutcomes.whoGrade,
          progressionFree6m: participantOutcomes.progressionFree6m,
          referenceStudyId: participantOutcomes.referenceStudyId,
          referenceLabelsSha256: participantOutcomes.referenceLabelsSha256,
          assessedOn: participantOutcomes.assessedOn,
          note: participantOutcomes.note,
        })
        .from(participantOutcomes)
        .where(and(eq(participantOutcomes.trialId, trial.id), isCurrentOutcome))
    ).map((o) => [o.participantId, o]),
  );
  const randomizedOn = new Map(randomized.map((r) => [r.participant.id, r.allocatedAt.toISOString().slice(0, 10)]));
  const survival = await listSurvivalOutcomes({ db, trialId: trial.id, randomizedOn });

  const modelRow = trial.pinnedModelId
    ? (await db.select().from(models).where(eq(models.id, trial.pinnedModelId)))[0]
    : (await db.select().from(models).where(eq(models.isDefault, true)).orderBy(asc(models.registeredAt)))[0];
  const model: ModelProvenance | null = modelRow
    ? {
        id: modelRow.id,
        name: modelRow.name,
        version: modelRow.version,
        sha256: modelRow.sha256,
        pinned: trial.pinnedModelId === modelRow.id,
        registeredAt: modelRow.registeredAt.toISOString(),
        card: modelRow.card as Record<string, unknown>,
      }
    : null;

  const segRows = modelRow
    ? await db
        .select({
          id: segmentations.id,
          studyId: segmentations.studyId,
          participantId: studies.participantId,
          labels: segmentations.labelsSha256,
          risk: segmentations.riskHighGrade,
          createdAt: segmentations.createdAt,
        })
        .from(segmentations)
        .innerJoin(studies, eq(studies.id, segmentations.studyId))
        .where(and(eq(segmentations.modelId, modelRow.id), inArray(studies.participantId, scopeIds)))
        .orderBy(asc(segmentations.createdAt))
    : [];

  const decisions = await db
    .select({ decision: clinicianDecisions, openedAt: caseReviews.openedAt, signedAt: caseReviews.signedAt, reader: users.username, segReview: segmentationReviews })
    .from(clinicianDecisions)
    .innerJoin(caseReviews, eq(caseReviews.id, clinicianDecisions.caseReviewId))
    .innerJoin(users, eq(users.id, clinicianDecisions.reviewerId))
    .leftJoin(segmentationReviews, eq(segmentationReviews.id, clinicianDecisions.segmentationReviewId))
    .where(and(eq(clinicianDecisions.trialId, trial.id), inArray(clinicianDecisions.participantId, scopeIds)))
    .orderBy(asc(caseReviews.signedAt), asc(clinicianDecisions.createdAt));
  const superseded = new Set(decisions.map((d) => d.decision.supersedesId).filter((v): v is string => v !== null));
  const current = decisions.filter((d) => !superseded.has(d.decision.id));

  const byParticipant = <T extends { participantId: string }>(list: readonly T[]) => {
    const map = new Map<string, T[]>();
    for (const item of list) {
      const bucket = map.get(item.participantId);
      if (bucket) bucket.push(item);
      else map.set(item.participantId, [item]);
    }
    return map;
  };
  const segsOf = byParticipant(segRows);
  const readsOf = byParticipant(current.map((d) => ({ ...d, participantId: d.decision.participantId })));
  const eventsOf = byParticipant(events);
  const rows: AnalysisRow[] = [];
  const readers: ReaderRow[] = [];
  for (const r of randomized) {
    const p = r.participant;
    const outcome = outcomes.get(p.id);
    const mine = segsOf.get(p.id) ?? [];
    // The segmentation of the reference's study when there is one, else the latest.
    const seg = (outcome?.referenceStudyId ? mine.find((s) => s.studyId === outcome.referenceStudyId) : undefined) ?? mine.at(-1) ?? null;
    const segmentation =
      seg && outcome?.referenceLabelsSha256 && outcome.referenceStudyId === seg.studyId
        ? await segmentationMetricsFor({ store, predictedSha256: seg.labels, referenceSha256: outcome.referenceLabelsSha256 })
        : null;
    const reads = readsOf.get(p.id) ?? [];
    const primary = reads[0];
    const refHigh = outcome?.referenceHighGrade ?? null;
    const correctOf = (suspectedHigh: boolean) => (refHigh === null ? null : suspectedHigh === refHigh ? 1 : 0);
    const c = p.covariates;
    const levels: Record<string, string> = {};
    for (const f of design?.randomization.factors ?? []) if (c[f.name] !== undefined) levels[f.name] = String(c[f.name]);
    rows.push({
      participantId: p.id,
      studyId: p.studyId,
      site: r.siteCode,
      siteExternal: r.isExternal,
      arm: r.arm,
      stratum: r.stratum,
      age: typeof c.age === 'number' ? c.age : null,
      sex: text(c.sex),
      scannerVendor: text(c.scannerVendor),
      fieldStrength: text(c.fieldStrength),
      levels,
      withdrawn: (eventsOf.get(p.id) ?? []).some((e) => e.kind === 'withdrawn'),
      lostToFollowUp: (eventsOf.get(p.id) ?? []).some((e) => e.kind === 'lost_to_follow_up'),
      protocolDeviation: (eventsOf.get(p.id) ?? []).some((e) => e.kind === 'protocol_deviation'),
      referenceHighGrade: refHigh,
      whoGrade: outcome?.whoGrade ?? null,
      progressionFree6m: outcome?.progressionFree6m ?? null,
      outcomeAssessedOn: outcome?.assessedOn ?? null,
      outcomeNote: outcome?.note ?? null,
      modelRisk: seg?.risk ?? null,
      segmentationId: seg?.id ?? null,
      segmentation,
      readerCount: reads.length,
      clinicianProbability: primary ? statedProbabilityHighGrade(primary.decision) : null,
      clinicianHighGrade: primary ? (primary.decision.suspectedGrade === 'high' ? 1 : 0) : null,
      clinicianManagement: primary?.decision.managementPlan ?? null,
      clinicianCorrect: primary ? correctOf(primary.decision.suspectedGrade === 'high') : null,
      randomizedOn: randomizedOn.get(p.id) as string,
      protocolVersion: p.protocolVersion,
      randomizationPeriod: r.period,
      pfsDays: survival.get(p.id)?.pfs.days ?? null,
      pfsEvent: survival.get(p.id)?.pfs.event ?? null,
      osDays: survival.get(p.id)?.os.days ?? null,
      osEvent: survival.get(p.id)?.os.event ?? null,
    });
    for (const d of reads) {
      const action = d.segReview?.outcome ?? null;
      let diceProposalToFinal: number | null = null;
      if (action === 'accepted') diceProposalToFinal = 1;
      else if (action === 'edited' && d.segReview?.editedLabelsSha256) {
        diceProposalToFinal = (await segmentationMetricsFor({ store, predictedSha256: d.segReview.originalLabelsSha256, referenceSha256: d.segReview.editedLabelsSha256 }))?.WT.dice ?? null;
      }
      readers.push({
        participantId: p.id,
        studyId: p.studyId,
        site: r.siteCode,
        arm: r.arm,
        reader: d.reader,
        aiAction: action,
        secondsToDecision: d.decision.timeOnTaskMs !== null ? d.decision.timeOnTaskMs / 1000 : d.signedAt ? (d.signedAt.getTime() - d.openedAt.getTime()) / 1000 : null,
        diceProposalToFinal,
        probability: statedProbabilityHighGrade(d.decision),
        suspectedHighGrade: d.decision.suspectedGrade === 'high' ? 1 : 0,
        correct: correctOf(d.decision.suspectedGrade === 'high'),
      });
    }
  }
  // The demo's SIMULATED reads, labelled, for participants with no segmentation and no signed read (inside the hash).
  const filled = await applySimulatedReads({ db, rows, readers });
  const body = {
    trial: { id: trial.id, slug: trial.slug, name: trial.name, status: trial.status },
    arms: (design?.randomization.arms ?? []).map((a) => ({ key: a.key, label: a.label })),
    factors: (design?.randomization.factors ?? []).map((f) => f.name),
    sites: visibleSites.map((s) => ({ code: s.code, name: s.name, isExternal: s.isExternal })),
    model,
    rows: filled.rows,
    readers: filled.readers,
  };
  const sha256 = createHash('sha256')
    .update(canonicalJson(JSON.parse(JSON.stringify(body))))
    .digest('hex');
  return { ...body, snapshot: { sha256, builtAt: new Date().toISOString() } };
}
