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
