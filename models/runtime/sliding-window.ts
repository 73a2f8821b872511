/**
 * Sliding-window geometry (nnU-Net conventions). Sizes are in voxels per array axis, in the order
 * [x, y, z] of imaging/volume.ts (x fastest in memory).
 */
export type Size3 = readonly [number, number, number];

/**
 * Start offsets along one axis: tiles of `patch` voxels covering `size`, consecutive starts at most
 * `step * patch` apart, spread evenly so the first starts at 0 and the last ends at `size`.
 *
 * @example tileStarts(240, 128, 0.5) // [0, 56, 112]
 */
export function tileStarts(size: number, patch: number, step: number): number[] {
  if (!(step > 0 && step <= 1)) throw new RangeError(`step must be in (0, 1]; got ${step}`);
  if (size <= patch) return [0];
  const count = Math.ceil((size - patch) / (patch * step)) + 1;
  const span = size - patch;
  return Array.from({ length: count }, (_, i) => Math.round((i * span) / (count - 1)));
}

/** Every tile origin [x, y, z] for a volume of `size` (already padded to at least `patch`). */
export function tileOrigins(size: Size3, patch: Size3, step: number): [number, number, number][] {
  const xs = tileStarts(size[0], patch[0], step);
  const ys = tileStarts(size[1], patch[1], step);
  const zs = tileStarts(size[2], patch[2], step);
  const out: [number, number, number][] = [];
  for (const z of zs) for (const y of ys) for (const x of xs) out.push([x, y, z]);
  return out;
}

/**
 * Gaussian importance map over a patch (x fastest): centre weight 1, sigma = patch × sigmaScale per
 * axis (nnU-Net: 1/8), clamped below at the smallest positive value so no voxel gets weight 0.
 */
export function gaussianImportance(patch: Size3, sigmaScale = 1 / 8): Float32Array {
  const [px, py, pz] = patch;
  const axis = (n: number) => {
    const sigma = n * sigmaScale;
    const c = (n - 1) / 2;
    return Float64Array.from({ length: n }, (_, i) => Math.exp(-((i - c) ** 2) / (2 * sigma * sigma)));
  };
  const gx = axis(px);
  const gy = axis(py);
  const gz = axis(pz);
  const out = new Float32Array(px * py * pz);
  let min = Infinity;
  for (let z = 0, i = 0; z < pz; z++)
    for (let y = 0; y < py; y++)
      for (let x = 0; x < px; x++, i++) {
        const w = gx[x]! * gy[y]! * gz[z]!;
        out[i] = w;
        if (w > 0 && w < min) min = w;
      }
  for (let i = 0; i < out.length; i++) if (out[i]! < min) out[i] = min;
  return out;
}
