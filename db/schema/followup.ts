import { date, index, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { participants } from './enrollment';
import { studies } from './imaging';
import { electronicSignatures } from './review';
import { trials } from './trials';

/**
 * Follow-up imaging (issue 18). A participant's imaging visits as the trial design schedules them
 * (baseline, then follow-ups with windows); each visit holds the study acquired for it, or none
 * when it was missed. The visit row is the mutable worklist state (a re-upload moves `study_id`),
 * every change audited; RANO assessments of a visit are append-only signed records.
 */
export const VISIT_WINDOW_STATUSES = ['in_window', 'early', 'late', 'missed'] as const;
export type VisitWindowStatus = (typeof VISIT_WINDOW_STATUSES)[number];

export const imagingVisits = pgTable(
  'imaging_visits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    trialId: uuid('trial_id')
      .notNull()
      .references(() => trials.id),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => participants.id),
    /** The design's visit code ('baseline', 'fu1', …). */
    visitCode: text('visit_code').notNull(),
    /** The study acquired for this visit; null for a missed visit. */
    studyId: uuid('study_id').references(() => studies.id),
    /** Target date from the schedule (baseline date + the visit's offset). */
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    /** Date of the scan; null when missed. */
    scannedOn: date('scanned_on', { mode: 'string' }),
    windowStatus: text('window_status', { enum: VISIT_WINDOW_STATUSES }).notNull(),
    /** Rigid registration of this visit's T1gd to the baseline's (transform and QC figures); null for the baseline. */
    registration: jsonb('registration'),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [unique('imaging_visits_participant_visit_uq').on(t.participantId, t.visitCode), unique('imaging_visits_study_uq').on(t.studyId), index('imaging_visits_trial_idx').on(t.trialId)],
);

export const RANO_RESPONSE_CATEGORIES = ['CR', 'PR', 'SD', 'PD'] as const;
export type RanoResponseCategory = (typeof RANO_RESPONSE_CATEGORIES)[number];

/**
 * A clinician's signed RANO 2.0 response at a follow-up visit: the suggestion computed from the AI
 * label maps (assisted arm only; null on the control arm, whose readers never see AI output), the
 * category the clinician signed and, when it differs from the suggestion, why. Append-only (the
 * database refuses updates and deletes); a correction is a new row whose `supersedes_id` points at
 * the one it replaces. A current (not superseded) row with category 'PD' is the participant's
 * progression event, dated by `scan_date` (server/domain/followup/list-progression-events.ts).
 */
export const ranoAssessments = pgTable(
  'rano_assessments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    trialId: uuid('trial_id')
      .notNull()
      .references(() => trials.id),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => participants.id),
    visitId: uuid('visit_id')
      .notNull()
      .references(() => imagingVisits.id),
    studyId: uuid('study_id')
      .notNull()
      .references(() => studies.id),
    reviewerId: uuid('reviewer_id')
      .notNull()
      .references(() => users.id),
    /** The visit's scan date: the date a progression is dated by. */
    scanDate: date('scan_date', { mode: 'string' }).notNull(),
    suggestedCategory: text('suggested_category', { enum: RANO_RESPONSE_CATEGORIES }),
    suggestedRule: text('suggested_rule'),
    /** The sums, changes and lesions the suggestion came from, as the reader saw them (null: control arm). */
    measurements: jsonb('measurements'),
    category: text('category', { enum: RANO_RESPONSE_CATEGORIES }).notNull(),
    /** Required when `category` differs from a suggestion. */
    overrideReason: text('override_reason'),
    signatureId: uuid('signature_id')
      .notNull()
      .references(() => electronicSignatures.id),
    supersedesId: uuid('supersedes_id'),
    correctionReason: text('correction_reason'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('rano_assessments_participant_idx').on(t.participantId), index('rano_assessments_trial_idx').on(t.trialId), unique('rano_assessments_supersedes_uq').on(t.supersedesId)],
);
