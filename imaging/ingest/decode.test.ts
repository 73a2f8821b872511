import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readNifti } from '../nifti/read-nifti';
import { orientationCode } from '../orientation';
import { decodeSequence } from './decode';
import { resolveLimits } from './limits';
import { readZip } from './zip';

const here = path.dirname(fileURLToPath(import.meta.url));
const limits = resolveLimits();
const templates = '/usr/share/mricron/templates';
/** Byte equality of two float arrays (vitest's deep equality is far too slow for 7 M voxels). */
const same = (a: Float32Array, b: Float32Array) => a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('decodeSequence round trips on real files', () => {
  for (const name of ['ch2bet.nii.gz', 'ch2.nii.gz']) {
    it(`${name} (Colin27, mricron-data) matches the reference reader and survives de-identification`, async () => {
      const bytes = new Uint8Array(readFileSync(path.join(templates, name)));
      const d = await decodeSequence({ name, bytes }, limits);
      const ref = await readNifti(path.join(templates, name));
      expect(d.format).toBe('nifti-1');
      expect([...d.volume.dims]).toEqual([181, 217, 181]);
      expect(d.volume.affine).toEqual(ref.affine);
      expect(same(d.volume.data, ref.data)).toBe(true);
      // The stored original decodes to the same voxels and geometry.
      const again = await decodeSequence({ name: 'stored.nii', bytes: d.deidentified }, limits);
      expect(same(again.volume.data, ref.data)).toBe(true);
      expect(again.volume.affine).toEqual(ref.affine);
      expect(again.deidentification).toEqual([]);
    });
  }

  const fixtures = path.join(here, '..', 'fixtures');
  const expected = JSON.parse(readFileSync(path.join(fixtures, 'expected.json'), 'utf8')) as Record<string, { dims: number[]; axcodes: string; values: number[] }>;
  for (const [name, exp] of Object.entries(expected)) {
    it(`${name} (written by nibabel: make-fixtures.py) decodes with its geometry and values`, async () => {
      const d = await decodeSequence({ name, bytes: new Uint8Array(readFileSync(path.join(fixtures, name))) }, limits);
      expect([...d.volume.dims]).toEqual(exp.dims);
      expect(orientationCode(d.volume.affine)).toBe(exp.axcodes);
      exp.values.forEach((v, i) => expect(d.volume.data[i]).toBeCloseTo(v, 4));
    });
  }

  it('the same NIfTI as .nii and .nii.gz decodes identically', async () => {
    const gz = new Uint8Array(readFileSync(path.join(templates, 'ch2bet.nii.gz')));
    const a = await decodeSequence({ name: 'a.nii.gz', bytes: gz }, limits);
    const b = await decodeSequence({ name: 'a.nii', bytes: new Uint8Array(gunzipSync(gz)) }, limits);
    expect(same(b.volume.data, a.volume.data)).toBe(true);
  });
});

describe('DICOM series (pydicom, make-dicom.py) against the NIfTI of the same data (nibabel)', () => {
  const reference = JSON.parse(readFileSync(path.join(here, 'fixtures', 'oblique-series.json'), 'utf8')) as { dims: number[]; affine: number[][]; axcodes: string; identifying: string[] };
  const zip = new Uint8Array(readFileSync(path.join(here, 'fixtures', 'oblique-series.zip')));

  for (const kind of ['zip', 'folder'] as const) {
    it(`converts the oblique series from a ${kind} with geometry and voxels preserved`, async () => {
      const input = kind === 'zip' ? { name: 'oblique-series.zip', bytes: zip } : readZip(zip, 'upload', limits);
      const d = await decodeSequence(input, limits);
      const nii = await decodeSequence({ name: 'oblique-series.nii.gz', bytes: new Uint8Array(readFileSync(path.join(here, 'fixtures', 'oblique-series.nii.gz'))) }, limits);
      expect(d.format).toBe('dicom');
      expect([...d.volume.dims]).toEqual(reference.dims);
      d.volume.affine.slice(0, 12).forEach((v, i) => expect(v, `affine[${i}]`).toBeCloseTo(nii.volume.affine[i]!, 4));
      reference.affine
        .flat()
        .slice(0, 12)
        .forEach((v, i) => expect(d.volume.affine[i]).toBeCloseTo(v, 4));
      expect(orientationCode(d.volume.affine)).toBe(reference.axcodes);
      expect(d.volume.data).toEqual(nii.volume.data); // slices sorted by position although zipped out of order
    });
  }

  it('no identifying value survives into the converted volume, and the actions are recorded', async () => {
    const d = await decodeSequence({ name: 'oblique-series.zip', bytes: zip }, limits);
    const stored = [Buffer.from(d.deidentified), Buffer.from(gzipSync(d.deidentified))];
    for (const value of [...reference.identifying, 'SECRET', '1.2.826.0.1.3680043.8.498', '20240102']) for (const b of stored) expect(b.includes(value), value).toBe(false);
    const fields = d.deidentification.map((a) => a.field);
    expect(fields.some((f) => f.includes('PatientName'))).toBe(true);
    expect(fields.some((f) => f.includes('StudyInstanceUID'))).toBe(true);
  });
});
