/**
 * `segtrial segment` with a DICOM series folder for each sequence flag, as a PACS export gives them:
 * the four sequences (Colin27 with hand-written contrasts, test/support/ingest-builders.ts, not the
 * cohort generator) written as MR Image Storage series (imaging/dicom/write-mr-series.ts), one folder
 * each, segmented with the pointwise test model. The label map must come out on the T1gd series' grid
 * and match what the same volumes give as NIfTI files; a folder that is not one DICOM series is
 * refused by name.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runSegmentCli, writePointwiseModelDir } from './support/segment-cli';
import segment from '../../cli/commands/segment';
import { writeMrStudy } from '../../imaging/dicom/write-mr-study';
import { misalignedStudy, type MisalignedStudy } from '../support/ingest-builders';
import { decodeNifti } from '../../imaging/nifti/read-nifti';
import { encodeNiftiFile } from '../../imaging/nifti/write-nifti';

const work = mkdtempSync(path.join(os.tmpdir(), 'segtrial-segment-dicom-'));
const modelDir = path.join(work, 'model');
const roles = ['flair', 't1', 't1gd', 't2'] as const;
let brain: MisalignedStudy;

beforeAll(async () => {
  writePointwiseModelDir(modelDir, 4);
  // Aligned sequences: registration has nothing to find, and what is checked is reading the series.
  brain = await misalignedStudy(4, undefined, { aligned: true });
});
afterEach(() => vi.restoreAllMocks());

const run = (args: string[]) => runSegmentCli(modelDir, args);

describe('segtrial segment with DICOM series folders', { timeout: 600_000 }, () => {
  it('segments four MR series folders like the same volumes as NIfTI files', async () => {
    const study = writeMrStudy({
      images: brain.volumes,
      patient: { id: 'CLI-1' },
      study: { studyInstanceUid: '2.25.9191', date: new Date('2026-11-02T08:00:00Z'), accessionNumber: 'CLI1' },
      uidSeed: 'segment-dicom',
    });
    const dicomArgs: string[] = [];
    const niftiArgs: string[] = [];
    for (const role of roles) {
      const series = study.series.find((s) => s.role === role)!;
      const dir = path.join(work, 'dicom', `${role.toUpperCase()}_SERIES`);
      mkdirSync(dir, { recursive: true });
      for (const f of series.files) writeFileSync(path.join(dir, f.name), f.bytes);
      dicomArgs.push(`--${role}`, dir);
      const nifti = path.join(work, `${role}.nii.gz`);
      writeFileSync(nifti, encodeNiftiFile(nifti, brain.volumes[role], { datatype: 'float32' }));
      niftiArgs.push(`--${role}`, nifti);
    }
    const fromDicom = await run([...dicomArgs, '--out', path.join(work, 'dicom-seg.nii.gz')]);
    expect(fromDicom.code).toBe(0);
    const fromNifti = await run([...niftiArgs, '--out', path.join(work, 'nifti-seg.nii.gz')]);
    expect(fromNifti.code).toBe(0);

    const a = await decodeNifti(new Uint8Array(readFileSync(path.join(work, 'dicom-seg.nii.gz'))), 'dicom-seg.nii.gz');
    const b = await decodeNifti(new Uint8Array(readFileSync(path.join(work, 'nifti-seg.nii.gz'))), 'nifti-seg.nii.gz');
    // The label map lies on the T1gd series' grid: the same grid as the NIfTI T1gd, recovered from
    // ImagePositionPatient / ImageOrientationPatient / PixelSpacing of the DICOM files.
    expect([...a.dims]).toEqual([...brain.volumes.t1gd.dims]);
    expect([...a.dims]).toEqual([...b.dims]);
    for (let i = 0; i < 12; i++) expect(a.affine[i]).toBeCloseTo(b.affine[i]!, 3);
    // DICOM stores 16-bit integers (rescaled): labels may differ at a few boundary voxels only.
    let differ = 0;
    for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) differ++;
    expect(differ / a.data.length).toBeLessThan(0.01);
    for (const role of ['flair', 't1', 't2']) expect(fromDicom.report.registration[role]).toMatchObject({ ok: true, alreadyAligned: true });
  });

  it('refuses a sequence folder that is not a DICOM series, naming the file', async () => {
    const dir = path.join(work, 'not-dicom');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'notes.txt'), 'not an image');
    const series = (role: string) => path.join(work, 'dicom', `${role.toUpperCase()}_SERIES`);
    await expect(segment.run(['--flair', dir, '--t1', series('t1'), '--t1gd', series('t1gd'), '--t2', series('t2'), '--out', path.join(work, 'x.nii.gz')])).rejects.toThrow(/refused: .*notes\.txt/);
  });
});
