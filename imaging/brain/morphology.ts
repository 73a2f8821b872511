/**
 * Binary morphology on 3D masks (x fastest, see ../volume.ts) through the exact Euclidean distance
 * transform, so a ball of any radius in mm costs the same (O(n) per axis) and anisotropic voxels are
 * handled by their spacing. Masks are Uint8Array with 1 inside.
 */
import type { Dims, Vec3 } from '../volume';

/**
 * Squared Euclidean distance (mm²) from every voxel to the nearest voxel where `seed` is 1 (0 on the
 * seeds; Infinity everywhere when there is none). Felzenszwalb & Huttenlocher's lower-envelope
 * algorithm, one axis at a time ("Distance transforms of sampled functions", 2012).
 */
export function squaredDistanceToMask(seed: Uint8Array, dims: Dims, spacing: Vec3): Float32Array {
  const [nx, ny, nz] = dims;
  const out = new Float32Array(seed.length);
  for (let i = 0; i < seed.length; i++) out[i] = seed[i] ? 0 : Infinity;
  const maxN = Math.max(nx, ny, nz);
  const f = new Float64Array(maxN),
    d = new Float64Array(maxN),
    z = new Float64Array(maxN + 1);
  const v = new Int32Array(maxN);
  const pass = (n: number, stride: number, starts: Iterable<number>, h: number) => {
    const w = h * h;
    for (const start of starts) {
      for (let q = 0; q < n; q++) f[q] = out[start + q * stride]!;
      let k = 0;
      let first = -1;
      for (let q = 0; q < n; q++)
        if (f[q]! < Infinity) {
          first = q;
          break;
        }
      if (first < 0) continue;
      v[0] = first;
      z[0] = -Infinity;
      z[1] = Infinity;
      for (let q = first + 1; q < n; q++) {
        if (f[q] === Infinity) continue; // an infinite parabola is never the lower envelope
        let s = 0;
        for (;;) {
          const p = v[k]!;
          s = (f[q]! + w * q * q - (f[p]! + w * p * p)) / (2 * w * (q - p));
          if (s > z[k]!) break; // z[0] is −∞, so k stays ≥ 0
          k--;
        }
        k++;
        v[k] = q;
        z[k] = s;
        z[k + 1] = Infinity;
      }
      k = 0;
      for (let q = 0; q < n; q++) {
        while (z[k + 1]! < q) k++;
        const p = v[k]!;
        d[q] = w * (q - p) * (q - p) + f[p]!;
      }
      for (let q = 0; q < n; q++) out[start + q * stride] = d[q]!;
    }
  };
  function* lines(axis: 0 | 1 | 2) {
    if (axis === 0) for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) yield nx * (j + ny * k);
    else if (axis === 1) for (let k = 0; k < nz; k++) for (let i = 0; i < nx; i++) yield i + nx * ny * k;
    else for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) yield i + nx * j;
  }
  pass(nx, 1, lines(0), spacing[0]);
  pass(ny, nx, lines(1), spacing[1]);
  pass(nz, nx * ny, lines(2), spacing[2]);
  return out;
}

/** Dilation by a ball of `radiusMm`. */
export function dilate(mask: Uint8Array, dims: Dims, spacing: Vec3, radiusMm: number): Uint8Array {
  const d = squaredDistanceToMask(mask, dims, spacing);
  const r2 = radiusMm * radiusMm + 1e-6;
  return Uint8Array.from(d, (x) => (x <= r2 ? 1 : 0));
}

/** Erosion by a ball of `radiusMm` (voxels outside the grid count as background). */
export function erode(mask: Uint8Array, dims: Dims, spacing: Vec3, radiusMm: number): Uint8Array {
  const outside = Uint8Array.from(mask, (m) => (m ? 0 : 1));
  // The grid's border counts as background: treat a one-voxel frame as outside.
  const [nx, ny, nz] = dims;
  const d = squaredDistanceToMask(outside, dims, spacing);
  const r2 = radiusMm * radiusMm + 1e-6;
  const out = new Uint8Array(mask.length);
  for (let k = 0, i = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let x = 0; x < nx; x++, i++) {
        if (!mask[i]) continue;
        const border = Math.min((x + 1) * spacing[0], (nx - x) * spacing[0], (j + 1) * spacing[1], (ny - j) * spacing[1], (k + 1) * spacing[2], (nz - k) * spacing[2]);
        out[i] = d[i]! > r2 && border * border > r2 ? 1 : 0;
      }
  return out;
}

/** The largest 6-connected component of a mask (empty mask → empty). */
export function largestComponent6(mask: Uint8Array, dims: Dims): Uint8Array {
  const [nx, ny, nz] = dims;
  const label = new Int32Array(mask.length);
  const stack = new Int32Array(mask.length);
  let best = 0,
    bestSize = 0,
    next = 0;
  for (let s = 0; s < mask.length; s++) {
    if (!mask[s] || label[s]) continue;
    next++;
    let top = 0,
      size = 0;
    stack[top++] = s;
    label[s] = next;
    while (top > 0) {
      const i = stack[--top]!;
      size++;
      const x = i % nx,
        y = Math.floor(i / nx) % ny,
        z = Math.floor(i / (nx * ny));
      const visit = (j: number) => {
        if (mask[j] && !label[j]) {
          label[j] = next;
          stack[top++] = j;
        }
      };
      if (x > 0) visit(i - 1);
      if (x < nx - 1) visit(i + 1);
      if (y > 0) visit(i - nx);
      if (y < ny - 1) visit(i + nx);
      if (z > 0) visit(i - nx * ny);
      if (z < nz - 1) visit(i + nx * ny);
    }
    if (size > bestSize) {
      bestSize = size;
      best = next;
    }
  }
  return Uint8Array.from(label, (l) => (l === best && best > 0 ? 1 : 0));
}

/** Fill holes: background not 6-connected to the grid's border becomes foreground. */
export function fillHoles(mask: Uint8Array, dims: Dims): Uint8Array {
  const [nx, ny, nz] = dims;
  const outside = new Uint8Array(mask.length);
  const stack = new Int32Array(mask.length);
  let top = 0;
  const seed = (i: number) => {
    if (!mask[i] && !outside[i]) {
      outside[i] = 1;
      stack[top++] = i;
    }
  };
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) if (i === 0 || j === 0 || k === 0 || i === nx - 1 || j === ny - 1 || k === nz - 1) seed(i + nx * (j + ny * k));
  while (top > 0) {
    const i = stack[--top]!;
    const x = i % nx,
      y = Math.floor(i / nx) % ny,
      z = Math.floor(i / (nx * ny));
    if (x > 0) seed(i - 1);
    if (x < nx - 1) seed(i + 1);
    if (y > 0) seed(i - nx);
    if (y < ny - 1) seed(i + nx);
    if (z > 0) seed(i - nx * ny);
    if (z < nz - 1) seed(i + nx * ny);
  }
  return Uint8Array.from(outside, (o) => (o ? 0 : 1));
}
