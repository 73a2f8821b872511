import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { studies } from '@/db/schema';
import { IngestError } from '@/imaging/ingest/errors';
import { decodeNifti } from '@/imaging/nifti/read-nifti';
import { encodeNiftiFile } from '@/imaging/nifti/write-nifti';
import type { ContentStore } from '@/imaging/storage/content-store';
import type { Dims, Mat4 } from '@/imaging/volume';
import { AppError } from '../../errors';
import { assertSiteVisible, type TrialAccess } from '../trials/trial-access';

/** Largest difference (mm) between the reference's and the study's affine entries. */
const AFFINE_TOLERANCE_MM = 1;

/**
 * Validates an expert reference segmentation against the study it was drawn on and stores it in the
 * content store as a uint8 NIfTI. It must lie on the study's registered T1gd grid (same dims, affine
 * within 1 mm) and hold only the labels 0 background, 1 edema, 2 non-enhancing, 3 enhancing (MSD
 * convention). Stores nothing on refusal. Returns the hash to record with recordFollowUpOutcome.
 */
export async function storeReferenceSegmentation({
  db,
  store,
  access,
  studyId,
  file,
  bytes,
}: {
  db: DbOrTx;
  store: ContentStore;
  access: TrialAccess;
  studyId: string;
  file: string;
  bytes: Uint8Array;
}) {
  const [study] = await db
    .select({ id: studies.id, siteId: studies.siteId, grid: studies.grid })
    .from(studies)
    .where(and(eq(studies.id, studyId), eq(studies.trialId, access.trialId)));
  if (!study) throw new AppError('NOT_FOUND', 'Study not found.');
  assertSiteVisible(access, study.siteId, 'Study');
  const grid = study.grid as { dims: Dims; affine: Mat4 };
  let volume;
  try {
    volume = await decodeNifti(bytes, file, { maxVoxels: grid.dims[0] * grid.dims[1] * grid.dims[2] });
  } catch (error) {
    if (error instanceof IngestError) throw new AppError('INVALID_INPUT', error.message, { file, field: error.field, found: String(error.found), expected: error.expected });
    throw error;
  }
  if (volume.dims.join() !== grid.dims.join()) {
    throw new AppError('INVALID_INPUT', `${file}: dims ${volume.dims.join('×')} do not match the study grid ${grid.dims.join('×')}; draw the reference on the registered T1gd.`, {
      file,
      field: 'dim',
      found: volume.dims.join('×'),
      expected: grid.dims.join('×'),
    });
  }
  const worst = Math.max(...volume.affine.map((a, i) => Math.abs(a - (grid.affine[i] ?? Number.NaN))));
  if (!(worst <= AFFINE_TOLERANCE_MM)) {
    throw new AppError('INVALID_INPUT', `${file}: its voxel-to-world affine differs from the study grid by ${worst.toFixed(2)} mm; draw the reference on the registered T1gd.`, {
      file,
      field: 'affine',
      found: worst.toFixed(3),
      expected: `<= ${AFFINE_TOLERANCE_MM} mm`,
    });
  }
  const labels = new Uint8Array(volume.data.length);
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < volume.data.length; i++) {
    const v = volume.data[i]!;
    if (!(v === 0 || v === 1 || v === 2 || v === 3)) {
      throw new AppError('INVALID_INPUT', `${file}: voxel ${i} holds ${v}; a reference segmentation holds only the labels 0 (background), 1 (edema), 2 (non-enhancing), 3 (enhancing).`, {
        file,
        field: 'labels',
        found: String(v),
        expected: '0, 1, 2 or 3',
      });
    }
    labels[i] = v;
    counts[v]! += 1;
  }
  const stored = await store.put(
    encodeNiftiFile('reference.nii.gz', { dims: volume.dims, spacing: volume.spacing, affine: grid.affine, data: labels }, { description: 'SegTrial reference segmentation' }),
  );
  return { studyId: study.id, labelsSha256: stored.sha256, voxelsPerLabel: counts };
}
