import { boolean, index, integer, jsonb, pgTable, real, text, timestamp, unique, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { participants } from './enrollment';
import { sites, trials } from './trials';

export const SEQUENCE_ROLES = ['flair', 't1', 't1gd', 't2'] as const;
export type SequenceRole = (typeof SEQUENCE_ROLES)[number];

/**
 * An MRI study of a participant: four sequences validated, de-identified and co-registered to the
 * T1gd grid. Volumes live in the content-addressed store (SEGTRIAL_STORAGE_ROOT) under their SHA-256;
 * the database holds hashes and metadata only.
 */
export const studies = pgTable(
  'studies',
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
    /** The common grid (dims, spacing, affine) of the registered sequences. */
    grid: jsonb('grid').notNull(),
    /** Transforms, quality figures and flags of the co-registration. */
    registration: jsonb('registration').notNull(),
    /** What de-identification did, per file. */
    deidentification: jsonb('deidentification').notNull(),
    /**
     * Brain extraction: method, version, settings, input kind (head or skull-stripped), mask voxels and
     * the brain mask's hash in the store (the model's crop and z-score use it); null for studies
     * ingested before it existed. Also the layout the files came in and which file went to which sequence.
     */
    preprocessing: jsonb('preprocessing'),
    ingestedAt: timestamp('ingested_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    ingestedBy: uuid('ingested_by').references(() => users.id),
    /**
     * The model version this study's AI result comes from: the trial's pinned model when it was
     * ingested. A later model switch (a signed amendment) leaves it: old cases keep their version.
     * Null for studies ingested before it was recorded (the trial's pinned model then).
     */
    modelId: uuid('model_id').references((): AnyPgColumn => models.id),
  },
  (t) => [index('studies_participant_idx').on(t.participantId)],
);

export const studyVolumes = pgTable(
  'study_volumes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    studyId: uuid('study_id')
      .notNull()
      .references(() => studies.id),
    role: text('role', { enum: SEQUENCE_ROLES }).notNull(),
    /** The registered volume on the study grid (NIfTI in the store). */
    sha256: text('sha256').notNull(),
    /** The de-identified upload as received. */
    originalSha256: text('original_sha256').notNull(),
    originalName: text('original_name').notNull(),
    header: jsonb('header').notNull(),
  },
  (t) => [unique('study_volumes_role_uq').on(t.studyId, t.role)],
);

/** Registered segmentation models; the shipped default is registered on first start. */
export const models = pgTable(
  'models',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    version: text('version').notNull(),
    /** SHA-256 of the ONNX file; the file itself is in the store under this hash. */
    sha256: text('sha256').notNull(),
    card: jsonb('card').notNull(),
    isDefault: boolean('is_default').notNull().default(false),
    registeredAt: timestamp('registered_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    registeredBy: uuid('registered_by').references(() => users.id),
  },
  (t) => [unique('models_name_version_uq').on(t.name, t.version)],
);

/**
 * One AI segmentation per study and model version (the unique key makes a retried job idempotent).
 * `blinded` results (control arm, shadow mode) are stored for evaluation and never served to
 * control-arm clinicians.
 */
export const segmentations = pgTable(
  'segmentations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    studyId: uuid('study_id')
      .notNull()
      .references(() => studies.id),
    modelId: uuid('model_id')
      .notNull()
      .references(() => models.id),
    labelsSha256: text('labels_sha256').notNull(),
    volumesMl: jsonb('volumes_ml').notNull(),
    /** Model version and hash, input hashes, runtime, execution provider, patch, step, TTA, timings. */
    provenance: jsonb('provenance').notNull(),
    blinded: boolean('blinded').notNull(),
    tiles: integer('tiles').notNull(),
    /** The model's probability of a high-grade tumour, from the segmented volumes (the card's risk model); null without one. */
    riskHighGrade: real('risk_high_grade'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [unique('segmentations_study_model_uq').on(t.studyId, t.modelId)],
);
