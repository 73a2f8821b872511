/**
 * What the analysis dataset is made of, read from the database in parts. Each part is one subquery
 * of the statement `readAnalysisSources` sends, answering JSON (one text field per statement: the
 * driver then decodes one value instead of every field of every row), filtered by the trial only:
 * the caller's mode and sites are applied when the dataset is assembled, so a part read for one
 * view serves every view of the trial. `tables` are the tables the part reads: a part is read again
 * only when the stamp of one of them changed (readAnalysisStamps).
 *
 * Timestamps come as epoch milliseconds (floor, as a JavaScript Date keeps them) and dates as
 * YYYY-MM-DD, so both drivers answer the same values.
 */
import type { simulatedReads } from '@/db/schema';

export interface TrialSource {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly status: string;
  readonly design: unknown;
  readonly pinnedModelId: string | null;
}
/** The analysis plan in force: the latest signed version. */
export interface PlanSource {
  readonly contentSha256: string;
  readonly content: unknown;
}
export interface SiteSource {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly isExternal: boolean;
}
export interface ModelSource {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly sha256: string;
  readonly card: Record<string, unknown>;
  readonly isDefault: boolean;
  readonly registeredMs: number;
}
/** A randomized participant with the allocation (every mode and site of the trial), by study ID. */
export interface RandomizedSource {
  readonly id: string;
  readonly studyId: string;
  readonly siteId: string;
  readonly mode: string;
  readonly covariates: Record<string, string | number>;
  readonly protocolVersion: number;
  readonly arm: string;
  readonly stratum: string;
  readonly period: number;
  /** allocated_at's UTC date. */
  readonly randomizedOn: string;
}
export interface EventSource {
  readonly participantId: string;
  readonly kind: string;
}
/** A current (not superseded) outcome record. */
export interface OutcomeSource {
  readonly participantId: string;
  readonly referenceHighGrade: boolean | null;
  readonly whoGrade: number | null;
  readonly progressionFree6m: boolean | null;
  readonly referenceStudyId: string | null;
  readonly referenceLabelsSha256: string | null;
  readonly assessedOn: string;
  readonly note: string | null;
}
/** A current follow-up contact. */
export interface VisitSource {
  readonly participantId: string;
  readonly visitDate: string;
  readonly deathDate: string | null;
  readonly progressionDate: string | null;
  readonly progressionBasis: 'rano' | 'clinical' | null;
}
/** A current signed RANO progression (PD), earliest scan first. */
export interface ProgressionSource {
  readonly participantId: string;
  readonly scanDate: string;
}
/** A segmentation of a study of a trial participant, any model, oldest first. */
export interface SegmentationSource {
  readonly id: string;
  readonly studyId: string;
  readonly participantId: string;
  readonly modelId: string;
  readonly labels: string;
  readonly risk: number | null;
}
/** A signed decision with its review, reader and AI outcome, first signed first. */
export interface DecisionSource {
  readonly id: string;
  readonly participantId: string;
  readonly supersedesId: string | null;
  readonly tumourPresent: boolean;
  readonly suspectedGrade: string | null;
  readonly managementPlan: string;
  readonly probabilityHighGrade: number | null;
  readonly timeOnTaskMs: number | null;
  readonly openedMs: number;
  readonly signedMs: number | null;
  readonly reader: string;
  readonly aiAction: 'accepted' | 'edited' | 'rejected' | null;
  readonly originalLabelsSha256: string | null;
  readonly editedLabelsSha256: string | null;
}
export type SimulatedReadSource = Pick<typeof simulatedReads.$inferSelect, 'participantId' | 'modelRisk' | 'reader' | 'probabilityHighGrade' | 'suspectedGrade' | 'aiAction' | 'secondsToDecision'>;

export interface AnalysisSources {
  readonly trial: TrialSource | null;
  readonly plan: PlanSource | null;
  readonly sites: readonly SiteSource[];
  readonly models: readonly ModelSource[];
  readonly randomized: readonly RandomizedSource[];
  readonly events: readonly EventSource[];
  readonly outcomes: readonly OutcomeSource[];
  readonly visits: readonly VisitSource[];
  readonly progressions: readonly ProgressionSource[];
  readonly segmentations: readonly SegmentationSource[];
  readonly decisions: readonly DecisionSource[];
  readonly simulatedReads: readonly SimulatedReadSource[];
}
export type AnalysisSourcePart = keyof AnalysisSources;

const list = (select: string, order = '') => `(select coalesce(json_agg(r${order ? ` order by ${order}` : ''}), '[]') from (${select}) r)`;
const ms = (column: string) => `floor(extract(epoch from ${column}) * 1000)`;

/** Each part: its subquery ($1 is the trial id) and the tables it reads. */
export const ANALYSIS_SOURCE_PARTS: Readonly<Record<AnalysisSourcePart, { readonly sql: string; readonly tables: readonly string[] }>> = {
  trial: {
    sql: `(select row_to_json(r) from (select t.id, t.slug, t.name, t.status, t.design, t.pinned_model_id as "pinnedModelId" from trials t where t.id = $1) r)`,
    tables: ['trials'],
  },
  // As listAnalysisPlans: the highest version with its signature.
  plan: {
    sql: `(select row_to_json(r) from (select p.content_sha256 as "contentSha256", p.content from analysis_plans p join electronic_signatures s on s.id = p.signature_id where p.trial_id = $1 order by p.version desc limit 1) r)`,
    tables: ['analysis_plans', 'electronic_signatures'],
  },
  sites: {
    sql: list(`select s.id, s.code, s.name, s.is_external as "isExternal" from sites s where s.trial_id = $1`, 'r.code'),
    tables: ['sites'],
  },
  // Every model: a handful of rows; the trial's pinned or default one is chosen when assembling.
  models: {
    sql: list(
      `select m.id, m.name, m.version, m.sha256, m.card, m.is_default as "isDefault", ${ms('m.registered_at')} as "registeredMs", m.registered_at as "registeredAt" from models m`,
      'r."registeredAt"',
    ),
    tables: ['models'],
  },
  randomized: {
    sql: list(
      `select p.id, p.study_id as "studyId", p.site_id as "siteId", p.mode, p.covariates, p.protocol_version as "protocolVersion", a.arm, a.stratum_key as stratum, a.period, (a.allocated_at at time zone 'UTC')::date as "randomizedOn"
       from participants p join allocations a on a.participant_id = p.id where p.trial_id = $1`,
      'r."studyId"',
    ),
    tables: ['participants', 'allocations'],
  },
  events: {
    sql: list(`select e.participant_id as "participantId", e.kind from participant_events e where e.trial_id = $1`),
    tables: ['participant_events'],
  },
  // Current records: nobody supersedes them (isCurrentOutcome).
  outcomes: {
    sql: list(
      `select o.participant_id as "participantId", o.reference_high_grade as "referenceHighGrade", o.who_grade as "whoGrade", o.progression_free_6m as "progressionFree6m",
        o.reference_study_id as "referenceStudyId", o.reference_labels_sha256 as "referenceLabelsSha256", o.assessed_on as "assessedOn", o.note
       from participant_outcomes o where o.trial_id = $1 and not exists (select 1 from participant_outcomes newer where newer.supersedes_id = o.id)`,
    ),
    tables: ['participant_outcomes'],
  },
  // As listSurvivalOutcomes: current contacts.
  visits: {
    sql: list(
      `select v.participant_id as "participantId", v.visit_date as "visitDate", v.death_date as "deathDate", v.progression_date as "progressionDate", v.progression_basis as "progressionBasis"
       from follow_up_visits v where v.trial_id = $1 and not exists (select 1 from follow_up_visits newer where newer.supersedes_id = v.id)`,
    ),
    tables: ['follow_up_visits'],
  },
  // As listProgressionEvents: current signed PD assessments, earliest scan first.
  progressions: {
    sql: list(
      `select a.participant_id as "participantId", a.scan_date as "scanDate", a.created_at as c
       from rano_assessments a where a.trial_id = $1 and a.category = 'PD' and not exists (select 1 from rano_assessments later where later.supersedes_id = a.id)`,
      'r."scanDate", r.c',
    ),
    tables: ['rano_assessments'],
  },
  segmentations: {
    sql: list(
      `select g.id, g.study_id as "studyId", st.participant_id as "participantId", g.model_id as "modelId", g.labels_sha256 as labels, g.risk_high_grade as risk, g.created_at as c
       from segmentations g join studies st on st.id = g.study_id where st.trial_id = $1`,
      'r.c',
    ),
    tables: ['segmentations', 'studies'],
  },
  decisions: {
    sql: list(
      `select d.id, d.participant_id as "participantId", d.supersedes_id as "supersedesId", d.tumour_present as "tumourPresent", d.suspected_grade as "suspectedGrade",
        d.management_plan as "managementPlan", d.probability_high_grade as "probabilityHighGrade", d.time_on_task_ms as "timeOnTaskMs",
        ${ms('cr.opened_at')} as "openedMs", ${ms('cr.signed_at')} as "signedMs", u.username as reader, sr.outcome as "aiAction",
        sr.original_labels_sha256 as "originalLabelsSha256", sr.edited_labels_sha256 as "editedLabelsSha256", cr.signed_at as s, d.created_at as c
       from clinician_decisions d join case_reviews cr on cr.id = d.case_review_id join users u on u.id = d.reviewer_id
       left join segmentation_reviews sr on sr.id = d.segmentation_review_id where d.trial_id = $1`,
      'r.s, r.c',
    ),
    tables: ['clinician_decisions', 'case_reviews', 'users', 'segmentation_reviews'],
  },
  simulatedReads: {
    sql: list(
      `select s.participant_id as "participantId", s.model_risk as "modelRisk", s.reader, s.probability_high_grade as "probabilityHighGrade", s.suspected_grade as "suspectedGrade",
        s.ai_action as "aiAction", s.seconds_to_decision as "secondsToDecision"
       from simulated_reads s where s.trial_id = $1`,
    ),
    tables: ['simulated_reads'],
  },
};

export const ANALYSIS_SOURCE_PART_NAMES = Object.keys(ANALYSIS_SOURCE_PARTS) as AnalysisSourcePart[];
