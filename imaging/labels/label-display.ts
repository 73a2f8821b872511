/**
 * What the viewer draws of a label map (MSD Task01 labels: 0 background, 1 edema, 2 non-enhancing
 * tumour, 3 enhancing tumour), computed on the voxel array in file order (x fastest, see
 * ../volume.ts). Pure: the browser runs it on the loaded label volume and writes the result back
 * into the overlay texture.
 *
 * - `visible[l]` false hides label l (its voxels become 0).
 * - `outline` keeps only boundary voxels: a labelled voxel at least one of whose 6 face neighbours
 *   has another label (or lies outside the volume). With outline, a hidden neighbour counts as
 *   another label, so the outline of what is shown stays closed.
 *
 * @example labelDisplay({ labels: Uint8Array.of(1, 1, 1), dims: [3, 1, 1], visible: [false, true, true, true], outline: false }) // Uint8Array [1, 1, 1]
 */
export function labelDisplay({ labels, dims, visible, outline }: { labels: ArrayLike<number>; dims: readonly [number, number, number]; visible: readonly boolean[]; outline: boolean }): Uint8Array {
  const [nx, ny, nz] = dims;
  const n = nx * ny * nz;
  if (labels.length !== n) throw new RangeError(`label map has ${labels.length} voxels, dims ${dims.join('×')} need ${n}`);
  const shown = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const l = labels[i]! | 0;
    shown[i] = l > 0 && visible[l] === true ? l : 0;
  }
  if (!outline) return shown;
  const out = new Uint8Array(n);
  const sx = 1;
  const sy = nx;
  const sz = nx * ny;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const i = x + nx * (y + ny * z);
        const l = shown[i]!;
        if (l === 0) continue;
        const border =
          x === 0 ||
          x === nx - 1 ||
          y === 0 ||
          y === ny - 1 ||
          z === 0 ||
          z === nz - 1 ||
          shown[i - sx] !== l ||
          shown[i + sx] !== l ||
          shown[i - sy] !== l ||
          shown[i + sy] !== l ||
          shown[i - sz] !== l ||
          shown[i + sz] !== l;
        if (border) out[i] = l;
      }
  return out;
}
