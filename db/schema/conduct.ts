import { date, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { participants } from './enrollment';
import { electronicSignatures } from './review';
import { sites, trials } from './trials';

/**
 * Trial conduct records a monitor and an inspector read: eligibility waivers, data queries, source
 * data verification and protocol amendments. Every write also appends an audit row in the same
 * transaction (server/domain/audit).
 */

/**
 * A signed waiver of failed eligibility criteria for one participant, where the protocol allows it
 * (criteria marked `waivable` in the design). Only with a waiver covering every failed criterion can
 * the participant be randomized. Never changed.
 */
export const eligibilityWaivers = pgTable('eligibility_waivers', {
  id: uuid('id').primaryKey().defaultRandom(),
  trialId: uuid('trial_id')
    .notNull()
    .references(() => trials.id),
  participantId: uuid('participant_id')
    .notNull()
    .unique('eligibility_waivers_participant_uq')
    .references(() => participants.id),
  /** The ids of the criteria waived (every criterion the participant failed). */
  criteria: jsonb('criteria').$type<string[]>().notNull(),
  reason: text('reason').notNull(),
  signatureId: uuid('signature_id')
    .notNull()
    .references(() => electronicSignatures.id),
  waivedBy: uuid('waived_by')
    .notNull()
    .references(() => users.id),
  waivedAt: timestamp('waived_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

export const QUERY_STATUSES = ['open', 'answered', 'closed'] as const;
export type QueryStatus = (typeof QUERY_STATUSES)[number];

/**
 * A monitor's query on one data point of a participant (a record and, optionally, one field of it).
 * The site answers it (a correction of the data is a new signed record as usual); the monitor closes
 * it. The row holds the current state; the audit trail holds every step.
 */
export const dataQueries = pgTable(
  'data_queries',
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
    /** What the query is about, e.g. 'participant', 'decision', 'outcome', and that record's id. */
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    field: text('field'),
    question: text('question').notNull(),
    status: text('status', { enum: QUERY_STATUSES }).notNull().default('open'),
    raisedBy: uuid('raised_by')
      .notNull()
      .references(() => users.id),
    raisedAt: timestamp('raised_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    answer: text('answer'),
    answeredBy: uuid('answered_by').references(() => users.id),
    answeredAt: timestamp('answered_at', { withTimezone: true, mode: 'date' }),
    closeNote: text('close_note'),
    closedBy: uuid('closed_by').references(() => users.id),
    closedAt: timestamp('closed_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('data_queries_trial_status_idx').on(t.trialId, t.status), index('data_queries_participant_idx').on(t.participantId)],
);

/** A field of a record marked verified against source documents by a monitor. Never changed. */
export const sourceVerifications = pgTable(
  'source_verifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    trialId: uuid('trial_id')
      .notNull()
      .references(() => trials.id),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => participants.id),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    field: text('field').notNull(),
    note: text('note'),
    verifiedBy: uuid('verified_by')
      .notNull()
      .references(() => users.id),
    verifiedAt: timestamp('verified_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [unique('source_verifications_field_uq').on(t.entityType, t.entityId, t.field), index('source_verifications_participant_idx').on(t.participantId)],
);

/**
 * A signed, dated, versioned protocol amendment. `design` is the whole design in force from
 * `effective_on`; version 1 is the design frozen at go-live (not stored here). Never changed.
 */
export const protocolAmendments = pgTable(
  'protocol_amendments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    trialId: uuid('trial_id')
      .notNull()
      .references(() => trials.id),
    version: integer('version').notNull(),
    summary: text('summary').notNull(),
    /** The design before and after, so a reader sees what changed. */
    previousDesign: jsonb('previous_design').notNull(),
    design: jsonb('design').notNull(),
    effectiveOn: date('effective_on', { mode: 'string' }).notNull(),
    signatureId: uuid('signature_id')
      .notNull()
      .references(() => electronicSignatures.id),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [unique('protocol_amendments_version_uq').on(t.trialId, t.version)],
);
