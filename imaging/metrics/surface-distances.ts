import type { Dims, Vec3 } from '../volume';

/** Index box [lo, hi] (inclusive) per axis. */
interface Box {
  readonly lo: [number, number, number];
  readonly hi: [number, number, number];
}

function boundingBox(masks: readonly Uint8Array[], dims: Dims): Box | null {
  const [nx, ny] = dims;
  const lo: [number, number, number] = [Infinity, Infinity, Infinity];
  const hi: [number, number, number] = [-1, -1, -1];
  for (const mask of masks) {
    for (let i = 0; i < mask.length; i++) {
      if (mask[i] === 0) continue;
      const x = i % nx;
      const y = Math.floor(i / nx) % ny;
      const z = Math.floor(i / (nx * ny));
      if (x < lo[0]) lo[0] = x;
      if (y < lo[1]) lo[1] = y;
      if (z < lo[2]) lo[2] = z;
      if (x > hi[0]) hi[0] = x;
      if (y > hi[1]) hi[1] = y;
      if (z > hi[2]) hi[2] = z;
    }
  }
  return hi[0] < 0 ? null : { lo, hi };
}

/**
 * Border voxels: mask voxels with at least one 6-neighbour outside the mask. Voxels on the edge of
 * the grid count as border (the grid is padded with background, as scipy's binary_erosion with
 * border_value=0).
 */
function border(mask: Uint8Array, dims: readonly [number, number, number]): Uint8Array {
  const [nx, ny, nz] = dims;
  const out = new Uint8Array(mask.length);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const i = x + nx * (y + ny * z);
        if (mask[i] === 0) continue;
        const interior =
          x > 0 &&
          x < nx - 1 &&
          y > 0 &&
          y < ny - 1 &&
          z > 0 &&
          z < nz - 1 &&
          mask[i - 1] === 1 &&
          mask[i + 1] === 1 &&
          mask[i - nx] === 1 &&
          mask[i + nx] === 1 &&
          mask[i - nx * ny] === 1 &&
          mask[i + nx * ny] === 1;
        if (!interior) out[i] = 1;
      }
  return out;
}

/**
 * One pass of the exact 1D squared Euclidean distance transform (Felzenszwalb & Huttenlocher
 * 2012, Theory of Computing 8:415–428) over a line of `n` samples `step` apart in `f`, with
 * sample spacing `h` (mm): f[i] ← min_j f[j] + (h·(i − j))².
 */
function edtLine(f: Float64Array, offset: number, stride: number, n: number, h: number, g: Float64Array, v: Int32Array, zBreaks: Float64Array): void {
  for (let i = 0; i < n; i++) g[i] = f[offset + i * stride] as number;
  let k = -1;
  const h2 = h * h;
  for (let q = 0; q < n; q++) {
    const fq = g[q] as number;
    if (fq === Infinity) continue;
    let s = 0;
    while (k >= 0) {
      const p = v[k] as number;
      s = (fq + h2 * q * q - ((g[p] as number) + h2 * p * p)) / (2 * h2 * (q - p));
      if (s <= (zBreaks[k] as number)) k--;
      else break;
    }
    k++;
    v[k] = q;
    zBreaks[k] = k === 0 ? -Infinity : s;
    zBreaks[k + 1] = Infinity;
  }
  if (k < 0) return;
  let j = 0;
  for (let q = 0; q < n; q++) {
    while ((zBreaks[j + 1] as number) < q) j++;
    const p = v[j] as number;
    f[offset + q * stride] = h2 * (q - p) * (q - p) + (g[p] as number);
  }
}

/** Squared distance (mm²) from every voxel to the nearest voxel set in `feature`, on a box of `dims`. */
function squaredDistanceTransform(feature: Uint8Array, dims: readonly [number, number, number], spacing: Vec3): Float64Array {
  const [nx, ny, nz] = dims;
  const f = new Float64Array(feature.length);
  for (let i = 0; i < feature.length; i++) f[i] = feature[i] === 1 ? 0 : Infinity;
  const longest = Math.max(nx, ny, nz);
  const g = new Float64Array(longest);
  const v = new Int32Array(longest);
  const zb = new Float64Array(longest + 1);
  for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) edtLine(f, nx * (y + ny * z), 1, nx, spacing[0], g, v, zb);
  for (let z = 0; z < nz; z++) for (let x = 0; x < nx; x++) edtLine(f, x + nx * ny * z, nx, ny, spacing[1], g, v, zb);
  for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) edtLine(f, x + nx * y, nx * ny, nz, spacing[2], g, v, zb);
  return f;
}

/**
 * Symmetric surface distances between two binary masks on the same grid: for each border voxel of
 * `a` the Euclidean distance (mm, anisotropic `spacing`) to the nearest border voxel of `b`, then
 * the same from `b` to `a`, concatenated (a→b first). Border = mask minus its 6-connected erosion,
 * the definition of medpy's `__surface_distances` (used by BraTS and MONAI's HD95).
 * Work is confined to the bounding box of both masks, which gives the same distances because
 * every feature voxel lies inside it. Both masks must be non-empty (the caller decides what an
 * empty side means).
 *
 * @example
 * // two single voxels 2 voxels apart along x at 1.5 mm spacing
 * surfaceDistances(new Uint8Array([1, 0, 0]), new Uint8Array([0, 0, 1]), [3, 1, 1], [1.5, 1, 1]); // → Float64Array [3, 3]
 */
export function surfaceDistances(a: Uint8Array, b: Uint8Array, dims: Dims, spacing: Vec3): Float64Array {
  const box = boundingBox([a, b], dims);
  if (!box) return new Float64Array(0);
  const [nx, ny] = dims;
  const bd: [number, number, number] = [box.hi[0] - box.lo[0] + 1, box.hi[1] - box.lo[1] + 1, box.hi[2] - box.lo[2] + 1];
  const crop = (mask: Uint8Array): Uint8Array => {
    const out = new Uint8Array(bd[0] * bd[1] * bd[2]);
    for (let z = 0; z < bd[2]; z++)
      for (let y = 0; y < bd[1]; y++) {
        const src = box.lo[0] + nx * (box.lo[1] + y + ny * (box.lo[2] + z));
        out.set(mask.subarray(src, src + bd[0]), bd[0] * (y + bd[1] * z));
      }
    return out;
  };
  // Erosion must see the full grid's neighbours: compute borders before cropping.
  const borderA = crop(border(a, [dims[0], dims[1], dims[2]]));
  const borderB = crop(border(b, [dims[0], dims[1], dims[2]]));
  const toB = squaredDistanceTransform(borderB, bd, spacing);
  const toA = squaredDistanceTransform(borderA, bd, spacing);
  const out: number[] = [];
  for (let i = 0; i < borderA.length; i++) if (borderA[i] === 1) out.push(Math.sqrt(toB[i] as number));
  for (let i = 0; i < borderB.length; i++) if (borderB[i] === 1) out.push(Math.sqrt(toA[i] as number));
  return Float64Array.from(out);
}
