import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DicomSeriesError } from '../../imaging/dicom/errors';
import { mrProtocols, type MrSequenceKind } from '../../imaging/dicom/mr-protocols';
import { readSeries } from '../../imaging/dicom/read-series';
import { deriveUid } from '../../imaging/dicom/uid';
import { writeMrSeries } from '../../imaging/dicom/write-mr-series';
import { writeSegmentation, type SegmentationAuthor } from '../../imaging/dicom/write-segmentation';
import { writeVolumeReport } from '../../imaging/dicom/write-volume-report';
import { VolumeFormatError } from '../../imaging/errors';
import { readNifti } from '../../imaging/nifti/read-nifti';
import type { CliCommand } from '../command';
import { CliUsageError } from '../command';

const USAGE = [
  'usage: segtrial dicom from-nifti --in VOL.nii.gz --out DIR [--sequence flair|t1|t1gd|t2] [--series-description T] [--patient-id ID] [--study-uid UID] [--series-number N] [--accession A]',
  '       segtrial dicom seg --labels LABELS.nii.gz --source DIR --out SEG.dcm [--algorithm NAME@VERSION [--weights-sha256 HEX] | --creator "Family^Given"] [--sr SR.dcm]',
].join('\n');

const kinds = Object.keys(mrProtocols) as MrSequenceKind[];

/** The sequence a file name suggests (BraTS/MSD style names: *_flair, *_t1ce, *t1gd…). */
function sequenceFromName(file: string): MrSequenceKind | undefined {
  const name = path.basename(file).toLowerCase();
  if (/flair/.test(name)) return 'flair';
  if (/t1(ce|gd|c|_post|post)/.test(name)) return 't1gd';
  if (/t2/.test(name)) return 't2';
  if (/t1/.test(name)) return 't1';
  return undefined;
}

async function readSeriesDir(dir: string) {
  const names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  return readSeries(await Promise.all(names.map(async (n) => ({ name: n, bytes: new Uint8Array(await readFile(path.join(dir, n))) }))), dir);
}

async function fromNifti(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      in: { type: 'string' },
      out: { type: 'string' },
      sequence: { type: 'string' },
      'series-description': { type: 'string' },
      'patient-id': { type: 'string', default: 'ANON' },
      'study-uid': { type: 'string' },
      'series-number': { type: 'string' },
      accession: { type: 'string', default: '' },
    },
  });
  if (!values.in || !values.out) throw new CliUsageError(USAGE);
  const kind = (values.sequence ?? sequenceFromName(values.in) ?? 't1') as MrSequenceKind;
  if (!kinds.includes(kind)) throw new CliUsageError(`--sequence is ${JSON.stringify(values.sequence)}, expected one of ${kinds.join(', ')}`);
  const volume = await readNifti(values.in);
  const studyInstanceUid = values['study-uid'] ?? deriveUid(`study/${values['patient-id']}/${values.accession}`);
  const series = writeMrSeries({
    volume,
    protocol: kind,
    patient: { id: values['patient-id'] },
    study: { studyInstanceUid, date: new Date(), accessionNumber: values.accession },
    seriesNumber: Number(values['series-number'] ?? kinds.indexOf(kind) + 1),
    ...(values['series-description'] ? { seriesDescription: values['series-description'] } : {}),
  });
  await mkdir(values.out, { recursive: true });
  for (const f of series.files) await writeFile(path.join(values.out, f.name), f.bytes);
  console.log(JSON.stringify({ out: values.out, instances: series.files.length, studyInstanceUid, seriesInstanceUid: series.seriesInstanceUid, sequence: kind, dims: volume.dims }, null, 2));
  return 0;
}

async function seg(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      labels: { type: 'string' },
      source: { type: 'string' },
      out: { type: 'string' },
      algorithm: { type: 'string' },
      'weights-sha256': { type: 'string' },
      creator: { type: 'string' },
      sr: { type: 'string' },
    },
  });
  if (!values.labels || !values.source || !values.out) throw new CliUsageError(USAGE);
  let author: SegmentationAuthor;
  if (values.algorithm) {
    const at = values.algorithm.lastIndexOf('@');
    if (at <= 0 || at === values.algorithm.length - 1) throw new CliUsageError(`--algorithm is ${JSON.stringify(values.algorithm)}, expected NAME@VERSION`);
    author = { kind: 'algorithm', name: values.algorithm.slice(0, at), version: values.algorithm.slice(at + 1), ...(values['weights-sha256'] ? { weightsSha256: values['weights-sha256'] } : {}) };
  } else author = { kind: 'manual', creatorName: values.creator ?? '' };
  const source = await readSeriesDir(values.source);
  const labels = await readNifti(values.labels);
  const written = writeSegmentation({ labels, source, author });
  await writeFile(values.out, written.bytes);
  let report;
  if (values.sr) {
    report = writeVolumeReport({ source, segmentation: written, author });
    await writeFile(values.sr, report.bytes);
  }
  console.log(JSON.stringify({ out: values.out, sopInstanceUid: written.sopInstanceUid, segments: written.segments, sr: values.sr ?? null, volumesMl: report?.volumesMl ?? null }, null, 2));
  return 0;
}

const command: CliCommand = {
  name: 'dicom',
  summary: 'dicom from-nifti | seg: write an MR series from NIfTI; a DICOM SEG (and TID 1500 SR) from a label map on a DICOM series',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv;
    try {
      if (sub === 'from-nifti') return await fromNifti(rest);
      if (sub === 'seg') return await seg(rest);
    } catch (error) {
      if (error instanceof DicomSeriesError || error instanceof VolumeFormatError) throw new CliUsageError(`refused: ${error.message}`, 1);
      throw error;
    }
    throw new CliUsageError(USAGE);
  },
};
export default command;
