import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNifti } from '../nifti/read-nifti';
import { encodeNifti } from '../nifti/write-nifti';
import { orientationCode } from '../orientation';
import { Rng } from '../random';
import { applyAffine, spacingFromAffine, gridCentre, type Grid } from '../volume';
import { drawCovariates, drawOutcome } from './covariates';
import { drawDeformation, subjectToTemplatePoint, templateToSubjectPoint } from './deformation';
import { generateCohort } from './generate-cohort';
import { canonicalGrid, generateSubject, type Subject } from './generate-subject';
import { acquire, acquisitionGrid, drawMisalignment, identityMisalignment, misalignmentMatrix } from './scanner';
import { sequences, sites } from './sites';
import { loadTemplate } from './template';
import { drawTumorDesign } from './tumor';

/** First subject index (from 0) whose tumour draw satisfies `want`, found without rendering. */
function findIndex(seed: string, site: keyof typeof sites, want: (kind: string | null) => boolean): number {
  for (let i = 0; i < 500; i++) {
    const rng = new Rng(`${seed}/subject-${i}`);
    const cov = drawCovariates(rng.fork('covariates'), sites[site]);
    const d = drawTumorDesign(rng.fork('tumor'), cov.age, sites[site]);
    if (want(d?.kind ?? null)) return i;
  }
  throw new Error('no such subject');
}

function meanWhere(img: Float32Array, where: (i: number) => boolean): number {
  let s = 0,
    n = 0;
  for (let i = 0; i < img.length; i++)
    if (where(i)) {
      s += img[i]!;
      n++;
    }
  expect(n, 'voxels in the class').toBeGreaterThan(20);
  return s / n;
}

describe('Colin27 template', () => {
  it('has CSF < GM < WM class intensities near the known values', async () => {
    const t = await loadTemplate();
    expect([...t.volume.dims]).toEqual([181, 217, 181]);
    const [c, g, w] = t.means;
    expect(c).toBeGreaterThan(25);
    expect(c).toBeLessThan(50);
    expect(g).toBeGreaterThan(75);
    expect(g).toBeLessThan(95);
    expect(w).toBeGreaterThan(105);
    expect(w).toBeLessThan(120);
  });
});

describe('generateSubject (small grid, canonical, no misalignment)', () => {
  const seed = 'contrast-test';
  const ringIndex = findIndex(seed, 'site-a', (k) => k === 'ring');
  let subject: Subject;

  it('renders a ring tumour with the four sequences and labels on the canonical grid', async () => {
    subject = await generateSubject({ seed, index: ringIndex, site: 'site-a', size: 'small', grid: 'canonical', misalign: false });
    const g = subject.canonical;
    for (const q of sequences) {
      expect([...subject.images[q].dims]).toEqual([...g.dims]);
      expect(subject.images[q].affine).toEqual(g.affine);
    }
    const present = new Set(subject.label.data);
    expect([...present].sort()).toEqual([0, 1, 2, 3]);
    expect(subject.record.tumor?.kind).toBe('ring');
  });

  it('orders tissue contrasts per sequence as in clinical images', () => {
    const lab = subject.canonicalLabels;
    const tis = subject.canonicalTissue;
    const m = (q: (typeof sequences)[number], where: (i: number) => boolean) => meanWhere(subject.images[q].data, where);
    const healthy = (c: number) => (i: number) => lab[i] === 0 && tis[i] === c;
    const csf = healthy(1),
      gm = healthy(2),
      wm = healthy(3);
    const edema = (i: number) => lab[i] === 1;
    const necrosis = (i: number) => lab[i] === 2;
    const enhancing = (i: number) => lab[i] === 3;
    // FLAIR: oedema brightest, CSF dark.
    expect(m('flair', edema)).toBeGreaterThan(m('flair', wm));
    expect(m('flair', edema)).toBeGreaterThan(m('flair', gm));
    expect(m('flair', csf)).toBeLessThan(m('flair', gm));
    expect(m('flair', csf)).toBeLessThan(m('flair', wm));
    // T1: WM > GM > CSF, tumour dark.
    expect(m('t1', wm)).toBeGreaterThan(m('t1', gm));
    expect(m('t1', gm)).toBeGreaterThan(m('t1', csf));
    expect(m('t1', enhancing)).toBeLessThan(m('t1', wm));
    expect(m('t1', necrosis)).toBeLessThan(m('t1', wm));
    // T1gd: enhancing rim brightest, necrosis dark.
    expect(m('t1gd', enhancing)).toBeGreaterThan(m('t1gd', wm));
    expect(m('t1gd', necrosis)).toBeLessThan(m('t1gd', gm));
    // T2: CSF and oedema bright.
    expect(m('t2', csf)).toBeGreaterThan(m('t2', gm));
    expect(m('t2', gm)).toBeGreaterThan(m('t2', wm));
    expect(m('t2', edema)).toBeGreaterThan(m('t2', wm));
  });

  it('nests labels: core inside rim, tumour inside oedema (6-neighbourhood)', () => {
    const [nx, ny, nz] = subject.canonical.dims;
    const l = subject.canonicalLabels;
    let checked = 0;
    for (let z = 1; z < nz - 1; z++)
      for (let y = 1; y < ny - 1; y++)
        for (let x = 1; x < nx - 1; x++) {
          const i = x + nx * (y + ny * z);
          const v = l[i]!;
          if (v < 2) continue;
          for (const j of [i - 1, i + 1, i - nx, i + nx, i - nx * ny, i + nx * ny]) {
            if (v === 2) expect(l[j]! >= 2, `core voxel ${i} touches label ${l[j]}`).toBe(true);
            expect(l[j], `tumour voxel ${i} touches background`).not.toBe(0);
          }
          checked++;
        }
    expect(checked).toBeGreaterThan(50);
  });
});

// The first subject with head tissue in a test file prepares Colin27's head for its grid once (a
// blur of 7 M voxels); under a loaded shared machine that alone took most of the default 60 s.
describe('determinism and cohort files', { timeout: 180_000 }, () => {
  it('same seed → identical bytes; another seed → different', async () => {
    const a = await generateSubject({ seed: 5, index: 1, site: 'site-x', size: 'tiny' });
    const b = await generateSubject({ seed: 5, index: 1, site: 'site-x', size: 'tiny' });
    const c = await generateSubject({ seed: 6, index: 1, site: 'site-x', size: 'tiny' });
    for (const q of sequences) expect(Buffer.compare(encodeNifti(a.images[q], { datatype: 'int16' }), encodeNifti(b.images[q], { datatype: 'int16' }))).toBe(0);
    expect(JSON.stringify(a.record)).toBe(JSON.stringify(b.record));
    expect(Buffer.from(a.images.t1.data.buffer).equals(Buffer.from(c.images.t1.data.buffer))).toBe(false);
  });

  it('tumour-free subjects have an empty label map and are not high-grade', async () => {
    const i = findIndex('free', 'site-b', (k) => k === null);
    const s = await generateSubject({ seed: 'free', index: i, site: 'site-b', size: 'tiny' });
    expect(s.record.tumor).toBeNull();
    expect(s.label.data.every((v) => v === 0)).toBe(true);
    expect(s.record.outcome.highGrade).toBe(false);
  });

  it('writes NIfTI files, manifest.json and manifest.csv that read back; the same seed gives the same files', async () => {
    const dirA = mkdtempSync(path.join(os.tmpdir(), 'cohort-a-'));
    const dirB = mkdtempSync(path.join(os.tmpdir(), 'cohort-b-'));
    const m = await generateCohort({ out: dirA, n: 3, seed: 11, size: 'tiny' });
    await generateCohort({ out: dirB, n: 3, seed: 11, size: 'tiny' });
    expect(m.subjects.map((s) => s.site)).toEqual(['site-a', 'site-b', 'site-x']);
    const csv = readFileSync(path.join(dirA, 'manifest.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(4);
    expect(csv[0]).toMatch(/^id,site,site_role,age,sex,vendor,field_strength_t,/);
    for (const s of m.subjects)
      for (const [kind, f] of Object.entries(s.files)) {
        const bytesA = readFileSync(path.join(dirA, f));
        expect(bytesA.equals(readFileSync(path.join(dirB, f))), f).toBe(true);
        const v = await readNifti(path.join(dirA, f));
        expect(v.qformCode).toBe(1);
        expect(v.sformCode).toBe(1);
        const rec = kind === 'label' ? s.label : s.sequences[kind as (typeof sequences)[number]];
        expect([...v.dims]).toEqual(rec.dims);
        v.affine.forEach((x, k) => expect(x).toBeCloseTo(rec.affine[k]!, 4));
        v.qform!.forEach((x, k) => expect(x).toBeCloseTo(rec.affine[k]!, 4));
        expect(orientationCode(v.affine)).toBe(rec.orientation);
        if (kind === 'label') expect(new Set(v.data).size).toBeLessThanOrEqual(4);
      }
    const x = m.subjects[2]!;
    expect(x.sequences.t1gd.orientation).toBe('PIR');
    expect(x.sequences.flair.orientation).toBe('LPS');
    expect(x.sequences.flair.spacing.map((v) => Math.round(v * 100) / 100)).toEqual([3.6, 3.6, 20]); // 0.9×0.9×5 mm scaled ×4 for tiny
  });
});

describe('full size (1 mm)', { timeout: 240_000 }, () => {
  // Its speed is bench/cohort's business (timed unit tests only measure how busy the machine is).
  it('generates a full-size site-b subject on its stated grids', async () => {
    // The grids are what is checked here, so without site-b's head tissue (covered at tiny size above):
    // under a load of 25+ on two cores it took 152 s with the head, 112 s without.
    const s = await generateSubject({ seed: 'full', index: 0, site: 'site-b', size: 'full', head: false });
    expect([...s.canonical.dims]).toEqual([181, 217, 181]);
    expect(s.record.sequences.flair.dims).toEqual([181, 217, 60]);
    expect(s.record.sequences.flair.orientation).toBe('LPS');
    spacingFromAffine(s.images.flair.affine).forEach((v, a) => expect(v).toBeCloseTo([1, 1, 3][a]!, 9));
    expect([...s.label.dims]).toEqual([181, 217, 181]);
  });
});

describe('scanner: acquisition grids and misalignment', () => {
  const canonical: Grid = { dims: [40, 48, 40], affine: [2, 0, 0, -40, 0, 2, 0, -60, 0, 0, 2, -30, 0, 0, 0, 1] };

  it('builds grids with the stated orientation, spacing and the same centre', () => {
    for (const [orientation, spacing] of [
      ['RAS', [1, 1, 1]],
      ['LPS', [1, 1, 3]],
      ['PIR', [0.9, 0.9, 5]],
    ] as const) {
      const g = acquisitionGrid(canonical, { orientation, spacing }, 2);
      expect(orientationCode(g.affine)).toBe(orientation);
      spacingFromAffine(g.affine).forEach((s, a) => expect(s).toBeCloseTo(spacing[a]! * 2, 9));
      gridCentre(g).forEach((c, a) => expect(c).toBeCloseTo(gridCentre(canonical)[a]!, 9));
    }
  });

  it('moves the anatomy at p to M·p, as the manifest states', () => {
    const [nx, ny, nz] = canonical.dims;
    const img = new Float32Array(nx * ny * nz);
    const p = [6, -10, 8] as const; // world mm of a bright blob
    for (let z = 0, i = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++, i++) {
          const w = applyAffine(canonical.affine, [x, y, z]);
          img[i] = Math.exp(-((w[0] - p[0]) ** 2 + (w[1] - p[1]) ** 2 + (w[2] - p[2]) ** 2) / (2 * 4 * 4));
        }
    const mis = drawMisalignment(new Rng('m'), 4, 4, [0, 0, 0]);
    expect(mis.matrix).toEqual(misalignmentMatrix(mis.rotationDeg, mis.translationMm, mis.centreMm));
    const grid = acquisitionGrid(canonical, { orientation: 'LPS', spacing: [1, 1, 1] }, 1);
    const settings = { grid, misalignment: mis, logBias: new Float32Array(img.length), biasWeight: 1, noiseSd: 0, gain: 1, gamma: 1 };
    const out = acquire(new Rng('n'), img, canonical, settings);
    let sx = 0,
      sy = 0,
      sz = 0,
      sw = 0;
    for (let z = 0, i = 0; z < out.dims[2]; z++)
      for (let y = 0; y < out.dims[1]; y++)
        for (let x = 0; x < out.dims[0]; x++, i++) {
          const v = out.data[i]!;
          const w = applyAffine(out.affine, [x, y, z]);
          sx += v * w[0];
          sy += v * w[1];
          sz += v * w[2];
          sw += v;
        }
    const expected = applyAffine(mis.matrix, p);
    expect(Math.hypot(sx / sw - expected[0], sy / sw - expected[1], sz / sw - expected[2])).toBeLessThan(0.3);
    // And without misalignment the blob stays at p.
    const still = acquire(new Rng('n'), img, canonical, { ...settings, misalignment: identityMisalignment([0, 0, 0]) });
    let peak = 0;
    for (let i = 1; i < still.data.length; i++) if (still.data[i]! > still.data[peak]!) peak = i;
    const w = applyAffine(still.affine, [peak % still.dims[0], Math.floor(peak / still.dims[0]) % still.dims[1], Math.floor(peak / (still.dims[0] * still.dims[1]))]);
    expect(Math.hypot(w[0] - p[0], w[1] - p[1], w[2] - p[2])).toBeLessThan(1);
  });
});

describe('deformation', () => {
  it('has a positive Jacobian everywhere on the control grid and inverts at points', async () => {
    const t = await loadTemplate();
    for (let s = 0; s < 5; s++) {
      const def = drawDeformation(new Rng(`def-${s}`), [0, -17, 8], [181, 217, 181]);
      const [nx, ny, nz] = def.control.dims;
      const h = def.control.spacingMm;
      for (let z = 1; z < nz - 1; z++)
        for (let y = 1; y < ny - 1; y++)
          for (let x = 1; x < nx - 1; x++) {
            const i = x + nx * (y + ny * z);
            const J = def.field.map((f) => [1, nx, nx * ny].map((st) => (f[i + st]! - f[i - st]!) / (2 * h)));
            const a = J.map((row, r) => row.map((v, c) => v + (r === c ? 1 : 0)));
            const det =
              a[0]![0]! * (a[1]![1]! * a[2]![2]! - a[1]![2]! * a[2]![1]!) - a[0]![1]! * (a[1]![0]! * a[2]![2]! - a[1]![2]! * a[2]![0]!) + a[0]![2]! * (a[1]![0]! * a[2]![1]! - a[1]![1]! * a[2]![0]!);
            expect(det).toBeGreaterThan(0);
          }
      const p = [10, -20, 15] as const;
      const x = templateToSubjectPoint(def, p);
      const back = subjectToTemplatePoint(def, x);
      expect(Math.hypot(back[0] - p[0], back[1] - p[1], back[2] - p[2])).toBeLessThan(0.05);
      def.parameters.scale.forEach((v) => expect(v).toBeGreaterThan(0.85));
    }
    expect(canonicalGrid(t, 'small').dims).toEqual([96, 112, 96]);
  });
});

describe('covariates and outcome model', () => {
  it('site-x is older than site-a on average', () => {
    const mean = (site: 'site-a' | 'site-x') => {
      const rng = new Rng(site);
      let s = 0;
      for (let i = 0; i < 2000; i++) s += drawCovariates(rng, sites[site]).age;
      return s / 2000;
    };
    expect(mean('site-x') - mean('site-a')).toBeGreaterThan(5);
  });

  it('high-grade risk rises with enhancement, necrosis and volume', () => {
    const p = (enh: number, nec: number, core: number) => drawOutcome(new Rng('o'), 60, { edemaMl: 10, nonEnhancingMl: core * (1 - enh), enhancingMl: core * enh, necroticMl: core * nec }).probability;
    expect(p(0.6, 0, 20)).toBeGreaterThan(p(0.1, 0, 20));
    expect(p(0.4, 0.4, 20)).toBeGreaterThan(p(0.4, 0, 20));
    expect(p(0.4, 0, 40)).toBeGreaterThan(p(0.4, 0, 10));
    expect(drawOutcome(new Rng('o'), 60, null)).toMatchObject({ highGrade: false, probability: 0, linearPredictor: null });
  });
});
