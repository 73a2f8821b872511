import { z } from 'zod';
import type { Database } from '@/db/client';
import { DSMB_RECOMMENDATIONS, dsmbRecommendations, electronicSignatures } from '@/db/schema';
import { AppError } from '../../errors';
import type { LockedAnalysisPlan } from '../analysis-plan/load-analysis-plan';
import { writeAuditEvent, type RequestMetadata } from '../audit/write-audit-event';
import { signedContentSha256 } from '../review/signature-meaning';
import { verifySignaturePassword } from '../review/verify-signature-password';

export const DSMB_SIGNATURE_MEANING =
  'On behalf of the data monitoring committee I record this recommendation after reviewing the closed interim report named here. By signing I confirm it as attributable to me; it cannot be changed, only followed by a later recommendation.';

export const dsmbRecommendationInputSchema = z.object({
  look: z.number().int().min(1).max(20),
  recommendation: z.enum(DSMB_RECOMMENDATIONS),
  rationale: z.string().trim().min(10).max(4000),
  /** The SHA-256 of the closed report the committee read (as shown with it). */
  reportSha256: z.string().regex(/^[0-9a-f]{64}$/),
  password: z.string().min(1).max(1000),
});
export type DsmbRecommendationInput = z.infer<typeof dsmbRecommendationInputSchema>;

/**
 * Records a signed DSMB recommendation. It is bound to the closed report the member read: when the
 * data changed since (the report's hash is no longer the current one), it is refused so that a
 * recommendation never names a report nobody saw. Password re-entered; signature, row and audit
 * event in one transaction.
 */
export async function recordDsmbRecommendation({
  db,
  trialId,
  plan,
  currentReportSha256,
  input,
  signer,
  request,
}: {
  db: Database;
  trialId: string;
  plan: LockedAnalysisPlan;
  currentReportSha256: string;
  input: DsmbRecommendationInput;
  signer: { id: string; role: string };
  request: RequestMetadata;
}) {
  if (input.reportSha256 !== currentReportSha256) {
    throw new AppError('INVALID_STATE', 'The closed report changed since it was opened (new data): reload it and review it before recording a recommendation.', {
      field: 'reportSha256',
      found: input.reportSha256,
      expected: currentReportSha256,
    });
  }
  const user = await verifySignaturePassword({ db, userId: signer.id, password: input.password, entityId: trialId, trialId, request });
  const now = new Date();
  const content = {
    trialId,
    look: input.look,
    recommendation: input.recommendation,
    rationale: input.rationale,
    reportSha256: input.reportSha256,
    analysisPlan: { version: plan.version, contentSha256: plan.contentSha256 },
  };
  return db.transaction(async (tx) => {
    const [signature] = await tx
      .insert(electronicSignatures)
      .values({ signerId: user.id, signerName: user.displayName, signerUsername: user.username, meaning: DSMB_SIGNATURE_MEANING, contentSha256: signedContentSha256(content), signedAt: now })
      .returning();
    const [row] = await tx
      .insert(dsmbRecommendations)
      .values({
        trialId,
        look: input.look,
        recommendation: input.recommendation,
        rationale: input.rationale,
        analysisPlanId: plan.id,
        reportSha256: input.reportSha256,
        signatureId: signature!.id,
        recordedBy: user.id,
        recordedAt: now,
      })
      .returning();
    await writeAuditEvent({
      tx,
      actor: { userId: user.id, role: user.role },
      action: 'dsmb.recommendation_recorded',
      entityType: 'dsmb_recommendation',
      entityId: row!.id,
      trialId,
      after: { ...content, signatureId: signature!.id, signerName: user.displayName, meaning: DSMB_SIGNATURE_MEANING },
      request,
    });
    return { id: row!.id, recordedAt: now.toISOString() };
  });
}
