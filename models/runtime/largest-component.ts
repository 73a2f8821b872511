import type { Dims } from '../../imaging/volume';

/**
 * Keeps the largest 6-connected component of the tumour (labels > 0) and sets every other tumour
 * voxel to background, labels unchanged inside the kept component. A glioma is one lesion; the
 * shipped model's stray false positives far from it (noise outside the head, vessels) are what this
 * removes — on the held-out synthetic subjects it moved HD95 from ~150 mm to ~2 mm (see the model
 * card). A multifocal tumour loses its smaller foci: that is the documented price, and why the
 * model card declares it (`inference.postprocess`) instead of the runtime always doing it.
 *
 * `labels` is x fastest on `dims`; modified in place and returned.
 *
 * @example largestComponent(Uint8Array.of(1, 0, 2, 2), [4, 1, 1]) // Uint8Array [0, 0, 2, 2]
 */
export function largestComponent(labels: Uint8Array, dims: Dims): Uint8Array {
  const [nx, ny, nz] = dims;
  const n = nx * ny * nz;
  const component = new Int32Array(n); // 0: unvisited or background
  const queue = new Int32Array(n);
  let best = 0;
  let bestSize = 0;
  let next = 0;
  for (let start = 0; start < n; start++) {
    if (labels[start] === 0 || component[start] !== 0) continue;
    next += 1;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    component[start] = next;
    while (head < tail) {
      const i = queue[head++]!;
      const x = i % nx;
      const y = Math.floor(i / nx) % ny;
      const z = Math.floor(i / (nx * ny));
      const visit = (j: number) => {
        if (labels[j] !== 0 && component[j] === 0) {
          component[j] = next;
          queue[tail++] = j;
        }
      };
      if (x > 0) visit(i - 1);
      if (x < nx - 1) visit(i + 1);
      if (y > 0) visit(i - nx);
      if (y < ny - 1) visit(i + nx);
      if (z > 0) visit(i - nx * ny);
      if (z < nz - 1) visit(i + nx * ny);
    }
    if (tail > bestSize) {
      bestSize = tail;
      best = next;
    }
  }
  for (let i = 0; i < n; i++) if (labels[i] !== 0 && component[i] !== best) labels[i] = 0;
  return labels;
}
