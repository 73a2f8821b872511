/**
 * In-memory 3D volumes.
 *
 * Array layout (used everywhere in imaging/): voxel (x, y, z) — integer indices i, j, k along the
 * file's first, second and third axes — is stored at `data[x + nx * (y + ny * z)]`, x fastest, the
 * same order as the NIfTI file body. `spacing` is the voxel size in mm along those three axes, and
 * `affine` is the 4×4 voxel-to-world matrix (row-major, RAS+ mm, the NIfTI sform convention):
 * world = affine · [i, j, k, 1]ᵀ, the world point being the voxel's centre.
 */

/** A 4×4 matrix stored row-major in 16 numbers. */
export type Mat4 = readonly number[];
export type Vec3 = readonly [number, number, number];
export type Dims = readonly [number, number, number];

export type VoxelData = Float32Array | Int16Array | Uint8Array;

/** NIfTI datatype names the writer can produce and the reader returns after scaling. */
export type VolumeDatatype = 'float32' | 'int16' | 'uint8';

export interface Volume<T extends VoxelData = VoxelData> {
  readonly dims: Dims;
  /** Voxel size in mm along the three array axes (always positive). */
  readonly spacing: Vec3;
  /** Voxel-to-world (RAS+ mm), row-major 4×4. */
  readonly affine: Mat4;
  readonly data: T;
}

/** A grid without data: where a volume's voxels are. */
export interface Grid {
  readonly dims: Dims;
  readonly affine: Mat4;
}

export function voxelCount(dims: Dims): number {
  return dims[0] * dims[1] * dims[2];
}

export function createVolume(grid: Grid, data?: Float32Array): Volume<Float32Array> {
  const n = voxelCount(grid.dims);
  const d = data ?? new Float32Array(n);
  if (d.length !== n) throw new RangeError(`data has ${d.length} voxels, the grid ${grid.dims.join('×')} needs ${n}`);
  return { dims: grid.dims, spacing: spacingFromAffine(grid.affine), affine: grid.affine, data: d };
}

export function identity4(): number[] {
  return [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
}

export function multiply4(a: Mat4, b: Mat4): number[] {
  const out = new Array<number>(16).fill(0);
  for (let r = 0; r < 4; r++)
    for (let c = 0; c < 4; c++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[r * 4 + k]! * b[k * 4 + c]!;
      out[r * 4 + c] = s;
    }
  return out;
}

/** Inverse of an affine 4×4 (last row 0 0 0 1). Throws on a singular linear part. */
export function invertAffine(m: Mat4): number[] {
  const [a, b, c, tx, d, e, f, ty, g, h, i, tz] = m as [number, number, number, number, number, number, number, number, number, number, number, number];
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) throw new RangeError(`affine is singular (determinant ${det})`);
  const inv = [
    A / det,
    -(b * i - c * h) / det,
    (b * f - c * e) / det,
    0,
    B / det,
    (a * i - c * g) / det,
    -(a * f - c * d) / det,
    0,
    C / det,
    -(a * h - b * g) / det,
    (a * e - b * d) / det,
    0,
    0,
    0,
    0,
    1,
  ];
  inv[3] = -(inv[0]! * tx + inv[1]! * ty + inv[2]! * tz);
  inv[7] = -(inv[4]! * tx + inv[5]! * ty + inv[6]! * tz);
  inv[11] = -(inv[8]! * tx + inv[9]! * ty + inv[10]! * tz);
  return inv;
}

export function applyAffine(m: Mat4, p: Vec3): [number, number, number] {
  const [x, y, z] = p;
  return [m[0]! * x + m[1]! * y + m[2]! * z + m[3]!, m[4]! * x + m[5]! * y + m[6]! * z + m[7]!, m[8]! * x + m[9]! * y + m[10]! * z + m[11]!];
}

/** Voxel sizes implied by an affine: the lengths of its three column vectors. */
export function spacingFromAffine(m: Mat4): [number, number, number] {
  const col = (c: number) => Math.hypot(m[c]!, m[4 + c]!, m[8 + c]!);
  return [col(0), col(1), col(2)];
}

/** Rigid transform (rotations in radians about x, then y, then z, about `centre`, then translation in mm). */
export function rigidTransform(rotation: Vec3, translation: Vec3, centre: Vec3 = [0, 0, 0]): number[] {
  const [ax, ay, az] = rotation;
  const cx = Math.cos(ax),
    sx = Math.sin(ax),
    cy = Math.cos(ay),
    sy = Math.sin(ay),
    cz = Math.cos(az),
    sz = Math.sin(az);
  // R = Rz · Ry · Rx
  const r = [cz * cy, cz * sy * sx - sz * cx, cz * sy * cx + sz * sx, sz * cy, sz * sy * sx + cz * cx, sz * sy * cx - cz * sx, -sy, cy * sx, cy * cx] as const;
  const [px, py, pz] = centre;
  const t = [translation[0] + px - (r[0] * px + r[1] * py + r[2] * pz), translation[1] + py - (r[3] * px + r[4] * py + r[5] * pz), translation[2] + pz - (r[6] * px + r[7] * py + r[8] * pz)];
  return [r[0], r[1], r[2], t[0]!, r[3], r[4], r[5], t[1]!, r[6], r[7], r[8], t[2]!, 0, 0, 0, 1];
}

/** World coordinates (mm) of the grid's centre. */
export function gridCentre(grid: Grid): [number, number, number] {
  return applyAffine(grid.affine, [(grid.dims[0] - 1) / 2, (grid.dims[1] - 1) / 2, (grid.dims[2] - 1) / 2]);
}
