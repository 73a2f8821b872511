import type { Tx } from '@/db/client';
import { ranoAssessments, type RanoResponseCategory } from '@/db/schema';
import { writeElectronicSignature } from '../review/write-electronic-signature';

export interface WriteSignedRanoAssessmentOptions {
  readonly tx: Tx;
  readonly visit: { readonly id: string; readonly trialId: string; readonly participantId: string; readonly studyId: string; readonly scannedOn: string };
  readonly signer: { readonly id: string; readonly displayName: string; readonly username: string };
  readonly suggestion: { readonly category: RanoResponseCategory; readonly rule: string; readonly measurements: unknown } | null;
  readonly category: RanoResponseCategory;
  readonly overrideReason: string | null;
  readonly meaning: string;
  readonly signedAt: Date;
  readonly supersedes?: { readonly id: string; readonly reason: string };
}

/**
 * Inserts a signature manifest and the RANO assessment it signs, inside the caller's transaction;
 * the content hash covers the visit, the suggestion and measurements the reader saw, the category,
 * the override reason, the record corrected, the signer, the meaning and the time (canonical JSON),
 * as clinical decisions are signed (server/domain/review/write-signed-decision.ts).
 */
export async function writeSignedRanoAssessment(options: WriteSignedRanoAssessmentOptions) {
  const { tx, visit, signer, suggestion } = options;
  const signature = await writeElectronicSignature({
    tx,
    signer,
    meaning: options.meaning,
    signedAt: options.signedAt,
    content: {
      visitId: visit.id,
      studyId: visit.studyId,
      scanDate: visit.scannedOn,
      suggestion,
      category: options.category,
      overrideReason: options.overrideReason,
      supersedesId: options.supersedes?.id ?? null,
      correctionReason: options.supersedes?.reason ?? null,
    },
  });
  const [row] = await tx
    .insert(ranoAssessments)
    .values({
      trialId: visit.trialId,
      participantId: visit.participantId,
      visitId: visit.id,
      studyId: visit.studyId,
      reviewerId: signer.id,
      scanDate: visit.scannedOn,
      suggestedCategory: suggestion?.category ?? null,
      suggestedRule: suggestion?.rule ?? null,
      measurements: suggestion?.measurements ?? null,
      category: options.category,
      overrideReason: options.overrideReason,
      signatureId: signature.id,
      supersedesId: options.supersedes?.id ?? null,
      correctionReason: options.supersedes?.reason ?? null,
      createdAt: options.signedAt,
    })
    .returning();
  return { assessment: row!, signature };
}
