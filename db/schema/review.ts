import { bigint, boolean, index, integer, jsonb, pgTable, real, text, timestamp, unique, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { participants } from './enrollment';
import { segmentations, studies } from './imaging';
import { sites, trials } from './trials';

/**
 * Clinician review. A case is one study of a randomized participant; each clinician with access to
 * the participant's site has their own review of it (multi-reader). `case_reviews` is the worklist
 * state and the only mutable table here; AI segmentation reviews, signatures and decisions are
 * append-only, and the database refuses updates and deletes of them (migration 0007's triggers).
 */
export const REVIEW_STATUSES = ['new', 'in_review', 'signed'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export const caseReviews = pgTable(
  'case_reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    trialId: uuid('trial_id')
      .notNull()
      .references(() => trials.id),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => participants.id),
    studyId: uuid('study_id')
      .notNull()
      .references(() => studies.id),
    reviewerId: uuid('reviewer_id')
      .notNull()
      .references(() => users.id),
    /** 'new' is the worklist's state for a case without a row; a row starts 'in_review'. */
    status: text('status', { enum: REVIEW_STATUSES }).notNull().default('in_review'),
    /** First time this reviewer opened the case: the start of time on task. */
    openedAt: timestamp('opened_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** When the first decision was signed (corrections do not move it). */
    signedAt: timestamp('signed_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [unique('case_reviews_study_reviewer_uq').on(t.studyId, t.reviewerId), index('case_reviews_reviewer_idx').on(t.reviewerId)],
);

export const AI_REVIEW_OUTCOMES = ['accepted', 'edited', 'rejected'] as const;
export type AiReviewOutcome = (typeof AI_REVIEW_OUTCOMES)[number];

/**
 * What the reviewer did with the AI segmentation (assisted arm only). Append-only: a changed mind
 * before signing is a new row; the decision names the row it was signed with. An edit stores the
 * edited label map as a new object in the content store beside the AI's, which is never replaced.
 */
export const segmentationReviews = pgTable(
  'segmentation_reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseReviewId: uuid('case_review_id')
      .notNull()
      .references(() => caseReviews.id),
    segmentationId: uuid('segmentation_id')
      .notNull()
      .references(() => segmentations.id),
    outcome: text('outcome', { enum: AI_REVIEW_OUTCOMES }).notNull(),
    /** The AI label map this outcome is about (segmentations.labels_sha256, repeated for the record). */
    originalLabelsSha256: text('original_labels_sha256').notNull(),
    /** The reviewer's label map (outcome 'edited' only), MSD labels 0..3 on the study grid. */
    editedLabelsSha256: text('edited_labels_sha256'),
    /** Volumes of the edited label map in mL (per label and WT/TC/ET), 'edited' only. */
    editedVolumesMl: jsonb('edited_volumes_ml'),
    reason: text('reason'),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('segmentation_reviews_case_idx').on(t.caseReviewId)],
);

/**
 * An electronic signature: the signer re-entered their password; name, UTC time and the meaning
 * they were shown are kept with a SHA-256 of the canonical content they signed, so the manifest
 * stays bound to the record.
 */
export const electronicSignatures = pgTable('electronic_signatures', {
  id: uuid('id').primaryKey().defaultRandom(),
  signerId: uuid('signer_id')
    .notNull()
    .references(() => users.id),
  signerName: text('signer_name').notNull(),
  signerUsername: text('signer_username').notNull(),
  meaning: text('meaning').notNull(),
  /** SHA-256 (hex) of the canonical JSON of the signed record's content. */
  contentSha256: text('content_sha256').notNull(),
  signedAt: timestamp('signed_at', { withTimezone: true, mode: 'date' }).notNull(),
});

export const SUSPECTED_GRADES = ['low', 'high'] as const;
export type SuspectedGrade = (typeof SUSPECTED_GRADES)[number];

export const MANAGEMENT_PLANS = ['resection', 'biopsy', 'radiotherapy', 'chemoradiotherapy', 'surveillance', 'other'] as const;
export type ManagementPlan = (typeof MANAGEMENT_PLANS)[number];

/**
 * A signed clinical decision. Only signed decisions exist (drafts stay in the browser), and none is
 * ever changed: a correction is a new row whose `supersedes_id` points at the one it replaces
 * (unique, so a decision is corrected at most once and the current one is the row nobody supersedes).
 */
export const clinicianDecisions = pgTable(
  'clinician_decisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseReviewId: uuid('case_review_id')
      .notNull()
      .references(() => caseReviews.id),
    trialId: uuid('trial_id')
      .notNull()
      .references(() => trials.id),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => participants.id),
    studyId: uuid('study_id')
      .notNull()
      .references(() => studies.id),
    reviewerId: uuid('reviewer_id')
      .notNull()
      .references(() => users.id),
    tumourPresent: boolean('tumour_present').notNull(),
    /** Null when no tumour is seen. */
    suspectedGrade: text('suspected_grade', { enum: SUSPECTED_GRADES }),
    managementPlan: text('management_plan', { enum: MANAGEMENT_PLANS }).notNull(),
    /**
     * The reviewer's probability of a high-grade tumour, 0–100 %. Null where the trial's edit checks
     * do not ask for it (by default: no tumour seen). Never pre-filled: the reader types it.
     */
    probabilityHighGrade: integer('probability_high_grade'),
    /** Confidence in the decision, 1 (very unsure) to 5 (certain). */
    confidence: integer('confidence').notNull(),
    note: text('note'),
    /** The AI segmentation outcome this decision was signed with (assisted arm), else null. */
    segmentationReviewId: uuid('segmentation_review_id').references(() => segmentationReviews.id),
    signatureId: uuid('signature_id')
      .notNull()
      .unique('clinician_decisions_signature_uq')
      .references(() => electronicSignatures.id),
    /** Time on task: first opening of the case → signature, in ms. Null for corrections. */
    timeOnTaskMs: bigint('time_on_task_ms', { mode: 'number' }),
    supersedesId: uuid('supersedes_id')
      .unique('clinician_decisions_supersedes_uq')
      .references((): AnyPgColumn => clinicianDecisions.id),
    correctionReason: text('correction_reason'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('clinician_decisions_case_idx').on(t.caseReviewId), index('clinician_decisions_trial_idx').on(t.trialId)],
);

/**
 * SIMULATED reads of the demo's simulated participants (study IDs SIM-…), which have no MRI study:
 * a model risk score and one reader decision each, drawn from the documented demo reader model
 * (server/demo/seed-demo-simulated-reads.ts: readers with and without the AI, with an
 * automation-bias term). Never a signed decision: kept apart from clinician_decisions and
 * segmentations, and every analysis row, page and export built from them says SIMULATED.
 */
export const simulatedReads = pgTable(
  'simulated_reads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    trialId: uuid('trial_id')
      .notNull()
      .references(() => trials.id),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => participants.id),
    /** The simulated model's probability of a high-grade tumour. */
    modelRisk: real('model_risk').notNull(),
    /** The simulated reader's name (e.g. 'simulated reader 2'). */
    reader: text('reader').notNull(),
    /** The reader saw the (simulated) AI output: the participant is in the AI-assisted arm. */
    withAi: boolean('with_ai').notNull(),
    /** The simulated reader's probability of a high-grade tumour, 0–1. */
    probabilityHighGrade: real('probability_high_grade').notNull(),
    suspectedGrade: text('suspected_grade', { enum: SUSPECTED_GRADES }).notNull(),
    /** What the reader did with the AI proposal (assisted arm only). */
    aiAction: text('ai_action', { enum: AI_REVIEW_OUTCOMES }),
    secondsToDecision: real('seconds_to_decision').notNull(),
    /** The reader model and its parameters the read was drawn from. */
    readerModel: jsonb('reader_model').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [unique('simulated_reads_participant_uq').on(t.participantId), index('simulated_reads_trial_idx').on(t.trialId)],
);
