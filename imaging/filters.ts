/**
 * Separable Gaussian smoothing of x-fastest 3D arrays (layout: see volume.ts). Sigmas are in
 * voxels per axis; a sigma of 0 leaves that axis alone. Borders are handled by renormalising the
 * kernel over the voxels inside the grid (no zero padding darkening the edges).
 */
import type { Dims } from './volume';

function kernel(sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp((-0.5 * i * i) / (sigma * sigma));
    k[i + radius] = v;
    sum += v;
  }
  for (let i = 0; i < k.length; i++) k[i]! /= sum;
  return k;
}

function blurAxis(src: Float32Array, dst: Float32Array, dims: Dims, axis: 0 | 1 | 2, sigma: number): void {
  const [nx, ny, nz] = dims;
  const len = dims[axis];
  const stride = axis === 0 ? 1 : axis === 1 ? nx : nx * ny;
  const k = kernel(sigma);
  const r = (k.length - 1) >> 1;
  const line = new Float32Array(len);
  const outer = axis === 0 ? [ny, nz, nx, nx * ny] : axis === 1 ? [nx, nz, 1, nx * ny] : [nx, ny, 1, nx];
  const [na, nb, sa, sb] = outer as [number, number, number, number];
  for (let b = 0; b < nb; b++)
    for (let a = 0; a < na; a++) {
      const base = a * sa + b * sb;
      for (let i = 0; i < len; i++) line[i] = src[base + i * stride]!;
      for (let i = 0; i < len; i++) {
        const lo = Math.max(0, i - r);
        const hi = Math.min(len - 1, i + r);
        let s = 0;
        let w = 0;
        for (let j = lo; j <= hi; j++) {
          const kw = k[j - i + r]!;
          s += kw * line[j]!;
          w += kw;
        }
        dst[base + i * stride] = s / w;
      }
    }
}

/** Gaussian blur; returns a new array (the input is not modified). */
export function gaussianBlur(data: Float32Array, dims: Dims, sigma: readonly [number, number, number]): Float32Array {
  let cur = Float32Array.from(data);
  let tmp = new Float32Array(data.length);
  for (const axis of [0, 1, 2] as const) {
    const s = sigma[axis];
    if (!(s > 0) || dims[axis] < 2) continue;
    blurAxis(cur, tmp, dims, axis, s);
    [cur, tmp] = [tmp, cur];
  }
  return cur;
}

/** Smooth white noise on a grid: unit-variance Gaussian noise blurred and rescaled to unit SD. */
export function smoothNoise(dims: Dims, sigma: number, normal: () => number): Float32Array {
  const n = dims[0] * dims[1] * dims[2];
  const raw = new Float32Array(n);
  for (let i = 0; i < n; i++) raw[i] = normal();
  const out = gaussianBlur(raw, dims, [sigma, sigma, sigma]);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += out[i]! * out[i]!;
  const sd = Math.sqrt(ss / n) || 1;
  for (let i = 0; i < n; i++) out[i]! /= sd;
  return out;
}
