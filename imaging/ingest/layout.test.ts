import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { IngestFile } from './decode';
import { IngestError } from './errors';
import { channelRolesFromDatasetJson, niftiChannelCount, recognizeStudyLayout, roleFromName, sourcesFromAssignments, type ChannelOf4d } from './layout';
import { resolveLimits } from './limits';
import { fourDNifti, makeZip, smallNifti } from '../../test/support/ingest-builders';
import { readZip } from './zip';

const limits = resolveLimits();
const file = (name: string, bytes: Uint8Array = gzipSync(smallNifti())): IngestFile => ({ name, bytes });
const json = (name: string, value: unknown): IngestFile => ({ name, bytes: new TextEncoder().encode(JSON.stringify(value)) });
const four = () =>
  gzipSync(
    fourDNifti(
      [0, 1, 2, 3].map((c) => Float32Array.from({ length: 512 }, (_, i) => (i % 50) + c * 100)),
      [8, 8, 8],
    ),
  );
const refusal = (fn: () => unknown): IngestError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof IngestError) return e;
    throw e;
  }
  throw new Error('accepted');
};

describe('sequence names', () => {
  it.each([
    ['BraTS20_Training_001_flair.nii.gz', 'flair'],
    ['BraTS20_Training_001_t1.nii.gz', 't1'],
    ['BraTS20_Training_001_t1ce.nii.gz', 't1gd'],
    ['BraTS20_Training_001_t2.nii.gz', 't2'],
    ['BraTS-GLI-00000-000-t2f.nii.gz', 'flair'],
    ['BraTS-GLI-00000-000-t1n.nii.gz', 't1'],
    ['BraTS-GLI-00000-000-t1c.nii.gz', 't1gd'],
    ['BraTS-GLI-00000-000-t2w.nii.gz', 't2'],
    ['AX T2 FLAIR.nii', 'flair'],
    ['sag_T1_MPRAGE.nii.gz', 't1'],
    ['T1_Gd.nii.gz', 't1gd'],
    ['t1_post.nii.gz', 't1gd'],
    ['T2w.nii.gz', 't2'],
    ['series/3_T2', 't2'],
  ])('%s → %s', (name, role) => expect(roleFromName(name)?.role).toBe(role));
  it.each(['scan1.nii.gz', 'DWI.nii.gz', 't1_t2.nii.gz'])('%s → none', (name) => expect(roleFromName(name)).toBeNull());
});

describe('layouts', () => {
  it('recognises BraTS 2020/2021 names, ignores the label file, and keeps the case id', () => {
    const s = recognizeStudyLayout(
      ['flair', 't1', 't1ce', 't2', 'seg'].map((q) => file(`BraTS20_Training_007/BraTS20_Training_007_${q}.nii.gz`)),
      limits,
    );
    expect(s.layout).toBe('brats-2021');
    expect(s.caseId).toBe('BraTS20_Training_007');
    expect(s.assignments.map((a) => [a.role, a.file.split('/').pop()])).toEqual([
      ['flair', 'BraTS20_Training_007_flair.nii.gz'],
      ['t1', 'BraTS20_Training_007_t1.nii.gz'],
      ['t1gd', 'BraTS20_Training_007_t1ce.nii.gz'],
      ['t2', 'BraTS20_Training_007_t2.nii.gz'],
    ]);
    expect(s.ignored.join()).toMatch(/_seg\.nii\.gz: a label file/);
  });

  it('recognises BraTS 2023 names inside a zip', () => {
    const zip = makeZip(['t2f', 't1n', 't1c', 't2w'].map((q) => ({ name: `BraTS-GLI-00005-000/BraTS-GLI-00005-000-${q}.nii.gz`, bytes: gzipSync(smallNifti()) })));
    const s = recognizeStudyLayout([file('case.zip', zip)], limits);
    expect(s.layout).toBe('brats-2023');
    expect(s.caseId).toBe('BraTS-GLI-00005-000');
    expect((s.sources.t1gd as IngestFile).name).toBe('case.zip/BraTS-GLI-00005-000/BraTS-GLI-00005-000-t1c.nii.gz');
  });

  it('takes free names that say their sequence', () => {
    const s = recognizeStudyLayout([file('AX_FLAIR.nii.gz'), file('T1_MPRAGE.nii.gz'), file('T1_Gd.nii.gz'), file('AX_T2.nii.gz')], limits);
    expect(s.layout).toBe('named-files');
    expect(s.assignments.map((a) => `${a.role}:${a.file}`)).toEqual(['flair:AX_FLAIR.nii.gz', 't1:T1_MPRAGE.nii.gz', 't1gd:T1_Gd.nii.gz', 't2:AX_T2.nii.gz']);
  });

  it('reads a Decathlon 4D file in the default order, or in the order dataset.json gives', () => {
    expect(niftiChannelCount(four())).toBe(4);
    const plain = recognizeStudyLayout([file('BRATS_001.nii.gz', four())], limits);
    expect(plain.layout).toBe('decathlon-4d');
    expect(plain.caseId).toBe('BRATS_001');
    expect(plain.assignments.map((a) => `${a.role}:${a.channel}`)).toEqual(['flair:0', 't1:1', 't1gd:2', 't2:3']);
    const reordered = recognizeStudyLayout([file('Task01/imagesTr/BRATS_001.nii.gz', four()), json('Task01/dataset.json', { modality: { 0: 'T1w', 1: 't1gd', 2: 'T2w', 3: 'FLAIR' } })], limits);
    expect(reordered.assignments.map((a) => `${a.role}:${a.channel}`)).toEqual(['t1:0', 't1gd:1', 't2:2', 'flair:3']);
    expect((reordered.sources.flair as ChannelOf4d).channel).toBe(3);
    expect(channelRolesFromDatasetJson(json('dataset.json', { channel_names: { 0: 'FLAIR', 1: 'T1', 2: 'T1ce', 3: 'T2' } }))).toEqual(['flair', 't1', 't1gd', 't2']);
  });
});

describe('a confirmed (corrected) mapping', () => {
  it('offers every file or channel as a candidate and takes a correction among them', () => {
    const files = [file('BRATS_001.nii.gz', four())];
    const s = recognizeStudyLayout(files, limits);
    expect(s.candidates).toEqual([0, 1, 2, 3].map((channel) => ({ file: 'BRATS_001.nii.gz', channel })));
    const swapped = sourcesFromAssignments(
      files,
      [
        { role: 'flair', file: 'BRATS_001.nii.gz', channel: 0 },
        { role: 't1', file: 'BRATS_001.nii.gz', channel: 2 },
        { role: 't1gd', file: 'BRATS_001.nii.gz', channel: 1 },
        { role: 't2', file: 'BRATS_001.nii.gz', channel: 3 },
      ],
      limits,
    );
    expect((swapped.t1 as ChannelOf4d).channel).toBe(2);
    expect((swapped.t1gd as ChannelOf4d).channel).toBe(1);
    const named = [file('AX_FLAIR.nii.gz'), file('T1_MPRAGE.nii.gz'), file('T1_Gd.nii.gz'), file('AX_T2.nii.gz')];
    expect(recognizeStudyLayout(named, limits).candidates.map((c) => c.file)).toEqual(named.map((f) => f.name));
    const sources = sourcesFromAssignments(named, recognizeStudyLayout(named, limits).assignments, limits);
    expect((sources.t1gd as IngestFile).name).toBe('T1_Gd.nii.gz');
  });
  it('takes a folder of DICOM series folders (as a browser sends a folder: paths in the names), one series per folder', () => {
    const slices = readZip(new Uint8Array(readFileSync(new URL('./fixtures/oblique-series.zip', import.meta.url))), 'oblique-series.zip', limits);
    const folders = { flair: '3_AX_FLAIR', t1: '4_T1_MPRAGE', t1gd: '7_T1_POST', t2: '5_AX_T2' } as const;
    const files = Object.values(folders).flatMap((dir) => slices.map((e) => ({ name: `Patient/${dir}/${e.name.split('/').pop()}`, bytes: e.bytes })));
    const s = recognizeStudyLayout(files, limits);
    expect(s.layout).toBe('named-files');
    expect(s.assignments.map((a) => `${a.role}:${a.file}`)).toEqual(Object.entries(folders).map(([role, dir]) => `${role}:Patient/${dir}`));
    const sources = sourcesFromAssignments(files, s.assignments, limits);
    expect((sources.t1gd as IngestFile[]).map((f) => f.name)).toEqual(files.filter((f) => f.name.startsWith('Patient/7_T1_POST/')).map((f) => f.name));
  });
  it('refuses a source given twice, a file not uploaded, and a sequence left out', () => {
    const files = [file('BRATS_001.nii.gz', four())];
    const a = (channels: number[]) => (['flair', 't1', 't1gd', 't2'] as const).slice(0, channels.length).map((role, i) => ({ role, file: 'BRATS_001.nii.gz', channel: channels[i] }));
    expect(refusal(() => sourcesFromAssignments(files, a([0, 1, 1, 3]), limits))).toMatchObject({ code: 'duplicate-sequence', field: 'source' });
    expect(refusal(() => sourcesFromAssignments(files, a([0, 1, 2]), limits))).toMatchObject({ code: 'missing-sequence', file: '(t2)' });
    expect(refusal(() => sourcesFromAssignments(files, [...a([0, 1, 2]), { role: 't2', file: 'other.nii.gz' }], limits))).toMatchObject({ code: 'missing-sequence', file: 'other.nii.gz' });
  });
});

describe('layout refusals name file, field, value and expectation', () => {
  it('a 4D file with two channels (nibabel example4d.nii.gz, not ours)', () => {
    const e = refusal(() => recognizeStudyLayout([file('example4d.nii.gz', readFileSync('/usr/lib/python3/dist-packages/nibabel/tests/data/example4d.nii.gz'))], limits));
    expect(e).toMatchObject({ code: 'channels', file: 'example4d.nii.gz', field: 'dim[4] (channels)', found: 2 });
  });
  it('a dataset.json naming a modality we do not know', () => {
    const e = refusal(() => recognizeStudyLayout([file('BRATS_001.nii.gz', four()), json('dataset.json', { modality: { 0: 'FLAIR', 1: 'T1w', 2: 'ADC', 3: 'T2w' } })], limits));
    expect(e).toMatchObject({ code: 'dataset-json', file: 'dataset.json', field: 'modality["2"]', found: '"ADC"' });
  });
  it('a zip holding two cases', () => {
    const entries = ['BraTS20_Training_001', 'BraTS20_Training_002'].flatMap((c) => ['flair', 't1', 't1ce', 't2'].map((q) => ({ name: `${c}/${c}_${q}.nii.gz`, bytes: gzipSync(smallNifti()) })));
    expect(refusal(() => recognizeStudyLayout([file('two.zip', makeZip(entries))], limits))).toMatchObject({ code: 'multiple-cases', field: 'case id' });
    expect(refusal(() => recognizeStudyLayout([file('a.nii.gz', four()), file('b.nii.gz', four())], limits))).toMatchObject({ code: 'multiple-cases', field: '4D files in the upload' });
  });
  it('two files claiming one sequence', () => {
    const e = refusal(() => recognizeStudyLayout([file('flair.nii.gz'), file('t1.nii.gz'), file('t1gd.nii.gz'), file('t2.nii.gz'), file('T2_repeat.nii.gz')], limits));
    expect(e).toMatchObject({ code: 'duplicate-sequence', file: 'T2_repeat.nii.gz', field: 'sequence' });
    expect(e.message).toContain('also claimed by t2.nii.gz');
  });
  it('a name that says no sequence, and a missing sequence', () => {
    expect(refusal(() => recognizeStudyLayout([file('flair.nii.gz'), file('scan2.nii.gz')], limits))).toMatchObject({ code: 'unknown-sequence', file: 'scan2.nii.gz' });
    expect(refusal(() => recognizeStudyLayout([file('flair.nii.gz'), file('t1.nii.gz'), file('t2.nii.gz')], limits))).toMatchObject({ code: 'missing-sequence', file: '(t1gd)' });
  });
});
