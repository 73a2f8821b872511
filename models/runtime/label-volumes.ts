import type { Vec3 } from '../../imaging/volume';

/** Label names in the Medical Segmentation Decathlon Task01 convention. */
export const LABELS = { 1: 'edema', 2: 'non_enhancing_tumor', 3: 'enhancing_tumor' } as const;

export interface LabelVolumes {
  readonly edema: number;
  readonly non_enhancing_tumor: number;
  readonly enhancing_tumor: number;
  /** Regions: WT = {1,2,3}, TC = {2,3}, ET = {3}. */
  readonly WT: number;
  readonly TC: number;
  readonly ET: number;
}

/**
 * Volumes in mL (1 mL = 1000 mm³) from voxel counts and voxel spacing in mm.
 *
 * @example labelVolumesMl(Uint8Array.of(0, 1, 2, 3, 3), [10, 10, 10]) // { edema: 1, non_enhancing_tumor: 1, enhancing_tumor: 2, WT: 4, TC: 3, ET: 2 }
 */
export function labelVolumesMl(labels: Uint8Array, spacing: Vec3): LabelVolumes {
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (l < 4) counts[l]! += 1;
  }
  const ml = (count: number) => (count * spacing[0] * spacing[1] * spacing[2]) / 1000;
  const [, e = 0, n = 0, t = 0] = counts;
  return { edema: ml(e), non_enhancing_tumor: ml(n), enhancing_tumor: ml(t), WT: ml(e + n + t), TC: ml(n + t), ET: ml(t) };
}
