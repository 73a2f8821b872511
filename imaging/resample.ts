/**
 * Resampling between grids through their affines (layout and affine convention: see volume.ts).
 * `resample(src, target)` fills each target voxel with the source value at the same world point,
 * optionally through a world-to-world transform (target world → source world), by trilinear or
 * nearest-neighbour interpolation. Points outside the source take `fill` (default 0) or, with
 * `outside: 'clamp'`, the nearest edge value (what smooth fields want).
 */
import type { Dims, Grid, Mat4, Volume, VoxelData } from './volume';
import { invertAffine, multiply4, spacingFromAffine } from './volume';

export type Interpolation = 'linear' | 'nearest';

export interface ResampleOptions {
  interpolation?: Interpolation;
  /** Maps target world coordinates to source world coordinates (default identity). */
  targetToSourceWorld?: Mat4;
  outside?: 'fill' | 'clamp';
  fill?: number;
}

/** Trilinear sample at continuous voxel coordinates (x fastest layout); `fill` outside. */
export function sampleLinear(data: ArrayLike<number>, dims: Dims, x: number, y: number, z: number, fill = 0): number {
  const [nx, ny, nz] = dims;
  if (x < 0 || y < 0 || z < 0 || x > nx - 1 || y > ny - 1 || z > nz - 1) return fill;
  const x0 = Math.min(Math.floor(x), nx - 2 < 0 ? 0 : nx - 2);
  const y0 = Math.min(Math.floor(y), ny - 2 < 0 ? 0 : ny - 2);
  const z0 = Math.min(Math.floor(z), nz - 2 < 0 ? 0 : nz - 2);
  const fx = x - x0,
    fy = y - y0,
    fz = z - z0;
  const sx = nx > 1 ? 1 : 0,
    sy = ny > 1 ? nx : 0,
    sz = nz > 1 ? nx * ny : 0;
  const i = x0 + nx * (y0 + ny * z0);
  const c00 = data[i]! + fx * (data[i + sx]! - data[i]!);
  const c10 = data[i + sy]! + fx * (data[i + sy + sx]! - data[i + sy]!);
  const c01 = data[i + sz]! + fx * (data[i + sz + sx]! - data[i + sz]!);
  const c11 = data[i + sz + sy]! + fx * (data[i + sz + sy + sx]! - data[i + sz + sy]!);
  const c0 = c00 + fy * (c10 - c00);
  const c1 = c01 + fy * (c11 - c01);
  return c0 + fz * (c1 - c0);
}

/** Matrix taking target voxel indices to source voxel indices. */
export function voxelToVoxel(source: Grid, target: Grid, targetToSourceWorld?: Mat4): number[] {
  const t = targetToSourceWorld ? multiply4(targetToSourceWorld, target.affine) : target.affine;
  return multiply4(invertAffine(source.affine), t);
}

export function resample<T extends VoxelData>(src: Volume<T>, target: Grid, options: ResampleOptions = {}): Volume<T> {
  const { interpolation = 'linear', outside = 'fill', fill = 0 } = options;
  const m = voxelToVoxel(src, target, options.targetToSourceWorld);
  const [nx, ny, nz] = target.dims;
  const [sx, sy, sz] = src.dims;
  const Ctor = src.data.constructor as new (n: number) => T;
  const out = new Ctor(nx * ny * nz);
  const clamp = outside === 'clamp';
  const data = src.data;
  const m0 = m[0]!,
    m1 = m[1]!,
    m2 = m[2]!,
    m3 = m[3]!,
    m4 = m[4]!,
    m5 = m[5]!,
    m6 = m[6]!,
    m7 = m[7]!,
    m8 = m[8]!,
    m9 = m[9]!,
    m10 = m[10]!,
    m11 = m[11]!;
  let o = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++) {
      let x = m1 * j + m2 * k + m3;
      let y = m5 * j + m6 * k + m7;
      let z = m9 * j + m10 * k + m11;
      for (let i = 0; i < nx; i++, o++, x += m0, y += m4, z += m8) {
        let px = x,
          py = y,
          pz = z;
        if (clamp) {
          px = px < 0 ? 0 : px > sx - 1 ? sx - 1 : px;
          py = py < 0 ? 0 : py > sy - 1 ? sy - 1 : py;
          pz = pz < 0 ? 0 : pz > sz - 1 ? sz - 1 : pz;
        }
        if (interpolation === 'nearest') {
          const ix = Math.round(px),
            iy = Math.round(py),
            iz = Math.round(pz);
          out[o] = ix < 0 || iy < 0 || iz < 0 || ix >= sx || iy >= sy || iz >= sz ? fill : data[ix + sx * (iy + sy * iz)]!;
        } else {
          // Tolerate round-off just outside the edge (grids that share a boundary).
          if (px < 0 && px > -1e-4) px = 0;
          if (py < 0 && py > -1e-4) py = 0;
          if (pz < 0 && pz > -1e-4) pz = 0;
          if (px > sx - 1 && px < sx - 1 + 1e-4) px = sx - 1;
          if (py > sy - 1 && py < sy - 1 + 1e-4) py = sy - 1;
          if (pz > sz - 1 && pz < sz - 1 + 1e-4) pz = sz - 1;
          out[o] = sampleLinear(data, src.dims, px, py, pz, fill);
        }
      }
    }
  return { dims: target.dims, spacing: spacingFromAffine(target.affine), affine: target.affine, data: out };
}
