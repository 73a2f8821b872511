/**
 * The evaluation regions of the Medical Segmentation Decathlon Task01 / BraTS label convention:
 * labels 0 background, 1 edema, 2 non-enhancing tumour (incl. necrosis), 3 enhancing tumour;
 * whole tumour WT = {1, 2, 3}, tumour core TC = {2, 3}, enhancing tumour ET = {3}.
 */
export const TUMOR_REGIONS = {
  WT: [1, 2, 3],
  TC: [2, 3],
  ET: [3],
} as const satisfies Record<string, readonly number[]>;

export type TumorRegion = keyof typeof TUMOR_REGIONS;

/**
 * Binary mask (1 inside, 0 outside) of `region` from a label map, voxel order unchanged. Label
 * values are rounded first, so a float label map read from NIfTI behaves like its integers.
 *
 * @example
 * [...regionMask(new Float32Array([0, 1, 2, 3]), 'TC')]; // → [0, 0, 1, 1]
 */
export function regionMask(labels: ArrayLike<number>, region: TumorRegion): Uint8Array {
  const members = TUMOR_REGIONS[region] as readonly number[];
  const out = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) if (members.includes(Math.round(labels[i] as number))) out[i] = 1;
  return out;
}
