import { applyAffine, type Dims, type Grid, type Mat4, type Vec3 } from '../../imaging/volume';

/**
 * The grid a model sees: axis-aligned RAS+ with the model card's voxel spacing, covering every voxel
 * centre of the study grid. The shipped model was trained on the closest-canonical (RAS) version of
 * 2 mm T1gd grids, so a 1 mm LPS study, or a sagittal PIR one, is resampled onto this grid first and
 * its labels brought back afterwards. A study already on such a grid maps onto itself voxel for voxel
 * (its corner voxel is the grid origin and the dims are the same), so nothing is interpolated then.
 *
 * `spacingMm` is [x, y, z] in mm.
 */
export function modelGrid(study: Grid, spacingMm: Vec3): Grid & { spacing: Vec3 } {
  const [nx, ny, nz] = study.dims;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (const i of [0, nx - 1])
    for (const j of [0, ny - 1])
      for (const k of [0, nz - 1]) {
        const p = applyAffine(study.affine, [i, j, k]);
        for (let a = 0; a < 3; a++) {
          lo[a] = Math.min(lo[a]!, p[a]!);
          hi[a] = Math.max(hi[a]!, p[a]!);
        }
      }
  // Round-off of a few µm must not add a slice.
  const dims = [0, 1, 2].map((a) => Math.floor((hi[a]! - lo[a]!) / spacingMm[a]! + 1e-3) + 1) as unknown as Dims;
  const [sx, sy, sz] = spacingMm;
  const affine: Mat4 = [sx, 0, 0, lo[0]!, 0, sy, 0, lo[1]!, 0, 0, sz, lo[2]!, 0, 0, 0, 1];
  return { dims, affine, spacing: spacingMm };
}

/** True when two grids have the same dims and (within 1 µm) the same affine. */
export function sameGrid(a: Grid, b: Grid): boolean {
  return a.dims.join() === b.dims.join() && a.affine.every((v, i) => Math.abs(v - b.affine[i]!) < 1e-3);
}
