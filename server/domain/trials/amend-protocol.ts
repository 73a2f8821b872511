import { and, eq } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { protocolAmendments, sites, trials } from '../../../db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type RequestMetadata } from '../audit/write-audit-event';
import { canonicalJson } from '../randomization/canonical-json';
import { writeElectronicSignature } from '../review/write-electronic-signature';
import { verifySignaturePassword } from '../review/verify-signature-password';
import { loadTrial, requireDesign } from './load-trial';
import { parseTrialDesign } from './trial-design';

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
  readonly password: string;
  readonly signer: { readonly id: string; readonly role: string };
  readonly request: RequestMetadata;
}

/**
 * A signed, dated, versioned amendment of a live trial's protocol: the design in force changes
 * (eligibility, target size, visits, edit checks, arm visibility) and sites may be added. The
 * randomization parameters are not amendable here: they are bound to the published commitment, and
 * changing them needs a new commitment, which this version does not offer (refused, with a reason).
 * Participants enrolled afterwards record the new version.
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
    if (canonicalJson(previous.randomization) !== canonicalJson(design.randomization)) {
      throw new AppError('INVALID_STATE', 'The randomization parameters are bound to the published commitment: an amendment cannot change them (that needs a new commitment).', {
        field: 'randomization',
      });
    }
    const version = trial.protocolVersion + 1;
    const signedAt = new Date();
    const signature = await writeElectronicSignature({
      tx,
      signer,
      meaning: AMENDMENT_SIGNATURE_MEANING,
      signedAt,
      content: { trialId: trial.id, version, summary, effectiveOn: options.effectiveOn, design, newSites: options.newSites ?? [] },
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
    await tx.update(trials).set({ design, protocolVersion: version }).where(eq(trials.id, trial.id));
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
        signatureId: signature.id,
        signerName: signer.displayName,
        meaning: AMENDMENT_SIGNATURE_MEANING,
        contentSha256: signature.contentSha256,
        reason: summary,
      },
      request,
    });
    return { id: amendment!.id, version, effectiveOn: options.effectiveOn };
  });
}
