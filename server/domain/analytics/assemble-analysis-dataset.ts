import type { ContentStore } from '@/imaging/storage/content-store';
import { AppError } from '../../errors';
import { deriveTimeToEvent, type FollowUpContact, type SurvivalOutcome } from '../outcomes/derive-time-to-event';
import { statedProbabilityHighGrade } from '../review/stated-probability';
import type { TrialAccess } from '../trials/trial-access';
import { parseTrialDesign, type TrialDesign } from '../trials/trial-design';
import type { AnalysisDataset, AnalysisRow, ModelProvenance, ReaderRow } from './analysis-dataset';
import type { AnalysisSources } from './analysis-sources';
import { fillSimulatedReads } from './apply-simulated-reads';
import { datasetSha256 } from './dataset-sha256';
import { segmentationMetricsFor } from './segmentation-metrics-cache';

const text = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v));

const byParticipant = <T extends { participantId: string }>(list: readonly T[]) => {
  const map = new Map<string, T[]>();
  for (const item of list) {
    const bucket = map.get(item.participantId);
    if (bucket) bucket.push(item);
    else map.set(item.participantId, [item]);
  }
  return map;
};

// Survival per participant, derived once per (randomized, visits, progressions) parts read: the
// parts are the same objects while their tables are unchanged (loadAnalysisSources).
const survivals = new WeakMap<object, WeakMap<object, WeakMap<object, ReadonlyMap<string, SurvivalOutcome>>>>();

/** Progression-free and overall survival of every randomized participant of the sources, as listSurvivalOutcomes derives it. */
function survivalOf({ randomized, visits, progressions }: Pick<AnalysisSources, 'randomized' | 'visits' | 'progressions'>): ReadonlyMap<string, SurvivalOutcome> {
  let byVisits = survivals.get(randomized);
  if (!byVisits) survivals.set(randomized, (byVisits = new WeakMap()));
  let byProgressions = byVisits.get(visits);
  if (!byProgressions) byVisits.set(visits, (byProgressions = new WeakMap()));
  const known = byProgressions.get(progressions);
  if (known) return known;
  const survival = new Map<string, SurvivalOutcome>();
  const contacts = byParticipant<FollowUpContact & { participantId: string }>(visits);
  const progressedOn = new Map<string, string>();
  for (const p of progressions) if (!progressedOn.has(p.participantId)) progressedOn.set(p.participantId, p.scanDate);
  for (const r of randomized) {
    const derived = deriveTimeToEvent(r.randomizedOn, contacts.get(r.id) ?? [], progressedOn.get(r.id) ?? null);
    if (derived) survival.set(r.id, derived);
  }
  byProgressions.set(progressions, survival);
  return survival;
}

/**
 * The subject-level analysis dataset of a trial from its sources (readAnalysisSources): one row per
 * randomized participant of the trial's current mode at the sites the caller may see (arm, stratum,
 * covariates, current follow-up outcome, the pinned model's risk output and segmentation metrics
 * against the reference, the primary reader's decision), plus one row per current signed decision
 * for reader-level summaries; the demo's SIMULATED reads fill in, labelled, where a participant has
 * neither (fillSimulatedReads).
 *
 * Model: the trial's pinned model, or the default model before go-live. Segmentation metrics need
 * the AI label map and the reference on the same study (the reference's). The primary read is the
 * current (not superseded) decision of the case review signed first. Survival as
 * listSurvivalOutcomes derives it. The snapshot hash covers every row, so two exports with the same
 * hash came from the same data. `design` is the trial's parsed design when the caller has it.
 */
export async function assembleAnalysisDataset({
  sources,
  access,
  store,
  design: parsedDesign,
}: {
  sources: AnalysisSources;
  access: TrialAccess;
  store: ContentStore;
  design?: TrialDesign | null;
}): Promise<AnalysisDataset> {
  const trial = sources.trial;
  if (!trial) throw new AppError('NOT_FOUND', 'Trial not found.');
  const design = parsedDesign !== undefined ? parsedDesign : trial.design ? parseTrialDesign(trial.design) : null;
  const mode = trial.status === 'live' || trial.status === 'closed' ? 'live' : 'test';
  const visible = (siteId: string) => access.siteIds === null || access.siteIds.includes(siteId);
  const visibleSites = sources.sites.filter((s) => visible(s.id));
  const siteOf = new Map(sources.sites.map((s) => [s.id, s]));
  const randomized = sources.randomized.filter((r) => r.mode === mode && visible(r.siteId));

  const outcomes = new Map(sources.outcomes.map((o) => [o.participantId, o]));
  const survival = survivalOf(sources);
  const modelRow = trial.pinnedModelId ? sources.models.find((m) => m.id === trial.pinnedModelId) : sources.models.find((m) => m.isDefault);
  const model: ModelProvenance | null = modelRow
    ? {
        id: modelRow.id,
        name: modelRow.name,
        version: modelRow.version,
        sha256: modelRow.sha256,
        pinned: trial.pinnedModelId === modelRow.id,
        registeredAt: new Date(modelRow.registeredMs).toISOString(),
        card: modelRow.card,
      }
    : null;

  const superseded = new Set(sources.decisions.map((d) => d.supersedesId).filter((v): v is string => v !== null));
  const segsOf = byParticipant(modelRow ? sources.segmentations.filter((s) => s.modelId === modelRow.id) : []);
  const readsOf = byParticipant(sources.decisions.filter((d) => !superseded.has(d.id)));
  const eventsOf = byParticipant(sources.events);
  const rows: AnalysisRow[] = [];
  const readers: ReaderRow[] = [];
  for (const r of randomized) {
    const site = siteOf.get(r.siteId)!;
    const outcome = outcomes.get(r.id);
    const mine = segsOf.get(r.id) ?? [];
    // The segmentation of the reference's study when there is one, else the latest.
    const seg = (outcome?.referenceStudyId ? mine.find((s) => s.studyId === outcome.referenceStudyId) : undefined) ?? mine.at(-1) ?? null;
    const segmentation =
      seg && outcome?.referenceLabelsSha256 && outcome.referenceStudyId === seg.studyId
        ? await segmentationMetricsFor({ store, predictedSha256: seg.labels, referenceSha256: outcome.referenceLabelsSha256 })
        : null;
    const reads = readsOf.get(r.id) ?? [];
    const primary = reads[0];
    const refHigh = outcome?.referenceHighGrade ?? null;
    const correctOf = (suspectedHigh: boolean) => (refHigh === null ? null : suspectedHigh === refHigh ? 1 : 0);
    const c = r.covariates;
    const levels: Record<string, string> = {};
    for (const f of design?.randomization.factors ?? []) if (c[f.name] !== undefined) levels[f.name] = String(c[f.name]);
    const events = eventsOf.get(r.id) ?? [];
    const time = survival.get(r.id);
    rows.push({
      participantId: r.id,
      studyId: r.studyId,
      site: site.code,
      siteExternal: site.isExternal,
      arm: r.arm,
      stratum: r.stratum,
      age: typeof c.age === 'number' ? c.age : null,
      sex: text(c.sex),
      scannerVendor: text(c.scannerVendor),
      fieldStrength: text(c.fieldStrength),
      levels,
      withdrawn: events.some((e) => e.kind === 'withdrawn'),
      lostToFollowUp: events.some((e) => e.kind === 'lost_to_follow_up'),
      protocolDeviation: events.some((e) => e.kind === 'protocol_deviation'),
      referenceHighGrade: refHigh,
      whoGrade: outcome?.whoGrade ?? null,
      progressionFree6m: outcome?.progressionFree6m ?? null,
      outcomeAssessedOn: outcome?.assessedOn ?? null,
      outcomeNote: outcome?.note ?? null,
      modelRisk: seg?.risk ?? null,
      segmentationId: seg?.id ?? null,
      segmentation,
      readerCount: reads.length,
      clinicianProbability: primary ? statedProbabilityHighGrade(primary) : null,
      clinicianHighGrade: primary ? (primary.suspectedGrade === 'high' ? 1 : 0) : null,
      clinicianManagement: primary?.managementPlan ?? null,
      clinicianCorrect: primary ? correctOf(primary.suspectedGrade === 'high') : null,
      randomizedOn: r.randomizedOn,
      protocolVersion: r.protocolVersion,
      randomizationPeriod: r.period,
      pfsDays: time?.pfs.days ?? null,
      pfsEvent: time?.pfs.event ?? null,
      osDays: time?.os.days ?? null,
      osEvent: time?.os.event ?? null,
    });
    for (const d of reads) {
      const action = d.aiAction;
      let diceProposalToFinal: number | null = null;
      if (action === 'accepted') diceProposalToFinal = 1;
      else if (action === 'edited' && d.editedLabelsSha256 && d.originalLabelsSha256) {
        diceProposalToFinal = (await segmentationMetricsFor({ store, predictedSha256: d.originalLabelsSha256, referenceSha256: d.editedLabelsSha256 }))?.WT.dice ?? null;
      }
      readers.push({
        participantId: r.id,
        studyId: r.studyId,
        site: site.code,
        arm: r.arm,
        reader: d.reader,
        aiAction: action,
        secondsToDecision: d.timeOnTaskMs !== null ? d.timeOnTaskMs / 1000 : d.signedMs !== null ? (d.signedMs - d.openedMs) / 1000 : null,
        diceProposalToFinal,
        probability: statedProbabilityHighGrade(d),
        suspectedHighGrade: d.suspectedGrade === 'high' ? 1 : 0,
        correct: correctOf(d.suspectedGrade === 'high'),
      });
    }
  }
  // The demo's SIMULATED reads, labelled, for participants with no segmentation and no signed read (inside the hash).
  const filled = fillSimulatedReads({ rows, readers, simulated: sources.simulatedReads });
  const body = {
    trial: { id: trial.id, slug: trial.slug, name: trial.name, status: trial.status },
    arms: (design?.randomization.arms ?? []).map((a) => ({ key: a.key, label: a.label })),
    factors: (design?.randomization.factors ?? []).map((f) => f.name),
    sites: visibleSites.map((s) => ({ code: s.code, name: s.name, isExternal: s.isExternal })),
    model,
    rows: filled.rows,
    readers: filled.readers,
  };
  return { ...body, snapshot: { sha256: datasetSha256(body), builtAt: new Date().toISOString() } };
}
