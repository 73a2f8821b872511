/**
 * The hostile-input corpus: malformed and malicious files, generated here (nothing binary is committed
 * except the DICOM fixture, which has its script), each with the IngestError code and field that must
 * refuse it. Shared by the unit test (imaging/ingest/hostile.test.ts: the typed refusal and bounded
 * memory) and the benchmark (bench/ingest/hostile.ts: the CPU each refusal costs against decoding a
 * valid file). Test support, not shipped.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readZip } from '../../imaging/ingest/zip';
import { decodeNiftiChannels, decodeSequence, type IngestFile } from '../../imaging/ingest/decode';
import { recognizeStudyLayout } from '../../imaging/ingest/layout';
import type { IngestErrorCode } from '../../imaging/ingest/errors';
import { resolveLimits, type IngestLimits } from '../../imaging/ingest/limits';
import { validateSliceGaps, validateVolume } from '../../imaging/ingest/validate';
import { fourDNifti, gzipBomb, makeZip, patch, smallNifti } from './ingest-builders';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../imaging/ingest/fixtures');
const limits = resolveLimits();
const valid = smallNifti();
const float = smallNifti({ datatype: 'float32' });
const dicomZip = readFileSync(path.join(fixtures, 'oblique-series.zip'));
const dicomFiles = readZip(dicomZip, 'series.zip', limits);
const setDim = (i: number, v: number) => (d: DataView) => d.setInt16(40 + 2 * i, v, true);

/** NIfTI-2 header for an 8×8×8 int16 volume, with an edit applied. */
function nifti2(edit: (v: DataView) => void = () => {}): Uint8Array {
  const out = new Uint8Array(544 + 1024);
  const v = new DataView(out.buffer);
  v.setInt32(0, 540, true);
  out.set([0x6e, 0x2b, 0x32, 0, 0x0d, 0x0a, 0x1a, 0x0a], 4);
  v.setInt16(12, 4, true);
  v.setInt16(14, 16, true);
  [3, 8, 8, 8, 1, 1, 1, 1].forEach((d, i) => v.setBigInt64(16 + 8 * i, BigInt(d), true));
  [1, 1, 1, 1, 1, 1, 1, 1].forEach((p, i) => v.setFloat64(104 + 8 * i, p, true));
  v.setBigInt64(168, 544n, true);
  v.setFloat64(176, 1, true);
  edit(v);
  return out;
}

function dicomWithSeries(uid: string): Uint8Array {
  // Rewrite the SeriesInstanceUID value in place (same length keeps the file valid).
  const f = Uint8Array.from(dicomFiles[0]!.bytes);
  const at = Buffer.from(f).indexOf('1.2.826.0.1.3680043.8.498.3');
  f.set(new TextEncoder().encode(uid.padEnd(27, '9').slice(0, 27)), at);
  return f;
}

export interface HostileCase {
  name: string;
  code: IngestErrorCode;
  field: RegExp;
  input: () => IngestFile | IngestFile[];
  /** Also run the volume checks (for files that decode but hold bad voxels or geometry). */
  validate?: boolean;
  /** What refuses it: decoding one sequence (default), decoding a 4D case, or recognising a case's layout from its files. */
  stage?: 'sequence' | '4d' | 'layout';
  limits?: Partial<IngestLimits>;
}

/** The fixture series with its SliceThickness (DS "2.5") rewritten to `value` (3 characters). */
function dicomWithThickness(value: string): IngestFile[] {
  return dicomFiles.map((f) => {
    const b = Uint8Array.from(f.bytes);
    const at = Buffer.from(b).indexOf(Buffer.from([0x18, 0x00, 0x50, 0x00, 0x44, 0x53]));
    const len = new DataView(b.buffer).getUint16(at + 6, true);
    b.set(new TextEncoder().encode(value.padEnd(len, ' ')), at + 8);
    return { name: f.name, bytes: b };
  });
}

const gz = (name: string, bytes: Uint8Array): IngestFile => ({ name, bytes: gzipSync(bytes) });
const channels = (k: number) => Array.from({ length: k }, (_, c) => Float32Array.from({ length: 512 }, (_, i) => (i % 37) + 10 * c));

export const hostileCases: HostileCase[] = [
  { name: 'empty.nii', code: 'size-mismatch', field: /header size/, input: () => ({ name: 'empty.nii', bytes: new Uint8Array(0) }) },
  { name: 'short-header.nii', code: 'size-mismatch', field: /header size/, input: () => ({ name: 'short-header.nii', bytes: valid.subarray(0, 100) }) },
  { name: 'bad-sizeof_hdr.nii', code: 'format', field: /sizeof_hdr/, input: () => ({ name: 'bad-sizeof_hdr.nii', bytes: patch(valid, (d) => d.setInt32(0, 123, true)) }) },
  { name: 'wrong-magic.nii', code: 'format', field: /magic/, input: () => ({ name: 'wrong-magic.nii', bytes: patch(valid, (_, b) => b.set([0x41, 0x42, 0x43, 0], 344)) }) },
  { name: 'analyze-pair-magic.nii', code: 'format', field: /magic/, input: () => ({ name: 'analyze-pair-magic.nii', bytes: patch(valid, (_, b) => b.set([0x6e, 0x69, 0x31, 0], 344)) }) },
  { name: 'negative-dim.nii', code: 'dimensions', field: /dim\[1\]/, input: () => ({ name: 'negative-dim.nii', bytes: patch(valid, setDim(1, -8)) }) },
  { name: 'zero-dim.nii', code: 'dimensions', field: /dim\[2\]/, input: () => ({ name: 'zero-dim.nii', bytes: patch(valid, setDim(2, 0)) }) },
  { name: 'dim0-zero.nii', code: 'dimensions', field: /dim\[0\]/, input: () => ({ name: 'dim0-zero.nii', bytes: patch(valid, setDim(0, 0)) }) },
  { name: 'dim0-eight.nii', code: 'dimensions', field: /dim\[0\]/, input: () => ({ name: 'dim0-eight.nii', bytes: patch(valid, setDim(0, 8)) }) },
  {
    name: 'billion-voxels.nii',
    code: 'dimensions',
    field: /voxel count/,
    input: () => ({ name: 'billion-voxels.nii', bytes: patch(valid, (d) => [1000, 1000, 1000].forEach((n, i) => d.setInt16(42 + 2 * i, n, true))) }),
  },
  { name: 'dim-32767.nii', code: 'dimensions', field: /dim\[3\]/, input: () => ({ name: 'dim-32767.nii', bytes: patch(valid, setDim(3, 32767)) }) },
  {
    name: 'four-d.nii',
    code: 'dimensions',
    field: /dim\[4\]/,
    input: () => ({
      name: 'four-d.nii',
      bytes: patch(valid, (d) => {
        d.setInt16(40, 4, true);
        d.setInt16(48, 5, true);
      }),
    }),
  },
  {
    name: 'rgb-datatype.nii',
    code: 'format',
    field: /datatype/,
    input: () => ({
      name: 'rgb-datatype.nii',
      bytes: patch(valid, (d) => {
        d.setInt16(70, 128, true);
        d.setInt16(72, 24, true);
      }),
    }),
  },
  { name: 'bitpix-mismatch.nii', code: 'format', field: /bitpix/, input: () => ({ name: 'bitpix-mismatch.nii', bytes: patch(valid, (d) => d.setInt16(72, 32, true)) }) },
  { name: 'vox_offset-huge.nii', code: 'format', field: /vox_offset/, input: () => ({ name: 'vox_offset-huge.nii', bytes: patch(valid, (d) => d.setFloat32(108, 1e9, true)) }) },
  { name: 'vox_offset-inside-header.nii', code: 'format', field: /vox_offset/, input: () => ({ name: 'vox_offset-inside-header.nii', bytes: patch(valid, (d) => d.setFloat32(108, 100, true)) }) },
  { name: 'vox_offset-nan.nii', code: 'format', field: /vox_offset/, input: () => ({ name: 'vox_offset-nan.nii', bytes: patch(valid, (d) => d.setFloat32(108, NaN, true)) }) },
  { name: 'truncated-data.nii', code: 'size-mismatch', field: /data length/, input: () => ({ name: 'truncated-data.nii', bytes: valid.subarray(0, 352 + 300) }) },
  { name: 'trailing-junk.nii', code: 'size-mismatch', field: /data length/, input: () => ({ name: 'trailing-junk.nii', bytes: new Uint8Array([...valid, ...new Uint8Array(4096)]) }) },
  { name: 'not-gzip.nii.gz', code: 'format', field: /gzip magic/, input: () => ({ name: 'not-gzip.nii.gz', bytes: valid }) },
  { name: 'gzip-named.nii', code: 'format', field: /content/, input: () => ({ name: 'gzip-named.nii', bytes: new Uint8Array(gzipSync(valid)) }) },
  { name: 'gzip-bomb-4GiB.nii.gz', code: 'too-large', field: /decompressed size/, input: () => ({ name: 'gzip-bomb-4GiB.nii.gz', bytes: gzipBomb(4 * 2 ** 30) }) },
  {
    name: 'gzip-truncated.nii.gz',
    code: 'format',
    field: /gzip stream/,
    input: () => {
      const gz = gzipSync(float);
      return { name: 'gzip-truncated.nii.gz', bytes: gz.subarray(0, gz.length >> 1) };
    },
  },
  {
    name: 'gzip-corrupt-body.nii.gz',
    code: 'format',
    field: /gzip stream/,
    input: () => {
      const gz = Uint8Array.from(gzipSync(float));
      for (let i = 40; i < gz.length - 8; i += 3) gz[i]! ^= 0x5a;
      return { name: 'gzip-corrupt-body.nii.gz', bytes: gz };
    },
  },
  {
    name: 'gzip-bad-crc.nii.gz',
    code: 'format',
    field: /gzip stream/,
    input: () => {
      const gz = Uint8Array.from(gzipSync(float));
      gz[gz.length - 6]! ^= 0xff;
      return { name: 'gzip-bad-crc.nii.gz', bytes: gz };
    },
  },
  { name: 'nifti2-huge-dim.nii', code: 'dimensions', field: /dim\[1\]/, input: () => ({ name: 'nifti2-huge-dim.nii', bytes: nifti2((v) => v.setBigInt64(24, 2n ** 40n, true)) }) },
  { name: 'nifti2-negative-offset.nii', code: 'format', field: /vox_offset/, input: () => ({ name: 'nifti2-negative-offset.nii', bytes: nifti2((v) => v.setBigInt64(168, -5n, true)) }) },
  { name: 'srow-nan.nii', code: 'format', field: /srow/, input: () => ({ name: 'srow-nan.nii', bytes: patch(valid, (d) => d.setFloat32(280, NaN, true)) }) },
  {
    name: 'singular-sform.nii',
    code: 'format',
    field: /affine determinant/,
    validate: true,
    input: () => ({
      name: 'singular-sform.nii',
      bytes: patch(valid, (d) => {
        d.setFloat32(280, 0, true);
        d.setFloat32(296, 0, true);
        d.setFloat32(312, 0, true);
      }),
    }),
  },
  { name: 'nan-voxels.nii', code: 'non-finite', field: /voxel values/, validate: true, input: () => ({ name: 'nan-voxels.nii', bytes: patch(float, (d) => d.setFloat32(352 + 4 * 77, NaN, true)) }) },
  {
    name: 'inf-voxels.nii',
    code: 'non-finite',
    field: /voxel values/,
    validate: true,
    input: () => ({ name: 'inf-voxels.nii', bytes: patch(float, (d) => d.setFloat32(352 + 4 * 5, -Infinity, true)) }),
  },
  {
    name: 'overflowing-scl_slope.nii',
    code: 'non-finite',
    field: /voxel values/,
    validate: true,
    input: () => ({
      name: 'overflowing-scl_slope.nii',
      bytes: patch(valid, (d) => {
        d.setFloat32(112, 3e38, true);
        d.setFloat32(116, 3e38, true);
      }),
    }),
  },
  { name: 'constant.nii', code: 'constant', field: /voxel values/, validate: true, input: () => ({ name: 'constant.nii', bytes: smallNifti({ data: new Float32Array(512).fill(7) }) }) },
  { name: 'all-zero.nii', code: 'constant', field: /voxel values/, validate: true, input: () => ({ name: 'all-zero.nii', bytes: smallNifti({ data: new Float32Array(512) }) }) },
  {
    name: 'spacing-50mm.nii',
    code: 'dimensions',
    field: /voxel size/,
    validate: true,
    input: () => ({ name: 'spacing-50mm.nii', bytes: smallNifti({ affine: [50, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1] }) }),
  },
  {
    name: 'spacing-0.001mm.nii',
    code: 'dimensions',
    field: /voxel size/,
    validate: true,
    input: () => ({ name: 'spacing-0.001mm.nii', bytes: smallNifti({ affine: [0.001, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1] }) }),
  },
  {
    name: 'fov-900mm.nii',
    code: 'dimensions',
    field: /field of view/,
    validate: true,
    input: () => ({ name: 'fov-900mm.nii', bytes: smallNifti({ dims: [100, 4, 4], affine: [9, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1] }) }),
  },
  { name: 'unknown-extension.img', code: 'format', field: /file name/, input: () => ({ name: 'unknown-extension.img', bytes: valid }) },
  { name: 'not-a-zip.zip', code: 'format', field: /zip magic/, input: () => ({ name: 'not-a-zip.zip', bytes: valid }) },
  { name: 'zip-truncated.zip', code: 'format', field: /end of central directory/, input: () => ({ name: 'zip-truncated.zip', bytes: dicomZip.subarray(0, dicomZip.length >> 1) }) },
  {
    name: 'zip-bomb-entry.zip',
    code: 'too-large',
    field: /inflated size/,
    input: () => ({ name: 'zip-bomb-entry.zip', bytes: makeZip([{ name: 'a.dcm', bytes: new Uint8Array(200 * 2 ** 20), declare: 1000 }]) }),
  },
  {
    name: 'zip-declares-huge.zip',
    code: 'too-large',
    field: /unzipped size/,
    input: () => ({ name: 'zip-declares-huge.zip', bytes: makeZip([{ name: 'a.dcm', bytes: new Uint8Array(10), declare: 2 ** 31 }]) }),
  },
  {
    name: 'zip-too-many-entries.zip',
    code: 'too-large',
    field: /zip entries/,
    limits: { maxZipEntries: 5 },
    input: () => ({ name: 'zip-too-many-entries.zip', bytes: makeZip(Array.from({ length: 6 }, (_, i) => ({ name: `${i}.dcm`, bytes: new Uint8Array(1) }))) }),
  },
  { name: 'zip-of-non-dicom.zip', code: 'format', field: /DICOM preamble/, input: () => ({ name: 'zip-of-non-dicom.zip', bytes: makeZip([{ name: 'x.dcm', bytes: valid }]) }) },
  { name: 'zip-short-entry.zip', code: 'size-mismatch', field: /size/, input: () => ({ name: 'zip-short-entry.zip', bytes: makeZip([{ name: 'a.dcm', bytes: new Uint8Array(100), declare: 5000 }]) }) },
  { name: 'dicom-two-series (folder)', code: 'dicom', field: /SeriesInstanceUID/, input: () => [dicomFiles[1]!, { name: 'series/other.dcm', bytes: dicomWithSeries('1.2.826.0.1.3680043.8.498.7') }] },
  { name: '4d-two-channels.nii.gz', code: 'channels', field: /dim\[4\]/, stage: '4d', input: () => gz('4d-two-channels.nii.gz', fourDNifti(channels(2), [8, 8, 8])) },
  { name: '4d-five-channels.nii.gz (layout)', code: 'channels', field: /dim\[4\]/, stage: 'layout', input: () => [gz('case.nii.gz', fourDNifti(channels(5), [8, 8, 8]))] },
  {
    name: 'dataset.json-unknown-modality',
    code: 'dataset-json',
    field: /modality\["1"\]/,
    stage: 'layout',
    input: () => [gz('BRATS_002.nii.gz', fourDNifti(channels(4), [8, 8, 8])), { name: 'dataset.json', bytes: new TextEncoder().encode('{"modality":{"0":"FLAIR","1":"DWI","2":"T1gd","3":"T2w"}}') }],
  },
  {
    name: 'dataset.json-not-json',
    code: 'dataset-json',
    field: /content/,
    stage: 'layout',
    input: () => [gz('BRATS_002.nii.gz', fourDNifti(channels(4), [8, 8, 8])), { name: 'dataset.json', bytes: new TextEncoder().encode('{"modality": ') }],
  },
  {
    name: 'zip-with-two-cases.zip',
    code: 'multiple-cases',
    field: /case id/,
    stage: 'layout',
    input: () => [
      { name: 'two.zip', bytes: makeZip(['BraTS2021_00001', 'BraTS2021_00002'].flatMap((c) => ['flair', 't1', 't1ce', 't2'].map((q) => ({ name: `${c}/${c}_${q}.nii.gz`, bytes: gzipSync(valid) })))) },
    ],
  },
  { name: 'two-files-claim-t1gd', code: 'duplicate-sequence', field: /sequence/, stage: 'layout', input: () => ['flair', 't1', 't1ce', 't2', 't1_post'].map((q) => gz(`${q}.nii.gz`, valid)) },
  { name: 'dicom-missing-slice (folder)', code: 'slice-gaps', field: /step between slices/, validate: true, input: () => dicomFiles.filter((f) => !f.name.endsWith('IM0004.dcm')) },
  { name: 'dicom-thick-slices-with-gaps (folder)', code: 'slice-gaps', field: /slice spacing/, validate: true, input: () => dicomWithThickness('1.0') },
  {
    name: 'dicom-truncated-pixels (folder)',
    code: 'dicom',
    field: /DICOM data set/,
    input: () => dicomFiles.map((f, i) => (i === 3 ? { name: f.name, bytes: f.bytes.subarray(0, f.bytes.length - 200) } : f)),
  },
];

/**
 * Runs a case's input (made beforehand by `c.input()`, so a caller timing this call times the refusal
 * alone) through the stage that must refuse it; returns what was thrown, or null when it was accepted.
 */
export async function runHostileCase(c: HostileCase, input: IngestFile | IngestFile[], lim: IngestLimits = resolveLimits(c.limits)): Promise<unknown> {
  try {
    if (c.stage === 'layout') recognizeStudyLayout(input as IngestFile[], lim);
    else if (c.stage === '4d') await decodeNiftiChannels(input as IngestFile, lim);
    else {
      const decoded = await decodeSequence(input, lim);
      if (c.validate) {
        validateVolume(decoded.volume, decoded.file, lim);
        validateSliceGaps(decoded);
      }
    }
  } catch (e) {
    return e;
  }
  return null;
}
