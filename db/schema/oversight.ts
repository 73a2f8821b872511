import { index, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { electronicSignatures } from './review';
import { sites, trials } from './trials';

/**
 * Oversight of the AI while a trial runs (EU AI Act Art. 12 and 14). An alert is created when a
 * control chart of a monitored figure (input quality, output behaviour, human–AI interaction) crosses
 * its limit; the key makes detection idempotent, so re-computing the dashboard never raises the same
 * alert twice. The acknowledgement is written once (refused afterwards by the query's condition) and
 * audited. Evidence names cases only for figures that do not depend on the arm.
 */
export const oversightAlerts = pgTable(
  'oversight_alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    trialId: uuid('trial_id')
      .notNull()
      .references(() => trials.id),
    /** null: the chart pooled over the trial's sites. */
    siteId: uuid('site_id').references(() => sites.id),
    metric: text('metric').notNull(),
    /** trial, site (or 'all'), metric and the first signalling case: one alert per excursion. */
    detectionKey: text('detection_key').notNull(),
    /** Chart method, limits, baseline and the signalling points (see server/domain/oversight). */
    evidence: jsonb('evidence').notNull(),
    /** When the first signalling case was observed (its ingest time). */
    observedAt: timestamp('observed_at', { withTimezone: true, mode: 'date' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    acknowledgedBy: uuid('acknowledged_by').references(() => users.id),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true, mode: 'date' }),
    acknowledgementComment: text('acknowledgement_comment'),
  },
  (t) => [unique('oversight_alerts_detection_uq').on(t.detectionKey), index('oversight_alerts_trial_idx').on(t.trialId)],
);

export const AI_AVAILABILITY_ACTIONS = ['suspended', 'resumed'] as const;
export type AiAvailabilityAction = (typeof AI_AVAILABILITY_ACTIONS)[number];

/**
 * The stop switch: an admin suspends or resumes the AI for a trial or one of its sites, with a reason
 * and an electronic signature. Append-only (the database refuses changes); the current state of a
 * scope is its latest row. While the AI is suspended for a case's site (or the whole trial), its
 * clinicians see no AI output and each assisted-arm case opened is recorded as a protocol deviation.
 */
export const aiAvailabilityEvents = pgTable(
  'ai_availability_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    trialId: uuid('trial_id')
      .notNull()
      .references(() => trials.id),
    /** null: the whole trial. */
    siteId: uuid('site_id').references(() => sites.id),
    action: text('action', { enum: AI_AVAILABILITY_ACTIONS }).notNull(),
    reason: text('reason').notNull(),
    signatureId: uuid('signature_id')
      .notNull()
      .references(() => electronicSignatures.id),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('ai_availability_events_trial_idx').on(t.trialId)],
);
