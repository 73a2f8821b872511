import { boolean, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts';

export const TRIAL_STATUSES = ['design', 'test', 'live', 'closed'] as const;
export type TrialStatus = (typeof TRIAL_STATUSES)[number];

export const trials = pgTable('trials', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  status: text('status', { enum: TRIAL_STATUSES }).notNull().default('design'),
  /**
   * Arms, randomization method and factors, eligibility checklist, target size, who sees arms
   * (server/domain/trials/trial-design.ts validates it). Frozen once the trial is live.
   */
  design: jsonb('design'),
  /** The model version the trial pinned when it went live (models.id); null before. */
  pinnedModelId: uuid('pinned_model_id'),
  /** When the design was frozen (going live). */
  liveAt: timestamp('live_at', { withTimezone: true, mode: 'date' }),
  /** The protocol version in force: 1 at go-live, +1 per signed amendment (protocol_amendments). */
  protocolVersion: integer('protocol_version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

export const sites = pgTable(
  'sites',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    trialId: uuid('trial_id')
      .notNull()
      .references(() => trials.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** A site whose data the model was not developed on: used for external validation. */
    isExternal: boolean('is_external').notNull().default(false),
  },
  (t) => [unique('sites_trial_code_uq').on(t.trialId, t.code)],
);

/**
 * Access to a trial, optionally narrowed to one site. `siteId` null means every site of the trial
 * (e.g. a statistician or monitor); a clinician or coordinator normally has one row per site.
 */
export const memberships = pgTable(
  'memberships',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    trialId: uuid('trial_id')
      .notNull()
      .references(() => trials.id),
    siteId: uuid('site_id').references(() => sites.id),
    /**
     * Per-trial blinding variant of the user's role: 'blinded' sees no arm anywhere, 'unblinded' sees
     * allocations; null keeps the role's default (server/domain/enrollment/arm-visibility.ts).
     */
    armAccess: text('arm_access', { enum: ['blinded', 'unblinded'] }),
    /** The right to randomize (coordinators), separate from the right to see allocations. */
    mayRandomize: boolean('may_randomize').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [unique('memberships_user_trial_site_uq').on(t.userId, t.trialId, t.siteId).nullsNotDistinct()],
);
