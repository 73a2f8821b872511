import { index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { electronicSignatures } from './review';
import { trials } from './trials';

/**
 * The statistical analysis plan (SAP) of a trial, as structured data, one row per signed version.
 * A version exists only once it is locked: its content's SHA-256 and the statistician's electronic
 * signature are written with it, and the database refuses any change afterwards (append-only). An
 * amendment is a new version with a reason. The analysis refuses to compare arms before version 1.
 */
export const analysisPlans = pgTable(
  'analysis_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    trialId: uuid('trial_id')
      .notNull()
      .references(() => trials.id),
    version: integer('version').notNull(),
    /** The plan (outcomes and their types, populations, methods, subgroups, thresholds, interim looks). */
    content: jsonb('content').notNull(),
    /** SHA-256 (hex) of the canonical JSON of `content`: what reports name beside the version. */
    contentSha256: text('content_sha256').notNull(),
    /** Why this version replaces the previous one; null for version 1. */
    amendmentReason: text('amendment_reason'),
    signatureId: uuid('signature_id')
      .notNull()
      .references(() => electronicSignatures.id),
    lockedBy: uuid('locked_by')
      .notNull()
      .references(() => users.id),
    lockedAt: timestamp('locked_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [unique('analysis_plans_version_uq').on(t.trialId, t.version)],
);

export const DSMB_RECOMMENDATIONS = ['continue', 'modify', 'stop_efficacy', 'stop_futility', 'stop_harm'] as const;
export type DsmbRecommendation = (typeof DSMB_RECOMMENDATIONS)[number];

/**
 * A recommendation of the data monitoring committee after an interim look, signed by the member who
 * records it, bound to the closed report they read (its SHA-256) and the SAP version it followed.
 * Append-only: a later meeting records a new row.
 */
export const dsmbRecommendations = pgTable(
  'dsmb_recommendations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    trialId: uuid('trial_id')
      .notNull()
      .references(() => trials.id),
    /** The interim look (1-based) the recommendation follows. */
    look: integer('look').notNull(),
    recommendation: text('recommendation', { enum: DSMB_RECOMMENDATIONS }).notNull(),
    /** What the committee tells the sponsor; it must not reveal results by arm. */
    rationale: text('rationale').notNull(),
    analysisPlanId: uuid('analysis_plan_id')
      .notNull()
      .references(() => analysisPlans.id),
    /** SHA-256 of the closed report the committee read (canonical JSON). */
    reportSha256: text('report_sha256').notNull(),
    signatureId: uuid('signature_id')
      .notNull()
      .references(() => electronicSignatures.id),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('dsmb_recommendations_trial_idx').on(t.trialId)],
);
