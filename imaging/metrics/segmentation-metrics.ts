import { VolumeFormatError } from '../errors';
import type { Dims, Vec3 } from '../volume';
import { regionMask, TUMOR_REGIONS, type TumorRegion } from './region-masks';
import { surfaceDistances } from './surface-distances';

export interface RegionMetrics {
  readonly region: TumorRegion;
  /** 2|P∩R| / (|P| + |R|); 1 when both are empty. */
  readonly dice: number;
  /**
   * 95th percentile (linear interpolation, NumPy's default) of the symmetric surface distances in mm;
   * 0 when both are empty, +Infinity when exactly one side is empty (no surface to measure to).
   */
  readonly hd95: number;
  /** Voxelwise TP/(TP + FN); NaN when the reference region is empty. */
  readonly sensitivity: number;
  /** Voxelwise TN/(TN + FP) over the whole grid (as BraTS reports it). */
  readonly specificity: number;
  readonly predictedMl: number;
  readonly referenceMl: number;
}

/**
 * Dice, HD95, sensitivity and specificity of a predicted label map against a reference label map,
 * per tumour region (WT, TC, ET; see `TUMOR_REGIONS`), on one grid.
 *
 * Layout as imaging/volume.ts: x fastest, `spacing` in mm along the array axes. Empty-region
 * conventions are decided once (BraTS 2021 scoring): both empty → Dice 1, HD95 0; one empty →
 * Dice 0, HD95 +Infinity; sensitivity NaN when the reference is empty (undefined, not 0).
 * Reference: Dice (1945), Ecology 26:297–302; Huttenlocher et al. (1993) for the Hausdorff
 * distance; the 95th percentile as in medpy `hd95` and the BraTS challenge. Checked against
 * scipy.ndimage (`distance_transform_edt`, `binary_erosion`) by imaging/metrics/fixtures/generate.py.
 * Throws VolumeFormatError when the two maps differ in voxel count or dims do not match them.
 *
 * @example
 * const m = segmentationMetrics({ predicted: new Float32Array([0, 3, 3, 0]), reference: new Float32Array([0, 3, 0, 0]), dims: [4, 1, 1], spacing: [1, 1, 1] });
 * m[2]; // → { region: 'ET', dice: 0.6666666666666666, hd95: 0.8999999999999999, sensitivity: 1, specificity: 0.6666666666666666, predictedMl: 0.002, referenceMl: 0.001 }
 */
export function segmentationMetrics({ predicted, reference, dims, spacing }: { predicted: ArrayLike<number>; reference: ArrayLike<number>; dims: Dims; spacing: Vec3 }): readonly RegionMetrics[] {
  const n = dims[0] * dims[1] * dims[2];
  if (predicted.length !== n || reference.length !== n) {
    throw new VolumeFormatError('label maps', 'voxel count (predicted, reference)', `${predicted.length}, ${reference.length}`, `${n} each (grid ${dims.join('×')})`);
  }
  const voxelMl = (spacing[0] * spacing[1] * spacing[2]) / 1000;
  return (Object.keys(TUMOR_REGIONS) as TumorRegion[]).map((region) => {
    const p = regionMask(predicted, region);
    const r = regionMask(reference, region);
    let tp = 0;
    let np = 0;
    let nr = 0;
    for (let i = 0; i < n; i++) {
      np += p[i] as number;
      nr += r[i] as number;
      if (p[i] === 1 && r[i] === 1) tp++;
    }
    const fp = np - tp;
    const fn = nr - tp;
    const tn = n - tp - fp - fn;
    const dice = np + nr === 0 ? 1 : (2 * tp) / (np + nr);
    let hd95: number;
    if (np === 0 && nr === 0) hd95 = 0;
    else if (np === 0 || nr === 0) hd95 = Infinity;
    else hd95 = percentile95(surfaceDistances(p, r, dims, spacing));
    return {
      region,
      dice,
      hd95,
      sensitivity: nr === 0 ? Number.NaN : tp / nr,
      specificity: tn + fp === 0 ? Number.NaN : tn / (tn + fp),
      predictedMl: np * voxelMl,
      referenceMl: nr * voxelMl,
    };
  });
}

function percentile95(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const h = (sorted.length - 1) * 0.95;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}
