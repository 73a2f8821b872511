import type { Dims } from '../volume';

/**
 * Connected components of a binary mask, 26-connectivity (voxels touching by a face, an edge or a
 * corner belong together, as `scipy.ndimage.label` with a 3×3×3 structure of ones). Layout as
 * imaging/volume.ts: x fastest. Components are numbered 1..count in the order their first voxel
 * (in file order) is met; 0 is background.
 *
 * 26- rather than 6-connectivity because a thin enhancing rim sampled on a coarse grid often
 * touches itself only diagonally: 6-connectivity would split one lesion into many.
 *
 * @example labelConnectedComponents({ mask: Uint8Array.of(1, 0, 1, 1), dims: [4, 1, 1] }) // { labels: Int32Array [1, 0, 2, 2], count: 2 }
 */
export function labelConnectedComponents({ mask, dims }: { mask: ArrayLike<number>; dims: Dims }): { labels: Int32Array; count: number } {
  const [nx, ny, nz] = dims;
  const n = nx * ny * nz;
  if (mask.length !== n) throw new RangeError(`mask has ${mask.length} voxels, dims ${dims.join('×')} need ${n}`);
  const labels = new Int32Array(n);
  const stack = new Int32Array(n);
  let count = 0;
  for (let seed = 0; seed < n; seed++) {
    if (!mask[seed] || labels[seed] !== 0) continue;
    count += 1;
    labels[seed] = count;
    let top = 0;
    stack[top++] = seed;
    while (top > 0) {
      const i = stack[--top]!;
      const x = i % nx;
      const y = Math.floor(i / nx) % ny;
      const z = Math.floor(i / (nx * ny));
      for (let dz = -1; dz <= 1; dz++) {
        const zz = z + dz;
        if (zz < 0 || zz >= nz) continue;
        for (let dy = -1; dy <= 1; dy++) {
          const yy = y + dy;
          if (yy < 0 || yy >= ny) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            if (xx < 0 || xx >= nx) continue;
            const j = xx + nx * (yy + ny * zz);
            if (mask[j] && labels[j] === 0) {
              labels[j] = count;
              stack[top++] = j;
            }
          }
        }
      }
    }
  }
  return { labels, count };
}
