/**
 * The DICOM writers checked by independent tools: dciodvfy (dicom3tools) validates each object
 * against its IOD, ITK/GDCM (the ingest's DICOM reader) reads the MR series back to the volume's
 * grid and voxels, and pydicom (./fixtures/read-back.py) reads the SEG back onto the source slices
 * and the SR's volumes. Expected SEG voxels are computed here from world coordinates, not by the
 * writer's own index mapping.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveLimits } from '../ingest/limits';
import { decodeSequence } from '../ingest/decode';
import { applyAffine, invertAffine, multiply4, rigidTransform, type Volume } from '../volume';
import { decodeDicom, encodeDicom } from './encode-dicom';
import { DicomSeriesError } from './errors';
import { readSeries } from './read-series';
import { writeMrSeries, type DicomFile } from './write-mr-series';
import { writeSegmentation } from './write-segmentation';
import { writeVolumeReport } from './write-volume-report';

const work = mkdtempSync(path.join(os.tmpdir(), 'segtrial-dicom-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const python = '/usr/bin/python3';
const readBack = path.join(import.meta.dirname, 'fixtures', 'read-back.py');

/** dciodvfy's findings of severity Error, after checking it recognised the IOD (so a missing tool cannot pass). */
function dciodvfyErrors(bytes: Uint8Array, name: string, iod: string): string[] {
  const file = path.join(work, name);
  writeFileSync(file, bytes);
  // dciodvfy writes its findings to stderr and exits 0 or 1 depending on them: take both streams.
  const all = execFileSync('sh', ['-c', 'dciodvfy "$1" 2>&1 || true', 'sh', file], { encoding: 'utf8' });
  expect(all.split('\n')).toContain(iod);
  return all.split('\n').filter((l) => /^Error/.test(l));
}

// An oblique grid (rotated 10°/−5°/20°), anisotropic spacing, odd sizes (frames cross byte boundaries).
const dims = [7, 5, 6] as const;
const affine = multiply4(rigidTransform([0.17, -0.09, 0.35], [12, -30, 40]), [0.9, 0, 0, -3, 0, 1.1, 0, -2, 0, 0, 2.5, -7, 0, 0, 0, 1]);
const n = dims[0] * dims[1] * dims[2];
const image: Volume<Float32Array> = { dims, spacing: [0.9, 1.1, 2.5], affine, data: Float32Array.from({ length: n }, (_, i) => (i * 37) % 1001) };
const study = { studyInstanceUid: '2.25.1001', date: new Date('2026-11-30T10:00:00Z'), accessionNumber: 'ACC-1' };
const series = writeMrSeries({ volume: image, protocol: 't1gd', patient: { id: 'PAT-1', name: 'Doe^Jane', sex: 'F', birthDate: '19700101' }, study, seriesNumber: 4, uidSeed: 'unit-test' });
const seriesDir = path.join(work, 'series');
execFileSync('mkdir', ['-p', seriesDir]);
for (const f of series.files) writeFileSync(path.join(seriesDir, f.name), f.bytes);

// Labels on the same voxel centres but stored with x flipped and y/z swapped (as another tool might).
function reindexedLabels(): Volume<Uint8Array> {
  const [nx, ny, nz] = dims;
  const src = new Uint8Array(n);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const d = Math.hypot(x - 3, y - 2, (z - 3) * 1.5);
        src[x + nx * (y + ny * z)] = d < 1.2 ? 3 : d < 2 ? 2 : d < 3 ? 1 : 0;
      }
  // new index (a, b, c) = (nx-1-x, z, y): voxel-to-voxel P maps new → old.
  const P = [-1, 0, 0, nx - 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1];
  const out = new Uint8Array(n);
  const [na, nb] = [nx, nz];
  for (let c = 0; c < ny; c++) for (let b = 0; b < nz; b++) for (let a = 0; a < nx; a++) out[a + na * (b + nb * c)] = src[nx - 1 - a + nx * (c + ny * b)]!;
  return { dims: [nx, nz, ny], spacing: [0.9, 2.5, 1.1], affine: multiply4(affine, P), data: out };
}

describe('MR series from a volume', () => {
  it('passes dciodvfy without errors', () => {
    expect(dciodvfyErrors(series.files[0]!.bytes, 'mr.dcm', 'MRImage')).toEqual([]);
  });

  it('reads back through ITK/GDCM to the same grid and voxels', async () => {
    const decoded = await decodeSequence(
      series.files.map((f) => ({ name: `series/${f.name}`, bytes: f.bytes })),
      resolveLimits(),
    );
    const v = decoded.volume;
    // GDCM may order slices the other way: compare world positions of every voxel's value.
    const toNew = multiply4(invertAffine(v.affine), affine);
    let checked = 0;
    for (let z = 0; z < dims[2]; z++)
      for (let y = 0; y < dims[1]; y++)
        for (let x = 0; x < dims[0]; x++) {
          const [a, b, c] = applyAffine(toNew, [x, y, z]).map((q) => Math.round(q * 1000) / 1000);
          expect(Number.isInteger(a) && Number.isInteger(b) && Number.isInteger(c)).toBe(true);
          expect(v.data[a! + v.dims[0] * (b! + v.dims[1] * c!)]).toBe(image.data[x + dims[0] * (y + dims[1] * z)]);
          checked++;
        }
    expect(checked).toBe(n);
    expect([...v.spacing].sort()).toEqual([0.9, 1.1, 2.5].map((s) => expect.closeTo(s, 4)).sort());
  });
});

describe('series checks', () => {
  const edit = (files: DicomFile[], index: number, change: (ds: Record<string, unknown>) => void): DicomFile[] =>
    files.map((f, i) => {
      if (i !== index) return f;
      const ds = decodeDicom(f.bytes);
      change(ds);
      return { name: f.name, bytes: encodeDicom(ds) };
    });
  const refusal = (files: DicomFile[]) => {
    try {
      readSeries(files);
    } catch (e) {
      if (e instanceof DicomSeriesError) return e;
      throw e;
    }
    throw new Error('accepted');
  };

  it('reads a complete series in slice order', () => {
    const h = readSeries([...series.files].reverse());
    expect(h.dims).toEqual([7, 5, 6]);
    expect(h.seriesDescription).toBe('SAG T1 MPRAGE POST GD');
  });
  it('names the gap of a missing slice', () => {
    const e = refusal(series.files.filter((_, i) => i !== 2));
    expect(e.code).toBe('missing-slice');
    expect(e.message).toContain('SAG T1 MPRAGE POST GD');
    expect(e.slice).toMatch(/between instance 2 .* and instance 4 /);
  });
  it('names the slice whose position breaks the spacing', () => {
    const e = refusal(
      edit(series.files, 3, (ds) => {
        const p = (ds.ImagePositionPatient as string[]).map(Number);
        ds.ImagePositionPatient = p.map((v, a) => String(v + ((0.3 * [affine[2]!, affine[6]!, affine[10]!][a]!) / 2.5) * (a < 2 ? -1 : 1)));
      }),
    );
    expect(e.code).toBe('inconsistent-spacing');
    expect(e.slice).toContain('instance 4');
  });
  it('names the slice with another orientation', () => {
    const e = refusal(edit(series.files, 1, (ds) => (ds.ImageOrientationPatient = ['1', '0', '0', '0', '1', '0'])));
    expect(e.code).toBe('mixed-orientation');
    expect(e.slice).toContain('instance 2');
  });
  it('refuses enhanced multi-frame MR by name', () => {
    const e = refusal(
      edit(series.files, 0, (ds) => {
        ds.SOPClassUID = '1.2.840.10008.5.1.4.1.1.4.1';
      }),
    );
    expect(e.code).toBe('multiframe');
    expect(e.found).toBe('Enhanced MR Image Storage');
  });
  it('refuses a localizer', () => {
    const e = refusal(edit(series.files, 0, (ds) => (ds.ImageType = ['ORIGINAL', 'PRIMARY', 'LOCALIZER'])));
    expect(e.code).toBe('localizer');
  });
});

describe('SEG and TID 1500 SR', () => {
  const source = readSeries(series.files);
  const labels = reindexedLabels();
  const ai = { kind: 'algorithm', name: 'segtrial-unet3d', version: '0.2.0', weightsSha256: 'ab'.repeat(32) } as const;
  const seg = writeSegmentation({ labels, source, author: ai, uidSeed: 'unit-seg' });
  const segFile = path.join(work, 'seg.dcm');
  writeFileSync(segFile, seg.bytes);

  it('passes dciodvfy without errors (AI and manual)', () => {
    expect(dciodvfyErrors(seg.bytes, 'seg-ai.dcm', 'Segmentation')).toEqual([]);
    const manual = writeSegmentation({ labels, source, author: { kind: 'manual', creatorName: 'Reader^One' } });
    expect(dciodvfyErrors(manual.bytes, 'seg-manual.dcm', 'Segmentation')).toEqual([]);
  });

  it('pydicom reads it back to the same voxels on the source slices', () => {
    const out = JSON.parse(execFileSync(python, [readBack, 'seg', segFile, seriesDir], { encoding: 'utf8' })) as {
      labels: Record<string, [number, number][]>;
      segments: { label: string; type: string; algorithmType: string }[];
      rows: number;
      columns: number;
    };
    expect(out.segments.map((s) => [s.type, s.algorithmType])).toEqual([
      ['79654002', 'AUTOMATIC'],
      ['C81175', 'AUTOMATIC'],
      ['C113842', 'AUTOMATIC'],
    ]);
    const toLabel = invertAffine(labels.affine);
    let labelled = 0;
    for (const inst of source.instances) {
      const got = new Map(out.labels[inst.sopInstanceUid]);
      const o = inst.orientation;
      for (let r = 0; r < out.rows; r++)
        for (let c = 0; c < out.columns; c++) {
          // LPS world of the pixel, then RAS, then the label map's voxel.
          const lps = [0, 1, 2].map((a) => inst.position[a]! + c * inst.pixelSpacing[1] * o[a]! + r * inst.pixelSpacing[0] * o[a + 3]!);
          const [i, j, k] = applyAffine(toLabel, [-lps[0]!, -lps[1]!, lps[2]!]).map(Math.round) as [number, number, number];
          const expected = labels.data[i + labels.dims[0] * (j + labels.dims[1] * k)]!;
          expect(got.get(r * out.columns + c) ?? 0).toBe(expected);
          if (expected) labelled++;
        }
    }
    expect(labelled).toBe(labels.data.filter((v) => v > 0).length);
  });

  it('writes the volumes as a TID 1500 report that dciodvfy and pydicom accept', () => {
    const sr = writeVolumeReport({ source, segmentation: seg, author: ai });
    expect(dciodvfyErrors(sr.bytes, 'sr.dcm', 'ComprehensiveSR')).toEqual([]);
    const srFile = path.join(work, 'sr.dcm');
    writeFileSync(srFile, sr.bytes);
    const out = JSON.parse(execFileSync(python, [readBack, 'sr', srFile], { encoding: 'utf8' })) as { volumes: Record<string, [number, string]>; template: string };
    expect(out.template).toBe('1500');
    const voxelMl = (0.9 * 1.1 * 2.5) / 1000;
    const count = (l: number) => labels.data.filter((v) => v === l).length;
    expect(out.volumes.Edema).toEqual([expect.closeTo(count(1) * voxelMl, 4), 'cm3']);
    expect(out.volumes['Non-enhancing tumour core']).toEqual([expect.closeTo(count(2) * voxelMl, 4), 'cm3']);
    expect(out.volumes['Enhancing tumour']).toEqual([expect.closeTo(count(3) * voxelMl, 4), 'cm3']);
  });

  it('refuses a label map on another grid', () => {
    const shifted = { ...labels, affine: multiply4([1, 0, 0, 0.4, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], labels.affine) };
    expect(() => writeSegmentation({ labels: shifted, source, author: ai })).toThrow(/label map grid/);
  });
});
