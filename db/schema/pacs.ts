import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { studies } from './imaging';

/**
 * Where a study retrieved from the hospital PACS came from: the DICOM Study Instance UID and the
 * series chosen for each sequence. The ingested volumes keep no DICOM attributes (de-identified at
 * the door); this link is what lets results go back as DICOM SEG/SR that reference the source
 * series (STOW-RS). UIDs only, no names or patient IDs; served to coordinators and statisticians,
 * never to clinicians.
 */
export const pacsStudySources = pgTable('pacs_study_sources', {
  studyId: uuid('study_id')
    .primaryKey()
    .references(() => studies.id),
  studyInstanceUid: text('study_instance_uid').notNull(),
  /** Series Instance UID per sequence role: { flair, t1, t1gd, t2 }. */
  series: jsonb('series').$type<Record<'flair' | 't1' | 't1gd' | 't2', string>>().notNull(),
  retrievedBy: uuid('retrieved_by').references(() => users.id),
  retrievedAt: timestamp('retrieved_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
