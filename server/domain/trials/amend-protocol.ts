import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database, DbOrTx } from '@/db/client';
import { models, protocolAmendments, randomizationSecrets, segmentations, sites, studies, trials } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type RequestMetadata } from '../audit/write-audit-event';
import { canonicalJson } from '../randomization/canonical-json';
import { writeElectronicSignature } from '../review/write-electronic-signature';
import { verifySignaturePassword } from '../review/verify-signature-password';
import { loadTrial, requireDesign } from './load-trial';
import { commitSeed } from './start-randomization-mode';
import { parseTrialDesign, type TrialDesign } from './trial-design';

export const AMENDMENT_SIGNATURE_MEANING =
  'I approve this protocol amendment as stated, effective on the date given. By signing I confirm it as attributable to me; it cannot be changed, only followed by a further amendment.';

export interface AmendProtocolOptions {
  readonly db: Database;
  readonly trialId: string;
  /** The whole design in force from `effectiveOn` (eligibility, target size, visits, edit checks…). */
  readonly design: unknown;
  readonly summary: string;
  readonly effectiveOn: string;
  /** Sites to add to the trial with this amendment. */
  readonly newSites?: readonly { readonly code: string; readonly name: string; readonly isExternal?: boolean }[];
  /**
   * Oversight's controlled model change: pin this model version for the cases ingested from now on
   * (each study keeps the version it was assigned). Only after it has run in shadow on the trial's studies.
   */
  readonly switchModelTo?: string;
  readonly password: string;
  readonly signer: { readonly id: string; readonly role: string };
  readonly request: RequestMetadata;
}

/**
 * A signed, dated, versioned amendment of a live trial's protocol: the design in force changes
 * (eligibility, target size, visits, edit checks, arm visibility) and sites may be added. Changed
 * randomization parameters (ratio, block sizes, minimization settings) only take effect through a
 * new published commitment made in the same transaction: a new secret seed opens the next
 * randomization period, and the signed content carries its commitment hash. Participants enrolled
 * afterwards record the new protocol version.
 */
export async function amendProtocol(options: AmendProtocolOptions) {
  const { db, request } = options;
  const summary = options.summary.trim();
  if (summary.length < 10) throw new AppError('INVALID_INPUT', 'Summarise the amendment (at least 10 characters).', { field: 'summary' });
  const design = parseTrialDesign(options.design);
  const signer = await verifySignaturePassword({ db, userId: options.signer.id, password: options.password, entityId: options.trialId, trialId: options.trialId, request });
  return db.transaction(async (tx) => {
    const trial = await loadTrial(tx, options.trialId, { forUpdate: true });
    if (trial.status !== 'live') throw new AppError('INVALID_STATE', `Only a live trial is amended; a trial in ${trial.status} changes its design directly.`);
    const previous = requireDesign(trial);
    const version = trial.protocolVersion + 1;
    // Changed randomization parameters are committed to anew: a new seed and a published commitment
    // open the next randomization period, in this transaction and under this signature.
    const newPeriod = canonicalJson(previous.randomization) === canonicalJson(design.randomization) ? null : await nextRandomizationPeriod(tx, trial.id, previous, design);
    const commitment = newPeriod ? { period: newPeriod, commitmentHash: await commitSeed(tx, trial.id, 'live', design.randomization, newPeriod) } : null;
    const modelSwitch = options.switchModelTo ? await modelSwitchOf(tx, trial.id, trial.pinnedModelId, options.switchModelTo) : null;
    const signedAt = new Date();
    const signature = await writeElectronicSignature({
      tx,
      signer,
      meaning: AMENDMENT_SIGNATURE_MEANING,
      signedAt,
      content: {
        trialId: trial.id,
        version,
        summary,
        effectiveOn: options.effectiveOn,
        design,
        newSites: options.newSites ?? [],
        // Signed with the amendment only when it opens a randomization period (older contents hash as before).
        ...(commitment ? { randomizationCommitment: commitment } : {}),
        ...(modelSwitch ? { modelSwitch } : {}),
      },
    });
    for (const site of options.newSites ?? []) {
      const [taken] = await tx
        .select({ id: sites.id })
        .from(sites)
        .where(and(eq(sites.trialId, trial.id), eq(sites.code, site.code)));
      if (taken) throw new AppError('ALREADY_EXISTS', `Site code '${site.code}' is already in this trial.`);
      await tx.insert(sites).values({ trialId: trial.id, code: site.code, name: site.name, isExternal: site.isExternal ?? false });
    }
    const [amendment] = await tx
      .insert(protocolAmendments)
      .values({ trialId: trial.id, version, summary, previousDesign: trial.design!, design, effectiveOn: options.effectiveOn, signatureId: signature.id, createdBy: signer.id })
      .returning();
    await tx
      .update(trials)
      .set({ design, protocolVersion: version, ...(modelSwitch ? { pinnedModelId: modelSwitch.to.id } : {}) })
      .where(eq(trials.id, trial.id));
    await writeAuditEvent({
      tx,
      actor: { userId: signer.id, role: signer.role },
      action: 'protocol.amended',
      entityType: 'trial',
      entityId: trial.id,
      trialId: trial.id,
      before: { protocolVersion: trial.protocolVersion, design: trial.design },
      after: {
        protocolVersion: version,
        amendmentId: amendment!.id,
        summary,
        effectiveOn: options.effectiveOn,
        design,
        newSites: options.newSites ?? [],
        ...(commitment ? { randomizationPeriod: commitment.period, commitmentHash: commitment.commitmentHash } : {}),
        ...(modelSwitch ? { modelSwitch } : {}),
        signatureId: signature.id,
        signerName: signer.displayName,
        meaning: AMENDMENT_SIGNATURE_MEANING,
        contentSha256: signature.contentSha256,
        reason: summary,
      },
      request,
    });
    return { id: amendment!.id, version, effectiveOn: options.effectiveOn, randomizationPeriod: commitment?.period ?? null, commitmentHash: commitment?.commitmentHash ?? null, modelSwitch };
  });
}

/**
 * The pinned model and the candidate an amendment switches to, as signed: name, version and weights
 * hash of each. Refused (INVALID_STATE) for the pinned model itself, before go-live pinned one, or for a
 * version that has not run in shadow on any of the trial's studies (oversight's comparison comes first).
 */
async function modelSwitchOf(tx: DbOrTx, trialId: string, pinnedModelId: string | null, modelId: string) {
  if (!pinnedModelId) throw new AppError('INVALID_STATE', 'The trial has not pinned a model yet: there is nothing to switch from.');
  const describe = async (id: string) => {
    const [model] = await tx.select({ id: models.id, name: models.name, version: models.version, sha256: models.sha256 }).from(models).where(eq(models.id, id));
    if (!model) throw new AppError('NOT_FOUND', 'Model not found.');
    return model;
  };
  const [from, to] = [await describe(pinnedModelId), await describe(modelId)];
  if (to.id === from.id) throw new AppError('INVALID_STATE', `${to.name} ${to.version} is already the trial's pinned model.`);
  const [shadow] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(segmentations)
    .innerJoin(studies, eq(studies.id, segmentations.studyId))
    .where(and(eq(studies.trialId, trialId), eq(segmentations.modelId, to.id)));
  if (!shadow?.count)
    throw new AppError('INVALID_STATE', `${to.name} ${to.version} has not run in shadow on this trial's studies: start its shadow evaluation and compare it with the pinned model first.`);
  return { from, to, shadowResults: shadow.count };
}

/**
 * The period an amendment of the randomization parameters opens. Allocation ratios, block sizes and
 * minimization settings may change; the arms, the method and the stratification factors may not:
 * every allocation already made, and the analysis by arm and stratum, refer to them.
 */
async function nextRandomizationPeriod(tx: DbOrTx, trialId: string, previous: TrialDesign, design: TrialDesign): Promise<number> {
  const before = previous.randomization;
  const after = design.randomization;
  const fixed: [string, unknown, unknown][] = [
    ['arms', before.arms.map((a) => [a.key, a.label]), after.arms.map((a) => [a.key, a.label])],
    ['method', before.method, after.method],
    ['factors', before.factors, after.factors],
  ];
  for (const [field, a, b] of fixed) {
    if (canonicalJson(a) !== canonicalJson(b))
      throw new AppError(
        'INVALID_STATE',
        `An amendment may change the allocation ratio, block sizes or minimization settings under a new commitment, not the randomization ${field}: allocations already made refer to them.`,
        { field: `randomization.${field}` },
      );
  }
  const [latest] = await tx
    .select({ period: randomizationSecrets.period })
    .from(randomizationSecrets)
    .where(and(eq(randomizationSecrets.trialId, trialId), eq(randomizationSecrets.mode, 'live')))
    .orderBy(desc(randomizationSecrets.period))
    .limit(1);
  if (!latest) throw new AppError('INVALID_STATE', 'The trial has no live randomization commitment to follow.');
  return latest.period + 1;
}
