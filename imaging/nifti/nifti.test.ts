import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { VolumeFormatError } from '../errors';
import { orientationCode } from '../orientation';
import { rigidTransform, multiply4, type Mat4 } from '../volume';
import { affineToQform, qformToAffine } from './quaternion';
import { decodeNifti, parseNifti, readNifti } from './read-nifti';
import { encodeNifti, writeNifti } from './write-nifti';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
interface Expected {
  dims: number[];
  qform_code: number;
  sform_code: number;
  qform: number[];
  sform: number[];
  axcodes: string;
  values: number[];
}
const expected = JSON.parse(readFileSync(path.join(fixtures, 'expected.json'), 'utf8')) as Record<string, Expected>;

function expectAffineClose(a: Mat4, b: Mat4, tol = 1e-4) {
  a.forEach((v, i) => expect(v, `affine[${i}]`).toBeCloseTo(b[i]!, -Math.log10(tol)));
}

describe('readNifti against files written by nibabel', () => {
  for (const [name, exp] of Object.entries(expected)) {
    it(name, async () => {
      const v = await readNifti(path.join(fixtures, name));
      expect([...v.dims]).toEqual(exp.dims);
      expect(v.qformCode).toBe(exp.qform_code);
      expect(v.sformCode).toBe(exp.sform_code);
      // NIfTI rule: sform when sform_code > 0, else qform.
      expectAffineClose(v.affine, exp.sform_code > 0 ? exp.sform : exp.qform);
      if (exp.qform_code > 0) expectAffineClose(v.qform!, exp.qform);
      expect(orientationCode(v.affine)).toBe(exp.axcodes);
      expect(v.data.length).toBe(exp.values.length);
      exp.values.forEach((x, i) => expect(v.data[i]).toBeCloseTo(x, 4));
    });
  }
});

describe('writeNifti', () => {
  const dims = [5, 4, 3] as const;
  const data = Float32Array.from({ length: 60 }, (_, i) => i * 0.75 - 10);
  const affine = multiply4(rigidTransform([0.2, -0.1, 0.4], [3, -4, 5]), [0.9, 0, 0, -50, 0, 1.1, 0, 60, 0, 0, -3, 20, 0, 0, 0, 1]);
  const vol = { dims, spacing: [0.9, 1.1, 3] as const, affine, data };

  it('round-trips float32 through .nii.gz with both transforms set and agreeing', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'nifti-')), 'a.nii.gz');
    await writeNifti(file, vol);
    const back = await readNifti(file);
    expect([...back.dims]).toEqual([...dims]);
    expect(back.qformCode).toBe(1);
    expect(back.sformCode).toBe(1);
    expectAffineClose(back.affine, affine);
    expectAffineClose(back.qform!, affine);
    back.spacing.forEach((s, i) => expect(s).toBeCloseTo([0.9, 1.1, 3][i]!, 5));
    expect([...back.data]).toEqual([...data]);
  });

  it('rounds and clamps to int16 and uint8', () => {
    for (const [dt, lo, hi] of [
      ['int16', -32768, 32767],
      ['uint8', 0, 255],
    ] as const) {
      const d = Float32Array.from([-1e6, -1.4, 0.5, 2.6, 1e6]);
      const back = parseNifti(encodeNifti({ dims: [5, 1, 1], spacing: [1, 1, 1], affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], data: d }, { datatype: dt }));
      expect(back.storedDatatype).toBe(dt);
      expect([...back.data]).toEqual([lo, dt === 'uint8' ? 0 : -1, 1, 3, hi].map((x) => (Object.is(x, -0) ? 0 : x)));
    }
  });

  it('is deterministic (same volume, same bytes)', () => {
    expect(Buffer.compare(gzipSync(encodeNifti(vol)), gzipSync(encodeNifti(vol)))).toBe(0);
  });
});

describe('qform quaternion', () => {
  it('recovers proper and improper rotations with spacing', () => {
    for (const flip of [1, -1]) {
      const r = rigidTransform([0.3, 0.2, -1.1], [1, 2, 3]);
      const m = multiply4(r, [1.5, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2.5 * flip, 0, 0, 0, 0, 1]);
      const q = affineToQform(m);
      expect(q.qfac).toBe(flip);
      expectAffineClose(qformToAffine(q), m, 1e-6);
    }
  });
  it('handles a 180° rotation (quaternion a = 0)', () => {
    const m = [-1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    expectAffineClose(qformToAffine(affineToQform(m)), m, 1e-6);
  });
});

describe('readNifti rejects bad files with VolumeFormatError', () => {
  const good = () => encodeNifti({ dims: [2, 2, 2], spacing: [1, 1, 1], affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], data: new Float32Array(8) });

  it('absurd dims, before allocating', () => {
    const b = good();
    new DataView(b.buffer).setInt16(42, 30000, true);
    new DataView(b.buffer).setInt16(44, 30000, true);
    try {
      parseNifti(b, 'x.nii');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(VolumeFormatError);
      expect((e as VolumeFormatError).field).toBe('dim[1]');
      expect((e as VolumeFormatError).found).toBe(30000);
    }
  });

  it('a gzip body larger than the header promises (stopped while inflating)', async () => {
    const b = good();
    const padded = new Uint8Array(b.length + 10_000_000);
    padded.set(b);
    await expect(decodeNifti(new Uint8Array(gzipSync(padded)), 'bomb.nii.gz')).rejects.toMatchObject({ name: 'VolumeFormatError', field: 'decompressed size' });
  });

  it('a truncated body, a bad magic and a 4D file', async () => {
    const b = good();
    expect(() => parseNifti(b.subarray(0, 360), 't.nii')).toThrow(/image data length/);
    const m = good();
    m[344] = 0x78;
    expect(() => parseNifti(m, 'm.nii')).toThrow(VolumeFormatError);
    const t = good();
    const v = new DataView(t.buffer);
    v.setInt16(40, 4, true);
    v.setInt16(48, 3, true);
    expect(() => parseNifti(t, '4d.nii')).toThrow(/dim\[4\] is 3/);
  });
});
