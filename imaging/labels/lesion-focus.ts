/**
 * Where "jump to the lesion" goes: the labelled voxel nearest to the centroid of the labels in
 * `target` (by default the tumour core {2, 3}, falling back to the whole tumour {1, 2, 3} when the
 * core is empty), as voxel indices [x, y, z] in file order. Snapping to a labelled voxel keeps the
 * crosshair inside the lesion when the centroid of a ring-shaped one falls in its necrotic centre.
 * Returns null for an empty label map.
 *
 * @example lesionFocus({ labels: Uint8Array.of(0, 3, 0, 3, 0), dims: [5, 1, 1] }) // [1, 0, 0] (centroid x = 2 is unlabelled; 1 and 3 tie, the first wins)
 */
export function lesionFocus({ labels, dims, target }: { labels: ArrayLike<number>; dims: readonly [number, number, number]; target?: readonly number[] }): [number, number, number] | null {
  const sets = target
    ? [target]
    : [
        [2, 3],
        [1, 2, 3],
      ];
  const [nx, ny] = dims;
  for (const set of sets) {
    let count = 0;
    let cx = 0;
    let cy = 0;
    let cz = 0;
    for (let i = 0; i < labels.length; i++) {
      if (!set.includes(labels[i]!)) continue;
      const x = i % nx;
      const y = Math.floor(i / nx) % ny;
      const z = Math.floor(i / (nx * ny));
      count += 1;
      cx += x;
      cy += y;
      cz += z;
    }
    if (count === 0) continue;
    cx /= count;
    cy /= count;
    cz /= count;
    let best = -1;
    let bestD = Infinity;
    for (let i = 0; i < labels.length; i++) {
      if (!set.includes(labels[i]!)) continue;
      const x = i % nx;
      const y = Math.floor(i / nx) % ny;
      const z = Math.floor(i / (nx * ny));
      const d = (x - cx) ** 2 + (y - cy) ** 2 + (z - cz) ** 2;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    return [best % nx, Math.floor(best / nx) % ny, Math.floor(best / (nx * ny))];
  }
  return null;
}
