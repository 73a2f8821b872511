import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VolumeFormatError } from '../errors';
import { readNifti } from '../nifti/read-nifti';
import type { Volume } from '../volume';
import { assessRanoResponse } from './assess-rano-response';
import { feretDiameters } from './feret-diameters';
import { labelConnectedComponents } from './label-connected-components';
import { measureEnhancingLesions, type EnhancingLesion, type LesionMeasurement } from './measure-enhancing-lesions';
import { selectTargetLesions } from './select-target-lesions';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

interface ExpectedLesion {
  slice: number;
  longestDiameterMm: number;
  perpendicularDiameterMm: number;
  productMm2: number;
  sliceCount: number;
  voxelCount: number;
  volumeMl: number;
  measurable: boolean;
  centroidMm: number[];
}
interface ExpectedCase {
  file: string;
  note: string;
  sliceAxis: number;
  known: { longestDiameterMm: number; perpendicularDiameterMm: number; voxelMm: number };
  lesions: ExpectedLesion[];
}
const expected = JSON.parse(readFileSync(path.join(fixtures, 'expected.json'), 'utf8')) as Record<string, ExpectedCase>;

describe('measureEnhancingLesions against the SciPy reference (fixtures/make-fixtures.py)', () => {
  for (const [name, want] of Object.entries(expected)) {
    it(`${name}: ${want.note}`, async () => {
      const labels = await readNifti(path.join(fixtures, want.file));
      const got = measureEnhancingLesions({ labels, file: want.file });
      expect(got.sliceAxis).toBe(want.sliceAxis);
      expect(got.lesions).toHaveLength(want.lesions.length);
      for (const [i, w] of want.lesions.entries()) {
        const g = got.lesions[i]!;
        expect(g.id).toBe(i + 1);
        expect(g.slice).toBe(w.slice);
        // The NIfTI affine is stored as float32, so the two sides agree to about 1e-6 mm, not 1e-12.
        expect(g.longestDiameterMm).toBeCloseTo(w.longestDiameterMm, 4);
        expect(g.perpendicularDiameterMm).toBeCloseTo(w.perpendicularDiameterMm, 4);
        expect(g.productMm2).toBeCloseTo(w.productMm2, 3);
        expect(g.sliceCount).toBe(w.sliceCount);
        expect(g.voxelCount).toBe(w.voxelCount);
        expect(g.volumeMl).toBeCloseTo(w.volumeMl, 6);
        expect(g.measurable).toBe(w.measurable);
        for (let a = 0; a < 3; a++) expect(g.centroidMm[a]!).toBeCloseTo(w.centroidMm[a]!, 4);
      }
      // Known geometry: the main lesion's diameters within one voxel of the ellipsoid's own.
      const main = got.lesions[0]!;
      expect(Math.abs(main.longestDiameterMm - want.known.longestDiameterMm)).toBeLessThanOrEqual(want.known.voxelMm);
      expect(Math.abs(main.perpendicularDiameterMm - want.known.perpendicularDiameterMm)).toBeLessThanOrEqual(want.known.voxelMm);
    });
  }

  it('several-lesions: only the ring lesion is measurable; the small and the one-slice lesions are not', async () => {
    const got = measureEnhancingLesions({ labels: await readNifti(path.join(fixtures, 'several-lesions.nii.gz')) });
    expect(got.lesions.map((l) => l.measurable)).toEqual([true, false, false]);
    expect(got.lesions.some((l) => l.sliceCount === 1)).toBe(true);
    expect(selectTargetLesions(got.lesions).map((l) => l.id)).toEqual([1]);
  });
});

function box({
  dims,
  spacing = [1, 1, 1],
  boxes,
}: {
  dims: [number, number, number];
  spacing?: [number, number, number];
  boxes: { from: [number, number, number]; to: [number, number, number]; label?: number }[];
}): Volume {
  const [nx, ny, nz] = dims;
  const data = new Float32Array(nx * ny * nz);
  for (const b of boxes) for (let z = b.from[2]; z <= b.to[2]; z++) for (let y = b.from[1]; y <= b.to[1]; y++) for (let x = b.from[0]; x <= b.to[0]; x++) data[x + nx * (y + ny * z)] = b.label ?? 3;
  return { dims, spacing, affine: [spacing[0], 0, 0, 0, 0, spacing[1], 0, 0, 0, 0, spacing[2], 0, 0, 0, 0, 1], data };
}

describe('measureEnhancingLesions on hand-computable volumes', () => {
  it('a 12 × 12 voxel square on 3 slices: diagonals of 11√2 mm, measurable; volume 432 voxels', () => {
    const m = measureEnhancingLesions({ labels: box({ dims: [20, 20, 5], boxes: [{ from: [2, 3, 1], to: [13, 14, 3] }] }) });
    const l = m.lesions[0]!;
    expect(l.longestDiameterMm).toBeCloseTo(11 * Math.SQRT2, 9);
    expect(l.perpendicularDiameterMm).toBeCloseTo(11 * Math.SQRT2, 9);
    expect(l.productMm2).toBeCloseTo(242, 9);
    expect(l.sliceCount).toBe(3);
    expect(l.volumeMl).toBeCloseTo(0.432, 12);
    expect(l.measurable).toBe(true);
    expect(l.longestDiameterVoxels.map((p) => p.map((v) => +v.toFixed(9)))).toEqual([
      [2, 3, 1],
      [13, 14, 1],
    ]);
  });

  it('anisotropic voxels count with their size: 11 voxels of 0.5 mm span 5 mm, too short to measure', () => {
    const m = measureEnhancingLesions({ labels: box({ dims: [30, 30, 4], spacing: [0.5, 2, 3], boxes: [{ from: [0, 0, 0], to: [10, 7, 1] }] }) });
    const l = m.lesions[0]!;
    expect(l.longestDiameterMm).toBeCloseTo(Math.hypot(5, 14), 9);
    expect(l.measurable).toBe(false);
    expect(l.volumeMl).toBeCloseTo((11 * 8 * 2 * 0.5 * 2 * 3) / 1000, 12);
  });

  it('only label 3 counts; edema and non-enhancing core are not lesions; an empty map has none', () => {
    const m = measureEnhancingLesions({
      labels: box({
        dims: [10, 10, 3],
        boxes: [
          { from: [0, 0, 0], to: [9, 9, 2], label: 1 },
          { from: [2, 2, 0], to: [5, 5, 2], label: 2 },
        ],
      }),
    });
    expect(m.lesions).toEqual([]);
    expect(m.enhancingVolumeMl).toBe(0);
  });

  it('refuses a voxel that is not an MSD label, naming the file and the value', () => {
    const v = box({ dims: [4, 4, 2], boxes: [] });
    (v.data as Float32Array)[5] = 2.5;
    expect(() => measureEnhancingLesions({ labels: v, file: 'x.nii.gz' })).toThrow(VolumeFormatError);
    expect(() => measureEnhancingLesions({ labels: v, file: 'x.nii.gz' })).toThrow(/x\.nii\.gz: voxel 5 value is 2\.5, expected an MSD label/);
    (v.data as Float32Array)[5] = Number.NaN;
    expect(() => measureEnhancingLesions({ labels: v })).toThrow(/NaN/);
  });
});

describe('pieces', () => {
  it('labelConnectedComponents joins corner neighbours (26-connectivity)', () => {
    const mask = new Uint8Array(8);
    mask[0] = 1; // (0,0,0)
    mask[7] = 1; // (1,1,1)
    expect(labelConnectedComponents({ mask, dims: [2, 2, 2] }).count).toBe(1);
    expect(labelConnectedComponents({ mask: Uint8Array.of(1, 0, 1, 1), dims: [4, 1, 1] })).toEqual({ labels: Int32Array.of(1, 0, 2, 2), count: 2 });
  });

  it('feretDiameters of a 4 × 2 rectangle: the diagonal and the extent across it', () => {
    const f = feretDiameters([
      [0, 0],
      [4, 0],
      [4, 2],
      [0, 2],
      [2, 1],
    ]);
    expect(f.longestMm).toBeCloseTo(Math.sqrt(20), 12);
    expect(f.perpendicularMm).toBeCloseTo(16 / Math.sqrt(20), 12);
    expect(feretDiameters([])).toMatchObject({ longestMm: 0, perpendicularMm: 0 });
    expect(feretDiameters([[1, 1]])).toMatchObject({ longestMm: 0, perpendicularMm: 0 });
  });

  it('selectTargetLesions keeps at most three measurable lesions, largest product first', () => {
    const ls = [1, 2, 3, 4, 5].map((id) => ({ id, measurable: id !== 2, productMm2: id * 100, volumeMl: 1 }));
    expect(selectTargetLesions(ls).map((l) => l.id)).toEqual([5, 4, 3]);
  });
});

let nextId = 1;
function lesion(ld: number, pd: number, centre: [number, number, number], extra: Partial<EnhancingLesion> = {}): EnhancingLesion {
  return {
    id: nextId++,
    voxelCount: 1,
    volumeMl: (ld * pd * Math.min(ld, pd)) / 2000,
    sliceCount: 5,
    slice: 0,
    longestDiameterMm: ld,
    perpendicularDiameterMm: pd,
    productMm2: ld * pd,
    measurable: ld >= 10 && pd >= 10,
    centroidMm: centre,
    longestDiameterVoxels: [
      [0, 0, 0],
      [0, 0, 0],
    ],
    ...extra,
  };
}
function tp(visit: string, lesions: EnhancingLesion[], within12 = false) {
  const sorted = [...lesions].sort((a, b) => b.productMm2 - a.productMm2).map((l, i) => ({ ...l, id: i + 1 }));
  const measurement: LesionMeasurement = { sliceAxis: 2, lesions: sorted, enhancingVolumeMl: sorted.reduce((s, l) => s + l.volumeMl, 0) };
  return { visit, measurement, withinTwelveWeeksOfRadiotherapy: within12 };
}

describe('assessRanoResponse', () => {
  const base = tp('baseline', [lesion(30, 20, [0, 0, 0]), lesion(20, 15, [40, 0, 0]), lesion(6, 5, [-40, 0, 0])]);

  it('sums the baseline targets; PR at −50 % from baseline, PD at +25 % from the nadir, SD between', () => {
    const r = assessRanoResponse([
      base,
      tp('fu1', [lesion(20, 15, [1, 0, 0]), lesion(12, 10, [40, 1, 0]), lesion(6, 5, [-40, 0, 0])]),
      tp('fu2', [lesion(22, 16, [1, 0, 0]), lesion(12, 11, [40, 1, 0])]),
      tp('fu3', [lesion(25, 18, [1, 0, 0]), lesion(14, 12, [40, 1, 0])]),
    ]).timepoints;
    expect(r[0]!.sumProductsMm2).toBe(900); // 600 + 300; the 6 × 5 lesion is not measurable, not a target
    expect(r[1]!.sumProductsMm2).toBe(420);
    expect(r[1]!.productChangeFromBaselinePct).toBeCloseTo(-53.333, 3);
    expect(r[1]!.category).toBe('PR');
    expect(r[1]!.rule).toMatch(/−?-53\.3 % from baseline/);
    // fu2: 352 + 132 = 484, +15.2 % from the nadir (fu1, 420): still −46 % from baseline → SD
    expect(r[2]!.nadirVisit).toBe('fu1');
    expect(r[2]!.productChangeFromNadirPct).toBeCloseTo(15.238, 3);
    expect(r[2]!.category).toBe('SD');
    // fu3: 450 + 168 = 618 = +47 % from the nadir → PD, although still below baseline
    expect(r[3]!.productChangeFromBaselinePct).toBeCloseTo(-31.333, 3);
    expect(r[3]!.category).toBe('PD');
    expect(r[3]!.rule).toMatch(/from the nadir \(fu1\)/);
  });

  it('a new measurable lesion is PD whatever the sums do; a new small one is not', () => {
    const small = assessRanoResponse([base, tp('fu1', [lesion(30, 20, [0, 0, 0]), lesion(20, 15, [40, 0, 0]), lesion(6, 5, [0, 60, 0])])]).timepoints[1]!;
    expect(small.category).toBe('SD');
    const big = assessRanoResponse([base, tp('fu1', [lesion(20, 12, [0, 0, 0]), lesion(12, 11, [0, 60, 0])])]).timepoints[1]!;
    expect(big.newMeasurableLesionIds).toEqual([2]);
    expect(big.category).toBe('PD');
    expect(big.rule).toMatch(/new measurable enhancing lesion \(#2\)/);
  });

  it('no enhancing lesion left is CR; disease back after CR is PD; PD within 12 weeks of radiotherapy needs confirmation', () => {
    const r = assessRanoResponse([base, tp('fu1', []), tp('fu2', [lesion(12, 10, [1, 1, 0])], true)]).timepoints;
    expect(r[1]!.category).toBe('CR');
    expect(r[2]!.category).toBe('PD');
    expect(r[2]!.rule).toMatch(/reappeared after disappearing at fu1/);
    expect(r[2]!.needsConfirmation).toBe(true);
  });

  it('volumetric option: −65 % / +40 % on the sums of volumes, reported beside the bidimensional call', () => {
    const r = assessRanoResponse([tp('baseline', [lesion(30, 20, [0, 0, 0], { volumeMl: 10 })]), tp('fu1', [lesion(21, 14, [0, 0, 0], { volumeMl: 4 })])]).timepoints[1]!;
    expect(r.productChangeFromBaselinePct).toBeCloseTo(-51, 6);
    expect(r.category).toBe('PR');
    expect(r.volumeChangeFromBaselinePct).toBeCloseTo(-60, 6);
    expect(r.volumetricCategory).toBe('SD');
  });

  it('non-measurable disease at baseline: no targets, SD unless a new measurable lesion appears', () => {
    const r = assessRanoResponse([tp('baseline', [lesion(8, 6, [0, 0, 0])]), tp('fu1', [lesion(9, 7, [0, 0, 0])])]);
    expect(r.targetLesionIds).toEqual([]);
    expect(r.timepoints[1]!.category).toBe('SD');
    expect(r.timepoints[1]!.rule).toMatch(/no measurable enhancing disease at baseline/);
    expect(() => assessRanoResponse([])).toThrow(RangeError);
  });
});
