/**
 * Studies as they come, end to end through `segtrial segment`: a BraTS-named folder of co-registered,
 * skull-stripped sequences; a Decathlon 4D file with a dataset.json; a skull-on head; a thick-slice
 * FLAIR. Inputs are built from Colin27 (Debian mricron-data: ch2bet for the brain, ch2 for the head)
 * with hand-written contrasts, not by the cohort generator. The model is the pointwise test model:
 * what is checked is ingest, layout, registration choice, brain extraction and the label map's grid.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runSegmentCli, writePointwiseModelDir } from './support/segment-cli';
import { fourDNifti, misalignedStudy, type MisalignedStudy } from '../support/ingest-builders';
import { decodeNifti, readNifti } from '../../imaging/nifti/read-nifti';
import { encodeNiftiFile } from '../../imaging/nifti/write-nifti';
import { resample } from '../../imaging/resample';
import type { Volume } from '../../imaging/volume';
import segment from '../../cli/commands/segment';

const work = mkdtempSync(path.join(os.tmpdir(), 'segtrial-layouts-'));
const modelDir = path.join(work, 'model');
let brain: MisalignedStudy;

beforeAll(async () => {
  writePointwiseModelDir(modelDir, 3);
  brain = await misalignedStudy(3, undefined, { aligned: true });
});
afterEach(() => vi.restoreAllMocks());

const run = (args: string[]) => runSegmentCli(modelDir, args);

const write = (file: string, v: Volume<Float32Array>) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, encodeNiftiFile(file, v, { datatype: 'int16' }));
};

async function labelsOf(file: string) {
  return decodeNifti(new Uint8Array(readFileSync(file)), file);
}

describe('segtrial segment on the layouts real studies come in', { timeout: 600_000 }, () => {
  it('a BraTS 2021 folder of aligned, skull-stripped sequences: identity registration, already aligned', async () => {
    const dir = path.join(work, 'BraTS2021_00042');
    const names = { flair: 'flair', t1: 't1', t1gd: 't1ce', t2: 't2' } as const;
    for (const role of ['flair', 't1', 't1gd', 't2'] as const) write(path.join(dir, `BraTS2021_00042_${names[role]}.nii.gz`), brain.volumes[role]);
    writeFileSync(path.join(dir, 'BraTS2021_00042_seg.nii.gz'), encodeNiftiFile('seg.nii.gz', { ...brain.volumes.t1gd, data: new Uint8Array(brain.volumes.t1gd.data.length) }, { datatype: 'uint8' }));
    const out = path.join(work, 'brats-seg.nii.gz');
    const { code, report } = await run(['--dir', dir, '--out', out]);
    expect(code).toBe(0);
    expect(report.layout).toMatchObject({ layout: 'brats-2021', caseId: 'BraTS2021_00042' });
    for (const role of ['flair', 't1', 't2']) expect(report.registration[role]).toMatchObject({ ok: true, source: 'identity', alreadyAligned: true });
    expect(report.brainExtraction).toMatchObject({ method: 'segtrial-morphological-bet', version: '1.0.0' });
    expect(report.brainExtraction.volumeMl).toBeGreaterThan(1737 * 0.85); // ch2bet's brain: 1737 mL
    expect(report.brainExtraction.volumeMl).toBeLessThan(1737 * 1.15);
    expect(report.provenance.settings.brainMask).toBe('study brain extraction');
    expect([...(await labelsOf(out)).dims]).toEqual([...brain.volumes.t1gd.dims]);
  });

  it('a Decathlon 4D file with a dataset.json giving another channel order', async () => {
    const order = ['t1', 't1gd', 't2', 'flair'] as const;
    const v = brain.volumes.t1gd;
    const file = path.join(work, 'BRATS_007.nii.gz');
    writeFileSync(
      file,
      gzipSync(
        fourDNifti(
          order.map((r) => brain.volumes[r].data),
          [...v.dims] as [number, number, number],
          v.affine,
          'float32',
        ),
      ),
    );
    const json = path.join(work, 'dataset.json');
    writeFileSync(json, JSON.stringify({ name: 'BRATS', modality: { 0: 'T1w', 1: 't1gd', 2: 'T2w', 3: 'FLAIR' } }));
    const out = path.join(work, 'decathlon-seg.nii.gz');
    const { code, report } = await run(['--image', file, '--dataset-json', json, '--out', out]);
    expect(code).toBe(0);
    expect(report.layout.layout).toBe('decathlon-4d');
    expect(report.layout.assignments.map((a: { role: string; channel: number }) => `${a.role}:${a.channel}`)).toEqual(['t1:0', 't1gd:1', 't2:2', 'flair:3']);
    for (const role of ['flair', 't1', 't2']) expect(report.registration[role]).toMatchObject({ ok: true, source: 'identity' });
  });

  it('a skull-on head (Colin27 ch2) in four contrasts: brain extraction removes the head', async () => {
    const head = await readNifti('/usr/share/mricron/templates/ch2.nii.gz');
    const onGrid = resample(head, brain.volumes.t1gd);
    const inBrain = brain.volumes.t1gd.data; // ch2bet on the same grid: > 0 inside the brain
    // Inside the brain each sequence has its contrast; outside, the head keeps T1-like signal (fat bright, skull dark), dimmer on T2.
    const contrast = { flair: (x: number) => 30 + 0.6 * x + 15 * Math.sin(x / 20), t1: (x: number) => 5 + x, t1gd: (x: number) => 8 + 1.1 * x, t2: (x: number) => 260 - x } as const;
    const headScale = { flair: 0.7, t1: 1, t1gd: 1.05, t2: 0.55 } as const;
    const dir = path.join(work, 'clinical');
    for (const role of ['flair', 't1', 't1gd', 't2'] as const)
      write(path.join(dir, `AX_${role.toUpperCase()}.nii.gz`), { ...onGrid, data: Float32Array.from(onGrid.data, (x, i) => (inBrain[i]! > 0 ? contrast[role](x) : headScale[role] * x)) });
    const { code, report } = await run(['--dir', dir, '--out', path.join(work, 'head-seg.nii.gz')]);
    expect(code).toBe(0);
    expect(report.layout.layout).toBe('named-files');
    expect(report.brainExtraction.input).toBe('head');
    expect(report.brainExtraction.volumeMl).toBeGreaterThan(1737 * 0.85); // ch2bet's brain: 1737 mL
    expect(report.brainExtraction.volumeMl).toBeLessThan(1737 * 1.15);
  });

  it('a thick-slice FLAIR (3 × 3 × 6 mm) beside 3 mm sequences: registered and segmented on the T1gd grid', async () => {
    const v = brain.volumes.flair;
    const thick = resample(v, { dims: [v.dims[0], v.dims[1], Math.floor(v.dims[2] / 2)], affine: [3, 0, 0, v.affine[3]!, 0, 3, 0, v.affine[7]!, 0, 0, 6, v.affine[11]! + 1.5, 0, 0, 0, 1] });
    const dir = path.join(work, 'thick');
    write(path.join(dir, 'flair_thick.nii.gz'), thick);
    for (const role of ['t1', 't1gd', 't2'] as const) write(path.join(dir, `${role}.nii.gz`), brain.volumes[role]);
    const out = path.join(work, 'thick-seg.nii.gz');
    const { code, report } = await run(['--dir', dir, '--out', out]);
    expect(code).toBe(0);
    expect(report.registration.flair).toMatchObject({ ok: true, alreadyAligned: false });
    expect([...(await labelsOf(out)).dims]).toEqual([...brain.volumes.t1gd.dims]);
  });

  it('refuses a folder with two files for one sequence and stores nothing', async () => {
    const dir = path.join(work, 'dup');
    for (const name of ['flair', 't1', 't1gd', 't2', 't2_repeat']) write(path.join(dir, `${name}.nii.gz`), brain.volumes.t2);
    await expect(segment.run(['--dir', dir, '--out', path.join(work, 'x.nii.gz')])).rejects.toThrow(/refused: .*t2_repeat\.nii\.gz: sequence is t2 \(also claimed by/);
  });
});
