import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { caseReviews, models, pacsStudySources, participants, segmentationReviews, segmentations, studies, users } from '@/db/schema';
import { aiResultMayLeave } from './build-result-objects';

export interface ExportableResult {
  readonly source: { readonly kind: 'ai'; readonly segmentationId: string } | { readonly kind: 'clinician'; readonly segmentationReviewId: string };
  /** 'AI: model version' or the clinician's name. */
  readonly author: string;
  readonly createdAt: Date;
  /** False for an AI result that stays on the platform while the trial is blinded (RESULT_WITHHELD). */
  readonly mayLeave: boolean;
}

export interface ExportableStudy {
  readonly studyId: string;
  readonly participantStudyId: string;
  readonly studyInstanceUid: string;
  readonly retrievedAt: Date;
  readonly results: readonly ExportableResult[];
}

/**
 * The trial's studies that came from the PACS (only they have DICOM series for a SEG to reference)
 * with the results that can go out as DICOM SEG + SR: each AI segmentation, and each clinician's
 * edited segmentation of a signed review. An AI result that may not leave while the trial is
 * blinded is listed as withheld, so the page can say why there is no button; callers check that the
 * user sees allocations (exportResult's rule) before calling this.
 */
export async function listExportableResults({ db, trialId }: { db: DbOrTx; trialId: string }): Promise<ExportableStudy[]> {
  const linked = await db
    .select({
      studyId: studies.id,
      participantId: studies.participantId,
      participantStudyId: participants.studyId,
      studyInstanceUid: pacsStudySources.studyInstanceUid,
      retrievedAt: pacsStudySources.retrievedAt,
    })
    .from(pacsStudySources)
    .innerJoin(studies, eq(studies.id, pacsStudySources.studyId))
    .innerJoin(participants, eq(participants.id, studies.participantId))
    .where(eq(studies.trialId, trialId))
    .orderBy(pacsStudySources.retrievedAt);
  if (linked.length === 0) return [];
  const ids = linked.map((s) => s.studyId);
  const ai = await db
    .select({ id: segmentations.id, studyId: segmentations.studyId, name: models.name, version: models.version, createdAt: segmentations.createdAt })
    .from(segmentations)
    .innerJoin(models, eq(models.id, segmentations.modelId))
    .where(inArray(segmentations.studyId, ids))
    .orderBy(segmentations.createdAt);
  const edited = await db
    .select({ id: segmentationReviews.id, studyId: caseReviews.studyId, by: users.displayName, recordedAt: segmentationReviews.recordedAt })
    .from(segmentationReviews)
    .innerJoin(caseReviews, eq(caseReviews.id, segmentationReviews.caseReviewId))
    .innerJoin(users, eq(users.id, segmentationReviews.recordedBy))
    .where(and(inArray(caseReviews.studyId, ids), isNotNull(segmentationReviews.editedLabelsSha256), isNotNull(caseReviews.signedAt)))
    .orderBy(segmentationReviews.recordedAt);
  const out: ExportableStudy[] = [];
  for (const s of linked) {
    const mayLeave = await aiResultMayLeave(db, s.participantId, trialId);
    out.push({
      studyId: s.studyId,
      participantStudyId: s.participantStudyId,
      studyInstanceUid: s.studyInstanceUid,
      retrievedAt: s.retrievedAt,
      results: [
        ...ai.filter((r) => r.studyId === s.studyId).map((r) => ({ source: { kind: 'ai' as const, segmentationId: r.id }, author: `AI: ${r.name} ${r.version}`, createdAt: r.createdAt, mayLeave })),
        ...edited.filter((r) => r.studyId === s.studyId).map((r) => ({ source: { kind: 'clinician' as const, segmentationReviewId: r.id }, author: r.by, createdAt: r.recordedAt, mayLeave: true })),
      ],
    });
  }
  return out;
}
