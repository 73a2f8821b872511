import type { DbOrTx } from '@/db/client';
import { assessRanoResponse, type RanoTimepoint, type RanoTimepointResult } from '@/imaging/rano/assess-rano-response';
import { measureEnhancingLesions, type LesionMeasurement } from '@/imaging/rano/measure-enhancing-lesions';
import { decodeNifti } from '@/imaging/nifti/read-nifti';
import type { ContentStore } from '@/imaging/storage/content-store';
import { applyAffine } from '@/imaging/volume';
import { AppError } from '../../errors';
import { AI_NOT_AVAILABLE, loadAiSegmentation } from '../review/load-ai-segmentation';
import type { ReviewCase } from '../review/load-review-case';
import { loadParticipantVisits, type ParticipantVisit } from './load-participant-visits';

/**
 * RANO 2.0 counts progression within 12 weeks of the end of radiotherapy only once confirmed. The
 * baseline is the post-radiotherapy scan, about 4 weeks after its end (RANO 2.0), so a follow-up
 * within 56 days of the baseline is taken to fall in those 12 weeks.
 */
export const RADIOTHERAPY_END_BEFORE_BASELINE_DAYS = 28;

export interface RanoSuggestionVisit extends RanoTimepointResult {
  readonly studyId: string;
  readonly scannedOn: string;
  readonly modelVersion: string;
  readonly lesions: readonly (LesionMeasurement['lesions'][number] & { readonly target: boolean })[];
  readonly enhancingVolumeMl: number;
  readonly registrationOk: boolean | null;
}

export interface RanoSuggestion {
  /** The visit of the case being reviewed. */
  readonly visitCode: string;
  readonly targetLesionIds: readonly number[];
  /** Baseline first, the current visit last; visits without an AI segmentation are left out (`skipped`). */
  readonly visits: readonly RanoSuggestionVisit[];
  readonly skipped: readonly string[];
}

/**
 * The suggested RANO response of a follow-up case, from the AI label maps of the participant's
 * visits up to the case's own (imaging/rano). AI output, so it goes through loadAiSegmentation for
 * every visit: a control-arm case answers NOT_FOUND (AI_NOT_AVAILABLE), exactly like the AI
 * segmentation itself. Follow-up lesion centroids are carried into the baseline's world by each
 * visit's registration, so lesions are tracked across visits on one anatomy.
 * Throws INVALID_STATE when the case is not a follow-up visit or the baseline has no AI result.
 */
export async function computeRanoSuggestion({ db, store, reviewCase }: { db: DbOrTx; store: ContentStore; reviewCase: ReviewCase }): Promise<RanoSuggestion> {
  await loadAiSegmentation({ db, reviewCase }); // the blinding check, before anything is read
  const visits = await loadParticipantVisits({ db, trialId: reviewCase.trialId, participantId: reviewCase.participantId });
  const index = visits.findIndex((v) => v.studyId === reviewCase.caseId);
  if (index < 1) throw new AppError('INVALID_STATE', 'This case is not a follow-up visit: RANO compares a follow-up with its baseline.');
  const scanned = visits.slice(0, index + 1).filter((v): v is ParticipantVisit & { studyId: string; scannedOn: string } => v.studyId !== null && v.scannedOn !== null);
  const skipped: string[] = [];
  const measured: { visit: ParticipantVisit & { studyId: string; scannedOn: string }; measurement: LesionMeasurement; modelVersion: string }[] = [];
  for (const visit of scanned) {
    let ai;
    try {
      ai = await loadAiSegmentation({ db, reviewCase: { ...reviewCase, caseId: visit.studyId } });
    } catch (error) {
      if (error instanceof AppError && error.message === AI_NOT_AVAILABLE) {
        if (visit === scanned[0] || visit === scanned[scanned.length - 1]) throw new AppError('INVALID_STATE', `The ${visit.label} scan has no AI segmentation yet.`);
        skipped.push(visit.visitCode);
        continue;
      }
      throw error;
    }
    const labels = await decodeNifti(await store.get(ai.segmentation.labelsSha256), `${visit.visitCode}/labels.nii.gz`);
    const m = measureEnhancingLesions({ labels, file: `${visit.visitCode} AI labels` });
    const toBaseline = visit.registration?.followupToBaselineWorld;
    const measurement: LesionMeasurement = toBaseline ? { ...m, lesions: m.lesions.map((l) => ({ ...l, centroidMm: applyAffine(toBaseline, l.centroidMm) })) } : m;
    measured.push({ visit, measurement, modelVersion: `${ai.model.name} ${ai.model.version}` });
  }
  const baselineOn = Date.parse(`${scanned[0]!.scannedOn}T00:00:00Z`);
  const timepoints: RanoTimepoint[] = measured.map(({ visit, measurement }) => ({
    visit: visit.visitCode,
    measurement,
    withinTwelveWeeksOfRadiotherapy: (Date.parse(`${visit.scannedOn}T00:00:00Z`) - baselineOn) / 86_400_000 + RADIOTHERAPY_END_BEFORE_BASELINE_DAYS <= 84,
  }));
  const assessment = assessRanoResponse(timepoints);
  const targets = new Set(assessment.targetLesionIds);
  return {
    visitCode: visits[index]!.visitCode,
    targetLesionIds: assessment.targetLesionIds,
    skipped,
    visits: assessment.timepoints.map((t, i) => {
      const { visit, measurement, modelVersion } = measured[i]!;
      const track = new Map(t.lesionTrack.map((x) => [x.lesionId, x.baselineLesionId]));
      return {
        ...t,
        studyId: visit.studyId,
        scannedOn: visit.scannedOn,
        modelVersion,
        enhancingVolumeMl: measurement.enhancingVolumeMl,
        registrationOk: visit.registration ? visit.registration.ok : null,
        lesions: measurement.lesions.map((l) => ({ ...l, target: targets.has(track.get(l.id) ?? -1) })),
      };
    }),
  };
}
