import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeNifti } from '@/imaging/nifti/read-nifti';
import { encodeNiftiFile } from '@/imaging/nifti/write-nifti';
import { createContentStore } from '@/imaging/storage/content-store';
import { applyAffine, invertAffine, multiply4, rigidTransform, spacingFromAffine, type Grid, type Mat4 } from '@/imaging/volume';
import { currentToPriorWorld } from './current-to-prior-world';
import type { VisitRegistration } from './register-to-baseline';
import { resamplePriorVisit } from './resample-prior-visit';

const store = createContentStore(mkdtempSync(path.join(os.tmpdir(), 'segtrial-resample-prior-')));
const deg = Math.PI / 180;

/** The patient's anatomy in baseline world mm: an ellipsoidal lesion (label 3) inside a larger one (label 2). */
function labelAt([x, y, z]: readonly number[]): number {
  const r = ((x! - 6) / 14) ** 2 + ((y! + 4) / 9) ** 2 + ((z! - 2) / 7) ** 2;
  return r <= 1 ? 3 : r <= 2.2 ? 2 : 0;
}

/** A visit's labels on its own grid: the anatomy seen through baseline ← visit (world → baseline world). */
function render(grid: Grid, visitToBaseline: Mat4): Uint8Array {
  const [nx, ny, nz] = grid.dims;
  const out = new Uint8Array(nx * ny * nz);
  for (let k = 0, o = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++, o++) out[o] = labelAt(applyAffine(visitToBaseline, applyAffine(grid.affine, [i, j, k])));
  return out;
}

const registration = (baselineToFollowupWorld: number[]): VisitRegistration => ({
  baselineStudyId: 'baseline-study',
  kind: 'rigid',
  source: 'elastix',
  baselineToFollowupWorld,
  followupToBaselineWorld: invertAffine(baselineToFollowupWorld),
  rotationDeg: 0,
  centreShiftMm: 0,
  nmiBefore: 1,
  nmiAfter: 1.2,
  problems: [],
  ok: true,
});

/** World centroid (mm) of a label on a grid. */
const centroid = (grid: Grid, labels: Uint8Array, label: number) => {
  const sum = [0, 0, 0];
  let n = 0;
  const [nx, ny] = grid.dims;
  labels.forEach((v, o) => {
    if (v !== label) return;
    const p = applyAffine(grid.affine, [o % nx, Math.floor(o / nx) % ny, Math.floor(o / (nx * ny))]);
    for (let a = 0; a < 3; a++) sum[a] = sum[a]! + p[a]!;
    n++;
  });
  return sum.map((s) => s / n);
};

const agreement = (a: Uint8Array, b: Uint8Array, label: number) => {
  let both = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === label) na++;
    if (b[i] === label) nb++;
    if (a[i] === label && b[i] === label) both++;
  }
  return (2 * both) / (na + nb);
};

// Three sessions with the head in different positions and different grids (spacing, orientation, field of view).
const baselineGrid: Grid = { dims: [40, 40, 30], affine: [1.5, 0, 0, -30, 0, 1.5, 0, -30, 0, 0, 2, -30, 0, 0, 0, 1] };
const fu1Grid: Grid = { dims: [48, 44, 36], affine: [-1.25, 0, 0, 30, 0, 1.25, 0, -28, 0, 0, 1.6, -28, 0, 0, 0, 1] };
const fu2Grid: Grid = { dims: [36, 36, 36], affine: multiply4(rigidTransform([0, 0, 8 * deg], [0, 0, 0]), [1.75, 0, 0, -31, 0, 1.75, 0, -31, 0, 0, 1.75, -31, 0, 0, 0, 1]) };
const fu1 = registration(rigidTransform([6 * deg, -4 * deg, 12 * deg], [7, -5, 3], [0, 0, 0]));
const fu2 = registration(rigidTransform([-9 * deg, 5 * deg, -7 * deg], [-6, 8, -4], [2, 1, 0]));

describe('currentToPriorWorld', () => {
  it('goes current → baseline → prior; the identity for a baseline prior composes to the inverse registration', () => {
    const t = currentToPriorWorld(fu2, null);
    expect(t).toEqual(fu2.followupToBaselineWorld);
    const p = [10, -3, 7] as const;
    const viaBaseline = applyAffine(fu1.baselineToFollowupWorld, applyAffine(fu2.followupToBaselineWorld, p));
    const direct = applyAffine(currentToPriorWorld(fu2, fu1), p);
    for (let a = 0; a < 3; a++) expect(direct[a]).toBeCloseTo(viaBaseline[a]!, 9);
  });

  it('refuses visits registered to different baselines', () => {
    expect(() => currentToPriorWorld(fu2, { ...fu1, baselineStudyId: 'another' })).toThrow(/re-record/);
  });
});

describe('resamplePriorVisit', () => {
  const currentLabels = render(fu2Grid, fu2.followupToBaselineWorld);

  for (const [name, grid, reg] of [
    ['baseline', baselineGrid, null],
    ['nadir (another follow-up)', fu1Grid, fu1],
  ] as const) {
    it(`puts the ${name} prior onto the current grid so the lesion lines up voxel for voxel`, async () => {
      const priorLabels = render(grid, reg ? reg.followupToBaselineWorld : [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
      const { sha256 } = await store.put(encodeNiftiFile('prior.nii.gz', { dims: grid.dims, spacing: spacingFromAffine(grid.affine), affine: grid.affine, data: priorLabels }, { datatype: 'uint8' }));
      const out = await resamplePriorVisit({ store, priorSha256: sha256, currentGrid: fu2Grid, current: fu2, prior: reg, labels: true });
      const decoded = await decodeNifti(out.bytes, 'out.nii.gz');
      expect(decoded.dims).toEqual(fu2Grid.dims);
      for (let i = 0; i < 12; i++) expect(decoded.affine[i]).toBeCloseTo(fu2Grid.affine[i]!, 4);
      const onCurrent = Uint8Array.from(decoded.data);
      expect(new Set(onCurrent)).toEqual(new Set([0, 2, 3]));
      // Nearest-neighbour resampling of a shape rendered on another grid: the lesion's Dice stays high.
      expect(agreement(onCurrent, currentLabels, 3)).toBeGreaterThan(0.85);
      expect(agreement(onCurrent, currentLabels, 2)).toBeGreaterThan(0.8);
      // The lesion's centre lands where the current scan has it, well within one voxel (1.75 mm).
      const [a, b] = [centroid(fu2Grid, onCurrent, 3), centroid(fu2Grid, currentLabels, 3)];
      expect(Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!)).toBeLessThan(0.6);
      // Without the registration (scanner coordinates alone) the same lesion misses by far.
      const { bytes } = await resamplePriorVisit({
        store,
        priorSha256: sha256,
        currentGrid: fu2Grid,
        current: registration([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]),
        prior: null,
        labels: true,
      });
      const unregistered = Uint8Array.from((await decodeNifti(bytes, 'u.nii.gz')).data);
      expect(agreement(unregistered, currentLabels, 3)).toBeLessThan(0.6);
      expect(out.etag).not.toBe((await resamplePriorVisit({ store, priorSha256: sha256, currentGrid: fu2Grid, current: fu1, prior: null, labels: true })).etag);
    });
  }
});
