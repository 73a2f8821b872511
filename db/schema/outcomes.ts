import { boolean, date, index, integer, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { participants } from './enrollment';
import { studies } from './imaging';
import { trials } from './trials';

/**
 * Follow-up outcomes: the reference standard a trial is judged against. Rows are never updated: a
 * correction is a new row whose `supersedes_id` points at the row it replaces (unique, so a record is
 * corrected at most once and the current outcome of a participant is the row nobody supersedes).
 */
export const participantOutcomes = pgTable(
  'participant_outcomes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    trialId: uuid('trial_id')
      .notNull()
      .references(() => trials.id),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => participants.id),
    /** Histopathology: high-grade glioma (WHO grade 3–4). Null while not known. */
    referenceHighGrade: boolean('reference_high_grade'),
    /** WHO CNS grade 1–4 from histopathology, when reported. */
    whoGrade: integer('who_grade'),
    /** The study the expert reference segmentation was drawn on (its registered T1gd grid). */
    referenceStudyId: uuid('reference_study_id').references(() => studies.id),
    /** Expert reference segmentation (MSD labels 0..3, NIfTI) in the content store. */
    referenceLabelsSha256: text('reference_labels_sha256'),
    /** Patient outcome: alive without progression six months after randomization. */
    progressionFree6m: boolean('progression_free_6m'),
    assessedOn: date('assessed_on', { mode: 'string' }).notNull(),
    note: text('note'),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    supersedesId: uuid('supersedes_id'),
  },
  (t) => [index('participant_outcomes_participant_idx').on(t.participantId), index('participant_outcomes_trial_idx').on(t.trialId), unique('participant_outcomes_supersedes_uq').on(t.supersedesId)],
);

export const VITAL_STATUSES = ['alive', 'dead'] as const;
export type VitalStatus = (typeof VITAL_STATUSES)[number];
/** How a progression was established: RANO imaging criteria (also read from rano_assessments) or clinical judgement. */
export const PROGRESSION_BASES = ['rano', 'clinical'] as const;
export type ProgressionBasis = (typeof PROGRESSION_BASES)[number];

/**
 * Follow-up contacts for the time-to-event outcomes (progression-free and overall survival): each
 * row is one contact (visit or call) on `visit_date`, the last date the participant is known to be
 * alive (or the death date) and progression-free unless progression is recorded. Time to event runs
 * from randomization to the earliest progression or death, censored at the latest contact. Rows are
 * never updated: a correction is a new row superseding the old one (unique, corrected at most once).
 */
export const followUpVisits = pgTable(
  'follow_up_visits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    trialId: uuid('trial_id')
      .notNull()
      .references(() => trials.id),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => participants.id),
    visitDate: date('visit_date', { mode: 'string' }).notNull(),
    vitalStatus: text('vital_status', { enum: VITAL_STATUSES }).notNull(),
    deathDate: date('death_date', { mode: 'string' }),
    /** Progression first established at or before this contact. */
    progression: boolean('progression').notNull(),
    progressionDate: date('progression_date', { mode: 'string' }),
    progressionBasis: text('progression_basis', { enum: PROGRESSION_BASES }),
    note: text('note'),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    supersedesId: uuid('supersedes_id'),
  },
  (t) => [index('follow_up_visits_participant_idx').on(t.participantId), index('follow_up_visits_trial_idx').on(t.trialId), unique('follow_up_visits_supersedes_uq').on(t.supersedesId)],
);
