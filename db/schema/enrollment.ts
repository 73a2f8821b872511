import { bigserial, boolean, customType, date, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { sites, trials } from './trials';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/** Test allocations exercise a trial before it goes live; going live deletes them. */
export const TRIAL_MODES = ['test', 'live'] as const;
export type TrialMode = (typeof TRIAL_MODES)[number];

/**
 * A randomization design simulation run from the design page before go-live (simulateRandomization:
 * Monte Carlo of the configured method at the target size). Runs are kept (audited); going live links
 * the latest run on the committed parameters to the live commitment, so the committed design carries
 * the evidence it was chosen on. Reveals no allocation: it simulates fresh seeds.
 */
export const randomizationSimulations = pgTable(
  'randomization_simulations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    trialId: uuid('trial_id')
      .notNull()
      .references(() => trials.id),
    /** SHA-256 of the canonical JSON of the randomization parameters and site codes simulated: go-live links a run only to the design it simulated. */
    designHash: text('design_hash').notNull(),
    /** What was simulated: participants per trial, replicates, the site codes and the randomization parameters. */
    settings: jsonb('settings').notNull(),
    /** Names the simulation's random streams (not an allocation seed): the run can be repeated exactly. */
    seed: text('seed').notNull(),
    /** The figures (simulateRandomization's result): imbalance distributions, guess probability, selection bias. */
    result: jsonb('result').notNull(),
    /** SHA-256 of the canonical JSON of the result, named in the audit rows of the run and of go-live. */
    resultSha256: text('result_sha256').notNull(),
    runBy: uuid('run_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('randomization_simulations_trial_idx').on(t.trialId, t.createdAt)],
);

/**
 * The randomization seed of a trial, one per mode and randomization period. Kept in its own table
 * that no API procedure reads: coordinators can never see it. A statistician re-derives allocations
 * with `segtrial randomization replay`, which reads it directly from the database. A live trial
 * starts in period 1; a signed protocol amendment that changes the randomization parameters opens
 * the next period under a new seed and a newly published commitment to those parameters.
 */
export const randomizationSecrets = pgTable(
  'randomization_secrets',
  {
    trialId: uuid('trial_id')
      .notNull()
      .references(() => trials.id),
    mode: text('mode', { enum: TRIAL_MODES }).notNull(),
    /** 1 from the start of the mode; each amendment of the randomization parameters opens the next. */
    period: integer('period').notNull().default(1),
    seed: bytea('seed').notNull(),
    algorithmVersion: text('algorithm_version').notNull(),
    /** The randomization parameters committed to (parsed), which allocations of this period use. */
    parameters: jsonb('parameters').notNull(),
    /** SHA-256 of seed + parameters + version, published when the mode (or period) started. */
    commitmentHash: text('commitment_hash').notNull(),
    /** The design simulation the live commitment was chosen on (the latest run on these parameters before go-live); null when none was run. */
    simulationId: uuid('simulation_id').references(() => randomizationSimulations.id),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [unique('randomization_secrets_trial_mode_period_uq').on(t.trialId, t.mode, t.period)],
);

export const PARTICIPANT_STATUSES = ['enrolled', 'randomized', 'excluded'] as const;
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];

/** A patient in a trial, known only by a pseudonymous study ID. */
export const participants = pgTable(
  'participants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    trialId: uuid('trial_id')
      .notNull()
      .references(() => trials.id),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id),
    mode: text('mode', { enum: TRIAL_MODES }).notNull(),
    studyId: text('study_id').notNull(),
    /** Baseline covariates: age, sex, scanner vendor, field strength, and every stratification factor level. */
    covariates: jsonb('covariates').$type<Record<string, string | number>>().notNull(),
    /** Eligibility checklist answers: criterion id → true (met) / false (not met). */
    eligibility: jsonb('eligibility').$type<Record<string, boolean>>().notNull(),
    consentDate: date('consent_date', { mode: 'string' }),
    status: text('status', { enum: PARTICIPANT_STATUSES }).notNull().default('enrolled'),
    /** Why a participant was excluded before randomization: a category of EXCLUSION_REASONS (CONSORT). */
    exclusionReason: text('exclusion_reason'),
    exclusionNote: text('exclusion_note'),
    enrolledAt: timestamp('enrolled_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    enrolledBy: uuid('enrolled_by').references(() => users.id),
    /** The protocol version in force when the participant was enrolled (trials.protocol_version). */
    protocolVersion: integer('protocol_version').notNull().default(1),
  },
  (t) => [unique('participants_trial_study_uq').on(t.trialId, t.studyId), index('participants_trial_site_idx').on(t.trialId, t.siteId)],
);

/**
 * Serialization point of randomization: one row per stratum (permuted blocks) or one per trial
 * and mode (minimization, stratum_key '*'). Randomizing locks this row FOR UPDATE, reads
 * `allocated`, and increments it in the same transaction.
 */
export const randomizationStrata = pgTable(
  'randomization_strata',
  {
    trialId: uuid('trial_id')
      .notNull()
      .references(() => trials.id),
    mode: text('mode', { enum: TRIAL_MODES }).notNull(),
    /** The randomization period: a new period starts its blocks (and minimization counts) afresh. */
    period: integer('period').notNull().default(1),
    stratumKey: text('stratum_key').notNull(),
    allocated: integer('allocated').notNull().default(0),
  },
  (t) => [unique('randomization_strata_period_pk').on(t.trialId, t.mode, t.period, t.stratumKey)],
);

/** One per randomized participant, never changed. The unique keys make a double allocation impossible. */
export const allocations = pgTable(
  'allocations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    participantId: uuid('participant_id')
      .notNull()
      .unique('allocations_participant_uq')
      .references(() => participants.id),
    trialId: uuid('trial_id')
      .notNull()
      .references(() => trials.id),
    mode: text('mode', { enum: TRIAL_MODES }).notNull(),
    /** The randomization period whose seed and parameters made this allocation. */
    period: integer('period').notNull().default(1),
    stratumKey: text('stratum_key').notNull(),
    /** Index within the serialization row: the stratum (blocks) or the whole trial (minimization). */
    slotIndex: integer('slot_index').notNull(),
    arm: text('arm').notNull(),
    algorithmVersion: text('algorithm_version').notNull(),
    /** The engine's full result (block size, position, draw, imbalance scores). */
    provenance: jsonb('provenance').notNull(),
    allocatedAt: timestamp('allocated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    allocatedBy: uuid('allocated_by').references(() => users.id),
  },
  (t) => [unique('allocations_period_slot_uq').on(t.trialId, t.mode, t.period, t.stratumKey, t.slotIndex), index('allocations_trial_idx').on(t.trialId, t.mode)],
);

export const PARTICIPANT_EVENT_KINDS = ['withdrawn', 'lost_to_follow_up', 'protocol_deviation'] as const;
export type ParticipantEventKind = (typeof PARTICIPANT_EVENT_KINDS)[number];

/** Reason categories per event kind, as the CONSORT diagram lists them. */
export const EVENT_REASONS = {
  withdrawn: { withdrew_consent: 'Withdrew consent', adverse_event: 'Adverse event', physician_decision: 'Physician decision', other: 'Other' },
  lost_to_follow_up: { no_contact: 'Could not be contacted', moved: 'Moved away', died: 'Died', other: 'Other' },
  protocol_deviation: { wrong_arm_received: 'Did not receive allocated review', incomplete_imaging: 'Incomplete imaging', ai_unavailable: 'AI unavailable (suspended)', other: 'Other' },
} as const satisfies Record<ParticipantEventKind, Record<string, string>>;

/** Reasons for exclusion before randomization (CONSORT "Excluded"). */
export const EXCLUSION_REASONS = {
  not_eligible: 'Not meeting eligibility criteria',
  declined: 'Declined to participate',
  other: 'Other reasons',
} as const;
export type ExclusionReason = keyof typeof EXCLUSION_REASONS;

/** Withdrawals, losses to follow-up and protocol deviations, with reasons (they feed CONSORT). */
export const participantEvents = pgTable(
  'participant_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => participants.id),
    trialId: uuid('trial_id')
      .notNull()
      .references(() => trials.id),
    kind: text('kind', { enum: PARTICIPANT_EVENT_KINDS }).notNull(),
    /** A reason category of the kind (see EVENT_REASONS), so CONSORT can list every reason, n = 0 too. */
    reason: text('reason').notNull(),
    note: text('note'),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    recordedBy: uuid('recorded_by').references(() => users.id),
  },
  (t) => [index('participant_events_participant_idx').on(t.participantId)],
);

/** Emergency unblinding: who learned which participant's arm, when and why. Visible to monitors. */
export const unblindings = pgTable('unblindings', {
  id: uuid('id').primaryKey().defaultRandom(),
  participantId: uuid('participant_id')
    .notNull()
    .references(() => participants.id),
  trialId: uuid('trial_id')
    .notNull()
    .references(() => trials.id),
  reason: text('reason').notNull(),
  unblindedBy: uuid('unblinded_by')
    .notNull()
    .references(() => users.id),
  unblindedAt: timestamp('unblinded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  acknowledgedByMonitor: boolean('acknowledged_by_monitor').notNull().default(false),
});
