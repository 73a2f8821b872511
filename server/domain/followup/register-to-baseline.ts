import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { studyVolumes } from '@/db/schema';
import { decodeNifti } from '@/imaging/nifti/read-nifti';
import { registerVolumes } from '@/imaging/registration/register';
import type { ContentStore } from '@/imaging/storage/content-store';
import { invertAffine } from '@/imaging/volume';
import { AppError } from '../../errors';

/** What imaging_visits.registration holds for a follow-up. */
export interface VisitRegistration {
  readonly baselineStudyId: string;
  readonly kind: 'rigid';
  readonly source: 'elastix' | 'identity';
  /** Baseline world → the same anatomy in the follow-up's world (RAS+ mm, row-major 4×4). */
  readonly baselineToFollowupWorld: number[];
  /** Follow-up world → baseline world: carries follow-up lesion centroids onto the baseline. */
  readonly followupToBaselineWorld: number[];
  readonly rotationDeg: number;
  readonly centreShiftMm: number;
  readonly nmiBefore: number;
  readonly nmiAfter: number;
  /** The registration QC's findings (empty when it passed); a follow-up is kept and flagged, not refused. */
  readonly problems: readonly string[];
  readonly ok: boolean;
}

/**
 * Rigid registration of a follow-up study's T1gd onto the baseline study's T1gd, with the same
 * elastix + NMI quality checks ingest uses across sequences (imaging/registration/register.ts).
 * Between sessions a head moves more than within one, so the plausibility limits are wider
 * (rotation 30°, centre shift 60 mm) than ingest's. A failed QC does not refuse the visit (the scan
 * happened and must be seen); it is recorded with its problems and shown in the comparison view.
 */
export async function registerToBaseline({
  db,
  store,
  baselineStudyId,
  followupStudyId,
}: {
  db: DbOrTx;
  store: ContentStore;
  baselineStudyId: string;
  followupStudyId: string;
}): Promise<VisitRegistration> {
  const t1gd = async (studyId: string) => {
    const [row] = await db
      .select({ sha256: studyVolumes.sha256 })
      .from(studyVolumes)
      .where(and(eq(studyVolumes.studyId, studyId), eq(studyVolumes.role, 't1gd')));
    if (!row) throw new AppError('INVALID_STATE', `Study ${studyId} has no T1gd volume to register.`);
    return decodeNifti(await store.get(row.sha256), `${studyId}/t1gd.nii.gz`);
  };
  const [fixed, moving] = [await t1gd(baselineStudyId), await t1gd(followupStudyId)];
  const r = await registerVolumes(fixed, moving, { kind: 'rigid', maxRotationDeg: 30, maxTranslationMm: 60 });
  return {
    baselineStudyId,
    kind: 'rigid',
    source: r.source,
    baselineToFollowupWorld: r.fixedToMovingWorld,
    followupToBaselineWorld: invertAffine(r.fixedToMovingWorld),
    rotationDeg: r.rotationDeg,
    centreShiftMm: r.centreShiftMm,
    nmiBefore: r.nmiBefore,
    nmiAfter: r.nmiAfter,
    problems: r.problems,
    ok: r.problems.length === 0,
  };
}
