import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { participants } from './enrollment';
import { studies } from './imaging';
import { sites, trials } from './trials';

/**
 * Where a study upload is: 'awaiting_confirmation' (stored, waiting for the coordinator to confirm
 * how the files map to sequences; nothing is queued), 'queued' (the ingest-study job is enqueued or
 * running: its progress is on the job row), 'ingested' (`study_id` names the study) or 'rejected'
 * (`rejection` names file, field, value found and expected).
 */
export const STUDY_UPLOAD_STATUSES = ['awaiting_confirmation', 'queued', 'ingested', 'rejected'] as const;
export type StudyUploadStatus = (typeof STUDY_UPLOAD_STATUSES)[number];

/**
 * A study as uploaded, before ingest: the raw files are in the content store under their SHA-256
 * (`files`: role → [{ name, sha256, bytes }]). The upload request only stores them and queues the
 * ingest job, so the request returns in the time the bytes take to arrive.
 */
export const studyUploads = pgTable(
  'study_uploads',
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
    files: jsonb('files').notNull(),
    /**
     * How the files were recognised (imaging/ingest/layout.ts): { layout, caseId, assignments: [{ role,
     * file, channel?, because }], ignored, confirmedBy?, confirmedAt? } — shown to the coordinator, who
     * confirms it before ingest; null when the four sequences were assigned by hand.
     */
    mapping: jsonb('mapping'),
    status: text('status', { enum: STUDY_UPLOAD_STATUSES }).notNull(),
    studyId: uuid('study_id').references(() => studies.id),
    rejection: jsonb('rejection'),
    uploadedBy: uuid('uploaded_by').references(() => users.id),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('study_uploads_participant_idx').on(t.participantId)],
);
