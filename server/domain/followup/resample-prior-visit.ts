import { createHash } from 'node:crypto';
import { decodeNifti } from '@/imaging/nifti/read-nifti';
import { encodeNiftiFile } from '@/imaging/nifti/write-nifti';
import { resample } from '@/imaging/resample';
import type { ContentStore } from '@/imaging/storage/content-store';
import type { Grid } from '@/imaging/volume';
import { currentToPriorWorld } from './current-to-prior-world';
import type { VisitRegistration } from './register-to-baseline';

export interface ResampledPrior {
  /** Gzipped NIfTI on the current visit's grid (dims and affine of the current study). */
  readonly bytes: Uint8Array;
  /** Changes when the prior's file, the grid or the transform changes (for the HTTP ETag). */
  readonly etag: string;
}

/**
 * A prior visit's volume (or label map) resampled onto the current visit's study grid through the
 * registrations to baseline (currentToPriorWorld), so that the comparison view shows both visits
 * voxel for voxel on one grid: the same slice index is the same anatomy, whatever the head's
 * position in either session. Images are interpolated trilinearly, label maps by nearest neighbour
 * (labels stay labels). Outside the prior's field of view is 0.
 */
export async function resamplePriorVisit({
  store,
  priorSha256,
  currentGrid,
  current,
  prior,
  labels,
}: {
  store: ContentStore;
  priorSha256: string;
  currentGrid: Grid;
  current: VisitRegistration;
  prior: VisitRegistration | null;
  labels: boolean;
}): Promise<ResampledPrior> {
  const transform = currentToPriorWorld(current, prior);
  const source = await decodeNifti(await store.get(priorSha256), `${priorSha256}.nii.gz`);
  const onCurrent = resample(source, currentGrid, { interpolation: labels ? 'nearest' : 'linear', targetToSourceWorld: transform });
  // Level 1: the file is made per request and a 240×240×155 float volume at level 6 costs seconds.
  const bytes = encodeNiftiFile('prior.nii.gz', onCurrent, { datatype: labels ? 'uint8' : 'float32', gzipLevel: 1, description: 'prior visit on the current grid' });
  const etag = createHash('sha256')
    .update(JSON.stringify({ priorSha256, grid: currentGrid, transform, labels }))
    .digest('hex');
  return { bytes, etag };
}
