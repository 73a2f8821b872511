import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseNifti } from '../nifti/read-nifti';
import { smallNifti } from '../../test/support/ingest-builders';
import { dicomDeidActions, scanDicom } from './dicom';
import { deidentifyNifti } from './nifti';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'ingest', 'fixtures');

/** A NIfTI-1 with text in every identifying field and a 32-byte extension holding a name. */
function identifiedNifti(): Uint8Array {
  const base = smallNifti({ description: 'DOE^JANE 1970-01-01' });
  const ext = new Uint8Array(32);
  const ev = new DataView(ext.buffer);
  ev.setInt32(0, 32, true); // esize
  ev.setInt32(4, 2, true); // ecode 2: DICOM
  ext.set(new TextEncoder().encode('PatientName=DOE^JANE'), 8);
  const out = new Uint8Array(base.length + 32);
  out.set(base.subarray(0, 348), 0);
  out.set([1, 0, 0, 0], 348); // extension flag
  out.set(ext, 352);
  out.set(base.subarray(352), 384);
  const v = new DataView(out.buffer);
  v.setFloat32(108, 384, true);
  const put = (at: number, text: string) => out.set(new TextEncoder().encode(text), at);
  put(14, 'HOSPITAL-DB');
  put(228, 'jane.aux');
  put(328, 'DOE');
  return out;
}

describe('NIfTI de-identification', () => {
  it('clears descrip, aux_file, intent_name, db_name, drops extensions, keeps voxels and geometry', () => {
    const raw = identifiedNifti();
    const before = parseNifti(raw);
    const { bytes, actions } = deidentifyNifti(raw);
    expect(actions.map((a) => a.field)).toEqual(['db_name', 'descrip', 'aux_file', 'intent_name', 'extensions']);
    expect(actions.find((a) => a.field === 'extensions')?.count).toBe(32);
    expect(Buffer.from(bytes).includes('DOE')).toBe(false);
    expect(Buffer.from(bytes).includes('jane')).toBe(false);
    const after = parseNifti(bytes);
    expect(after.data).toEqual(before.data);
    expect(after.affine).toEqual(before.affine);
    expect(bytes.length).toBe(raw.length - 32);
    expect(deidentifyNifti(bytes).actions).toEqual([]); // idempotent: nothing left to remove
  });
});

describe('DICOM de-identification record (PS3.15 basic profile)', () => {
  it('lists the identifying attributes present in each file of the fixture series', () => {
    const files = Object.values(unzipSync(readFileSync(path.join(fixtures, 'oblique-series.zip'))));
    const scans = files.map(scanDicom);
    expect(scans.every((s) => s.complete)).toBe(true);
    expect(new Set(scans.map((s) => s.seriesUid))).toEqual(new Set(['1.2.826.0.1.3680043.8.498.3']));
    const fields = dicomDeidActions(scans).map((a) => a.field.split(' ')[1]);
    for (const kw of [
      'PatientName',
      'PatientID',
      'PatientBirthDate',
      'InstitutionName',
      'ReferringPhysicianName',
      'AccessionNumber',
      'StudyDescription',
      'StudyDate',
      'SOPInstanceUID',
      'StudyInstanceUID',
    ])
      expect(fields).toContain(kw);
    expect(dicomDeidActions(scans).every((a) => a.action === 'not-carried' && a.count === 10)).toBe(true);
  });

  it('does not run past the end of a truncated or non-DICOM file', () => {
    const file = Object.values(unzipSync(readFileSync(path.join(fixtures, 'oblique-series.zip'))))[0]!;
    for (const cut of [0, 100, 132, 140, 200, 400, file.length - 1]) expect(() => scanDicom(file.subarray(0, cut))).not.toThrow();
    expect(scanDicom(file.subarray(0, 300)).complete).toBe(false);
  });
});
