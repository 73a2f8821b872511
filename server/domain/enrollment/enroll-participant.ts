import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '@/db/client';
import { participants, sites } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import { loadTrial, requireDesign, requireEnrollingMode } from '../trials/load-trial';
import { assertSiteVisible, type TrialAccess } from '../trials/trial-access';

/** Pseudonymous study IDs only: upper-case letters, digits and '-', e.g. 'SA-0042'. Never a name. */
export const STUDY_ID_PATTERN = /^[A-Z0-9][A-Z0-9-]{2,31}$/;

/** Baseline covariates every participant has; stratification factor levels come on top. */
export const baselineCovariatesSchema = z.strictObject({
  age: z.number().int().min(0).max(120),
  sex: z.enum(['F', 'M']),
  scannerVendor: z.string().min(1).max(60),
  fieldStrength: z.enum(['1.5T', '3T']),
});

export const enrollParticipantInputSchema = z.strictObject({
  trialId: z.uuid(),
  siteId: z.uuid(),
  studyId: z.string().regex(STUDY_ID_PATTERN, "a pseudonymous ID: 3–32 upper-case letters, digits or '-', no names"),
  baseline: baselineCovariatesSchema,
  /** One level for each of the trial's stratification factors (the site is implied). */
  levels: z.record(z.string(), z.string()).default({}),
  eligibility: z.record(z.string(), z.boolean()),
  consentDate: z.iso.date(),
});
export type EnrollParticipantInput = z.infer<typeof enrollParticipantInputSchema>;

/**
 * Enrolls a participant at a site the caller may see. Factor levels and eligibility answers are
 * checked against the design: an unknown factor or level, or a missing answer, is refused here;
 * an ineligible but complete record is stored (it counts as assessed in CONSORT) and randomization
 * will refuse it.
 */
export async function enrollParticipant(options: { db: Database; access: TrialAccess; input: EnrollParticipantInput; actor: AuditActor; request: RequestMetadata }) {
  const { db, input, access } = options;
  assertSiteVisible(access, input.siteId, 'Site');
  return db.transaction(async (tx) => {
    const trial = await loadTrial(tx, input.trialId);
    const mode = requireEnrollingMode(trial);
    const design = requireDesign(trial);
    const [site] = await tx
      .select()
      .from(sites)
      .where(and(eq(sites.id, input.siteId), eq(sites.trialId, trial.id)));
    if (!site) throw new AppError('NOT_FOUND', 'Site not found.');

    for (const factor of design.randomization.factors) {
      const level = input.levels[factor.name];
      if (level !== undefined && !factor.levels.includes(level)) {
        throw new AppError('INVALID_INPUT', `Factor '${factor.name}' has no level '${level}'; expected one of ${factor.levels.join(', ')}.`);
      }
    }
    for (const name of Object.keys(input.levels)) {
      if (!design.randomization.factors.some((f) => f.name === name)) throw new AppError('INVALID_INPUT', `'${name}' is not a stratification factor of this trial.`);
    }
    const missingAnswers = design.eligibility.filter((c) => input.eligibility[c.id] === undefined).map((c) => c.id);
    if (missingAnswers.length) throw new AppError('INVALID_INPUT', `Eligibility answers missing for: ${missingAnswers.join(', ')}.`);
    if (input.consentDate > new Date().toISOString().slice(0, 10)) throw new AppError('INVALID_INPUT', `Consent date ${input.consentDate} is in the future.`);

    const [existing] = await tx
      .select({ id: participants.id })
      .from(participants)
      .where(and(eq(participants.trialId, trial.id), eq(participants.studyId, input.studyId)));
    if (existing) throw new AppError('ALREADY_EXISTS', `Study ID ${input.studyId} is already enrolled in this trial.`);
    const covariates = { ...input.baseline, ...input.levels };
    const [row] = await tx
      .insert(participants)
      .values({
        trialId: trial.id,
        siteId: site.id,
        mode,
        studyId: input.studyId,
        covariates,
        eligibility: input.eligibility,
        consentDate: input.consentDate,
        enrolledBy: options.actor.userId,
        protocolVersion: trial.protocolVersion,
      })
      .returning();
    if (!row) throw new Error('participant insert returned no row');
    await writeAuditEvent({
      tx,
      actor: options.actor,
      action: 'participant.enrolled',
      entityType: 'participant',
      entityId: row.id,
      trialId: trial.id,
      after: { studyId: row.studyId, site: site.code, mode, covariates, eligibility: input.eligibility, consentDate: input.consentDate, protocolVersion: trial.protocolVersion },
      request: options.request,
    });
    return row;
  });
}
