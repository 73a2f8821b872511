import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { electronicSignatures, ranoAssessments, segmentations } from '@/db/schema';
import type { ContentStore } from '@/imaging/storage/content-store';
import { AppError } from '../../errors';
import { isAiAssisted } from '../review/is-ai-assisted';
import { AI_NOT_AVAILABLE, loadAiSegmentation } from '../review/load-ai-segmentation';
import type { ReviewCase } from '../review/load-review-case';
import { computeRanoSuggestion, type RanoSuggestion } from './compute-rano-suggestion';
import { loadParticipantVisits } from './load-participant-visits';
import { RANO_CORRECTION_SIGNATURE_MEANING, RANO_SIGNATURE_MEANING } from './rano-signature-meaning';

/**
 * The follow-up part of a clinician's case page: the participant's visits (dates, window flags,
 * registration QC), which visit this case is, the priors it can be compared with, the reader's own
 * signed RANO assessments, and, on the assisted arm only, the AI volumes per visit and the RANO
 * suggestion. On the control arm `ai` is null whatever exists on the server: neither AI outlines
 * nor AI measurements reach its readers. The nadir prior is only offered where the AI measured it.
 */
export async function getFollowupView({ db, store, reviewCase, reviewerId }: { db: DbOrTx; store: ContentStore; reviewCase: ReviewCase; reviewerId: string }) {
  const visits = await loadParticipantVisits({ db, trialId: reviewCase.trialId, participantId: reviewCase.participantId });
  const index = visits.findIndex((v) => v.studyId === reviewCase.caseId);
  const current = index >= 0 ? visits[index]! : null;
  const rows = current?.visitId
    ? await db
        .select({ a: ranoAssessments, s: electronicSignatures })
        .from(ranoAssessments)
        .innerJoin(electronicSignatures, eq(electronicSignatures.id, ranoAssessments.signatureId))
        .where(and(eq(ranoAssessments.visitId, current.visitId), eq(ranoAssessments.reviewerId, reviewerId)))
        .orderBy(asc(ranoAssessments.createdAt))
    : [];
  const superseded = new Set(rows.map((r) => r.a.supersedesId).filter((x): x is string => x !== null));

  let ai: { volumes: { visitCode: string; scannedOn: string; volumesMl: unknown }[]; suggestion: RanoSuggestion | null; suggestionProblem: string | null } | null = null;
  if (isAiAssisted(reviewCase.arm) && index > 0) {
    try {
      await loadAiSegmentation({ db, reviewCase });
      const scanned = visits.slice(0, index + 1).filter((v) => v.studyId && v.scannedOn);
      const segs = await db
        .select({ studyId: segmentations.studyId, volumesMl: segmentations.volumesMl, createdAt: segmentations.createdAt })
        .from(segmentations)
        .where(
          inArray(
            segmentations.studyId,
            scanned.map((v) => v.studyId!),
          ),
        );
      let suggestion: RanoSuggestion | null = null;
      let suggestionProblem: string | null = null;
      try {
        suggestion = await computeRanoSuggestion({ db, store, reviewCase });
      } catch (error) {
        if (!(error instanceof AppError && error.code === 'INVALID_STATE')) throw error;
        suggestionProblem = error.message;
      }
      ai = {
        volumes: scanned.flatMap((v) =>
          segs
            .filter((s) => s.studyId === v.studyId)
            .slice(0, 1)
            .map((s) => ({ visitCode: v.visitCode, scannedOn: v.scannedOn!, volumesMl: s.volumesMl })),
        ),
        suggestion,
        suggestionProblem,
      };
    } catch (error) {
      if (!(error instanceof AppError && error.message === AI_NOT_AVAILABLE)) throw error;
    }
  }
  const nadirVisit = ai?.suggestion?.visits.at(-1)?.nadirVisit ?? null;
  const byCode = (code: string | null) => visits.find((v) => v.visitCode === code && v.studyId);
  return {
    caseId: reviewCase.caseId,
    visitCode: current?.visitCode ?? null,
    isFollowUp: index > 0,
    visits: visits.map((v) => ({
      visitCode: v.visitCode,
      label: v.label,
      dueOn: v.dueOn,
      scannedOn: v.scannedOn,
      status: v.status,
      studyId: v.studyId,
      registration: v.registration && {
        ok: v.registration.ok,
        problems: v.registration.problems,
        rotationDeg: v.registration.rotationDeg,
        centreShiftMm: v.registration.centreShiftMm,
        source: v.registration.source,
      },
    })),
    priors: [
      ...(index > 0 && visits[0]!.studyId ? [{ kind: 'baseline' as const, visitCode: visits[0]!.visitCode, studyId: visits[0]!.studyId }] : []),
      ...(nadirVisit && nadirVisit !== visits[0]!.visitCode && byCode(nadirVisit) ? [{ kind: 'nadir' as const, visitCode: nadirVisit, studyId: byCode(nadirVisit)!.studyId! }] : []),
    ],
    ai,
    assessments: rows.map(({ a, s }) => ({
      id: a.id,
      category: a.category,
      suggestedCategory: a.suggestedCategory,
      overrideReason: a.overrideReason,
      supersedesId: a.supersedesId,
      correctionReason: a.correctionReason,
      current: !superseded.has(a.id),
      scanDate: a.scanDate,
      signature: { signerName: s.signerName, signedAt: s.signedAt, meaning: s.meaning, contentSha256: s.contentSha256 },
    })),
    signatureMeaning: { assessment: RANO_SIGNATURE_MEANING, correction: RANO_CORRECTION_SIGNATURE_MEANING },
  };
}
