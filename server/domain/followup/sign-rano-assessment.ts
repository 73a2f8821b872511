import { and, desc, eq, notExists } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '@/db/client';
import { imagingVisits, ranoAssessments, type RanoResponseCategory } from '@/db/schema';
import type { ContentStore } from '@/imaging/storage/content-store';
import { AppError } from '../../errors';
import { writeAuditEvent, type RequestMetadata } from '../audit/write-audit-event';
import { isAiAssisted } from '../review/is-ai-assisted';
import type { ReviewCase } from '../review/load-review-case';
import { verifySignaturePassword } from '../review/verify-signature-password';
import { computeRanoSuggestion } from './compute-rano-suggestion';
import { loadParticipantVisits } from './load-participant-visits';
import { RANO_CORRECTION_SIGNATURE_MEANING, RANO_SIGNATURE_MEANING } from './rano-signature-meaning';
import { writeSignedRanoAssessment } from './write-signed-rano-assessment';

export interface SignRanoAssessmentOptions {
  readonly db: Database;
  readonly store: ContentStore;
  readonly reviewCase: ReviewCase;
  readonly signer: { readonly id: string; readonly role: string };
  readonly category: RanoResponseCategory;
  /** Why the category differs from the suggestion (required then; ignored when they agree). */
  readonly overrideReason: string | null;
  /** The signer's password, re-entered for this signature. */
  readonly password: string;
  /** Set to correct the signer's current assessment of this visit (a new linked record). */
  readonly correction?: { readonly supersedesId: string; readonly reason: string };
  readonly request: RequestMetadata;
  readonly now?: Date;
}

/**
 * Signs a clinician's RANO 2.0 response for a follow-up case, as decisions are signed: password
 * re-entered (failures count toward the lockout), then one transaction holding the visit's row lock
 * writes the signature manifest, the assessment and the audit row. On the assisted arm the
 * suggestion from the AI label maps (computeRanoSuggestion) is computed on the server, stored with
 * what it was computed from, and a different category needs a reason; on the control arm there is
 * no suggestion (its readers never see AI output) and the reader's category stands alone.
 * Signing again with the same content returns the signed record (`created: false`); different
 * content needs `correction`, which supersedes the signer's current record (kept). A current 'PD'
 * is the participant's progression event (listProgressionEvents).
 */
export async function signRanoAssessment(options: SignRanoAssessmentOptions) {
  const { db, reviewCase, request, category } = options;
  const [visit] = await db.select().from(imagingVisits).where(eq(imagingVisits.studyId, reviewCase.caseId));
  if (!visit?.scannedOn || !visit.studyId) throw new AppError('INVALID_STATE', 'This case is not assigned to an imaging visit.');
  let suggestion: { category: RanoResponseCategory; rule: string; measurements: unknown } | null = null;
  if (isAiAssisted(reviewCase.arm)) {
    const s = await computeRanoSuggestion({ db, store: options.store, reviewCase });
    const current = s.visits[s.visits.length - 1]!;
    const { lesions, lesionTrack: _track, ...summary } = current;
    suggestion = {
      category: current.category!,
      rule: current.rule!,
      measurements: {
        ...summary,
        targetLesionIds: s.targetLesionIds,
        skippedVisits: s.skipped,
        lesions: lesions.map((l) => ({
          id: l.id,
          longestDiameterMm: l.longestDiameterMm,
          perpendicularDiameterMm: l.perpendicularDiameterMm,
          productMm2: l.productMm2,
          measurable: l.measurable,
          volumeMl: l.volumeMl,
          target: l.target,
        })),
      },
    };
  } else {
    const visits = await loadParticipantVisits({ db, trialId: reviewCase.trialId, participantId: reviewCase.participantId });
    if (visits.findIndex((v) => v.studyId === reviewCase.caseId) < 1) throw new AppError('INVALID_STATE', 'This case is not a follow-up visit: RANO compares a follow-up with its baseline.');
  }
  const reason = options.overrideReason?.trim() || null;
  if (suggestion && category !== suggestion.category && !reason) throw new AppError('INVALID_INPUT', `Give a reason for ${category} instead of the suggested ${suggestion.category}.`);
  const overrideReason = suggestion && category === suggestion.category ? null : reason;
  const signer = await verifySignaturePassword({ db, userId: options.signer.id, password: options.password, entityId: reviewCase.caseId, trialId: reviewCase.trialId, request, now: options.now });
  const now = options.now ?? new Date();

  return db.transaction(async (tx) => {
    await tx.select({ id: imagingVisits.id }).from(imagingVisits).where(eq(imagingVisits.id, visit.id)).for('update');
    const later = alias(ranoAssessments, 'later');
    const [current] = await tx
      .select()
      .from(ranoAssessments)
      .where(
        and(eq(ranoAssessments.visitId, visit.id), eq(ranoAssessments.reviewerId, signer.id), notExists(tx.select({ id: later.id }).from(later).where(eq(later.supersedesId, ranoAssessments.id)))),
      )
      .orderBy(desc(ranoAssessments.createdAt))
      .limit(1);
    if (options.correction) {
      if (current?.id !== options.correction.supersedesId) throw new AppError('INVALID_STATE', 'Only your current signed assessment of this visit can be corrected.');
    } else if (current) {
      if (current.category === category && (current.overrideReason ?? null) === overrideReason) return { assessment: current, created: false };
      throw new AppError('INVALID_STATE', 'This visit is already assessed. A signed assessment cannot be changed: submit a correction instead.');
    }
    const written = await writeSignedRanoAssessment({
      tx,
      visit: { id: visit.id, trialId: visit.trialId, participantId: visit.participantId, studyId: visit.studyId!, scannedOn: visit.scannedOn! },
      signer,
      suggestion,
      category,
      overrideReason,
      meaning: options.correction ? RANO_CORRECTION_SIGNATURE_MEANING : RANO_SIGNATURE_MEANING,
      signedAt: now,
      supersedes: options.correction ? { id: options.correction.supersedesId, reason: options.correction.reason } : undefined,
    });
    await writeAuditEvent({
      tx,
      actor: { userId: signer.id, role: signer.role },
      action: options.correction ? 'followup.rano_corrected' : 'followup.rano_signed',
      entityType: 'rano_assessment',
      entityId: written.assessment.id,
      trialId: reviewCase.trialId,
      before: current && options.correction ? { id: current.id, category: current.category } : undefined,
      after: {
        caseId: reviewCase.caseId,
        participantId: reviewCase.participantId,
        visitCode: visit.visitCode,
        scanDate: visit.scannedOn,
        suggestedCategory: suggestion?.category ?? null,
        category,
        overrideReason,
        correctionReason: options.correction?.reason ?? null,
        signatureId: written.signature.id,
        signerName: written.signature.signerName,
        meaning: written.signature.meaning,
        contentSha256: written.signature.contentSha256,
        signedAt: now.toISOString(),
      },
      request,
    });
    return { assessment: written.assessment, created: true };
  });
}
