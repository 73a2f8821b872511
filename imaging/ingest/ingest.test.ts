import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseNifti } from '../nifti/read-nifti';
import { encodeNifti, encodeNiftiFile } from '../nifti/write-nifti';
import { createContentStore } from '../storage/content-store';
import { gridCentre, type Volume } from '../volume';
import { IngestError } from './errors';
import { ingestStudy, sequenceRoles, type SequenceRole } from './ingest';
import { maxDisplacementMm, misalignedStudy, type MisalignedStudy } from '../../test/support/ingest-builders';

const listAll = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listAll(path.join(dir, e.name)) : [path.join(dir, e.name)])) : [];

let study: MisalignedStudy;
let files: Record<SequenceRole, { name: string; bytes: Uint8Array }>;

beforeAll(async () => {
  study = await misalignedStudy(3);
  files = {} as typeof files;
  for (const role of sequenceRoles) {
    const name = `${role}.nii.gz`;
    files[role] = { name, bytes: encodeNiftiFile(name, { ...study.volumes[role], data: study.volumes[role].data }, { datatype: 'int16', description: `PATIENT DOE ${role}` }) };
  }
});

const freshStore = () => createContentStore(mkdtempSync(path.join(os.tmpdir(), 'ingest-store-')));

// Each registration runs elastix three times; on a busy 2-core machine that alone can pass a minute.
describe('ingestStudy', { timeout: 480_000 }, () => {
  it('stores a de-identified, registered, normalized study and reports transforms, NMI and hashes', async () => {
    const storage = freshStore();
    const r = await ingestStudy({ files, storage });
    expect([...r.grid.dims]).toEqual([...study.volumes.t1gd.dims]);
    const centre = gridCentre(study.volumes.t1gd);
    for (const role of ['flair', 't1', 't2'] as const) {
      const reg = r.registration[role];
      expect(reg.ok).toBe(true);
      expect(reg.nmiAfter).toBeGreaterThan(reg.nmiBefore);
      expect(maxDisplacementMm(reg.fixedToMovingWorld, study.truth[role], centre, 60)).toBeLessThan(1.5); // 3 mm voxels
    }
    // Every reference points at a stored object whose bytes hash to it.
    const refs = sequenceRoles.flatMap((role) => [r.volumes[role].original, r.volumes[role].registered, r.volumes[role].normalized]).concat(r.normalization.mask);
    for (const ref of refs) expect(await storage.has(ref.sha256)).toBe(true);
    expect(new Set(refs.map((x) => x.sha256))).toEqual(new Set(r.hashes.stored));
    expect(listAll(storage.root)).toHaveLength(r.hashes.stored.length);
    // The de-identified original lost its description; the normalized channel has mean 0, SD 1 inside the mask.
    expect(r.deidentification.flair.actions.map((a) => a.field)).toEqual(['descrip']);
    const original = gunzipSync(await storage.get(r.volumes.flair.original.sha256));
    expect(Buffer.from(original).includes('PATIENT')).toBe(false);
    const norm = parseNifti(new Uint8Array(gunzipSync(await storage.get(r.volumes.t2.normalized.sha256))));
    const mask = parseNifti(new Uint8Array(gunzipSync(await storage.get(r.normalization.mask.sha256))));
    let s = 0,
      ss = 0,
      n = 0;
    for (let i = 0; i < mask.data.length; i++)
      if (mask.data[i]) {
        s += norm.data[i]!;
        ss += norm.data[i]! ** 2;
        n++;
      }
    expect(n).toBe(r.normalization.maskVoxels);
    expect(s / n).toBeCloseTo(0, 3);
    expect(Math.sqrt(ss / n)).toBeCloseTo(1, 3);
    // Deterministic: the same upload gives the same hashes.
    const again = await ingestStudy({ files, storage: freshStore() });
    expect(again.hashes.stored).toEqual(r.hashes.stored);
  });

  const rejected: [string, () => Record<string, { name: string; bytes: Uint8Array }>, string][] = [
    ['a missing sequence', () => ({ flair: files.flair, t1: files.t1, t1gd: files.t1gd }), 'missing-sequence'],
    ['an unknown role', () => ({ ...files, dwi: files.t2 }), 'unknown-sequence'],
    ['the same file under two roles', () => ({ ...files, t2: files.t1 }), 'unknown-sequence'],
    ['NaN voxels in the T2', () => ({ ...files, t2: { name: 't2.nii', bytes: withNaN(study.volumes.t2) } }), 'non-finite'],
    ['a T2 one metre away (another patient space)', () => ({ ...files, t2: { name: 't2.nii', bytes: encodeNifti(moved(study.volumes.t2, 1000)) } }), 'geometry-mismatch'],
    ['a truncated .nii.gz as FLAIR', () => ({ ...files, flair: { name: 'flair.nii.gz', bytes: files.flair.bytes.subarray(0, 100) } }), 'format'],
    ['an unrelated image as T1 (registration fails its checks)', () => ({ ...files, t1: { name: 't1.nii', bytes: encodeNifti(noise(study.volumes.t1)) } }), 'registration'],
  ];
  for (const [what, make, code] of rejected) {
    it(`refuses ${what} with '${code}' and stores nothing`, async () => {
      const storage = freshStore();
      const error = await ingestStudy({ files: make() as never, storage }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IngestError);
      expect((error as IngestError).code).toBe(code);
      expect(listAll(storage.root)).toEqual([]);
    });
  }
});

function withNaN(v: Volume<Float32Array>): Uint8Array {
  const data = Float32Array.from(v.data);
  data[1234] = NaN;
  return encodeNifti({ ...v, data });
}

function moved(v: Volume<Float32Array>, mm: number): Volume<Float32Array> {
  const affine = [...v.affine];
  affine[3] = affine[3]! + mm;
  return { ...v, affine };
}

function noise(v: Volume<Float32Array>): Volume<Float32Array> {
  let x = 12345;
  const data = Float32Array.from(v.data, () => ((x = (x * 1103515245 + 12345) >>> 0) % 1000) + 1);
  return { ...v, data };
}
