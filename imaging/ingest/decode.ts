/**
 * Decoding one uploaded sequence — NIfTI-1/2 (.nii, .nii.gz) or a DICOM series (a .zip of its files,
 * or the files themselves) — into a float32 Volume (x fastest, spacing in mm, RAS+ voxel-to-world
 * affine: see ../volume.ts), plus its de-identified original and the record of what was removed.
 *
 * The file name's claim is checked against the content: .nii.gz must be gzip, .nii must not be, .zip
 * must be a zip whose entries are DICOM Part 10 files. NIfTI headers are checked (dims, voxel count,
 * datatype against bitpix, vox_offset) before a byte is inflated; the gzip stream is inflated with a
 * byte budget — what the header promises — and stopped as soon as it is exceeded, and the file must
 * then hold exactly that many bytes. Decoding runs under a deadline. DICOM series are converted by
 * @itk-wasm/dicom (ITK's GDCM reader: slices sorted by position, geometry from ImagePositionPatient /
 * ImageOrientationPatient / PixelSpacing), which returns voxels and geometry only.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { readImageDicomFileSeriesNode } from '@itk-wasm/dicom';
import { dicomDeidActions, isDicomPart10, scanDicom, type DicomScan } from '../deid/dicom';
import { deidentifyNifti, niftiLayout, niftiVoxOffset, type DeidAction } from '../deid/nifti';
import { parseNifti, parseNiftiChannels } from '../nifti/read-nifti';
import { encodeNifti } from '../nifti/write-nifti';
import { itkImageAffine } from '../registration/itk-image';
import type { Dims, Volume } from '../volume';
import { spacingFromAffine } from '../volume';
import { asIngestError, IngestError } from './errors';
import type { IngestLimits } from './limits';
import { readZip } from './zip';

/** One uploaded file: its name as uploaded (used in messages and for the format claim) and its bytes. */
export interface IngestFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export type SequenceFormat = 'nifti-1' | 'nifti-2' | 'dicom';

export interface DecodedSequence {
  /** The uploaded name (a DICOM folder: the first file's folder). */
  readonly file: string;
  readonly format: SequenceFormat;
  readonly volume: Volume<Float32Array>;
  /** Datatype in the file before scaling (NIfTI) or of the DICOM pixels, e.g. 'int16'. */
  readonly storedDatatype: string;
  /** An uncompressed single-file NIfTI-1/2 with no identifying text and no extensions. */
  readonly deidentified: Uint8Array;
  readonly deidentification: DeidAction[];
  /** DICOM only: SliceThickness (null when absent) and the steps (mm) between consecutive slice positions along the slice normal, sorted. */
  readonly slices?: { readonly thicknessMm: number | null; readonly stepsMm: number[] };
}

/** Slice thickness and the sorted steps between slice positions, from the files' own attributes. */
function sliceSteps(scans: readonly DicomScan[]): DecodedSequence['slices'] {
  const o = scans[0]?.imageOrientation;
  if (!o || o.length !== 6 || !o.every(Number.isFinite)) return undefined;
  const normal = [o[1]! * o[5]! - o[2]! * o[4]!, o[2]! * o[3]! - o[0]! * o[5]!, o[0]! * o[4]! - o[1]! * o[3]!];
  const along = scans
    .map((sc) => sc.imagePosition)
    .filter((p): p is number[] => !!p && p.length === 3 && p.every(Number.isFinite))
    .map((p) => p[0]! * normal[0]! + p[1]! * normal[1]! + p[2]! * normal[2]!);
  if (along.length !== scans.length) return undefined;
  along.sort((a, b) => a - b);
  const thickness = scans[0]!.sliceThicknessMm;
  return { thicknessMm: thickness !== undefined && Number.isFinite(thickness) && thickness > 0 ? thickness : null, stepsMm: along.slice(1).map((z, i) => +(z - along[i]!).toFixed(4)) };
}

const datatypeBytes: Record<number, number> = { 2: 1, 4: 2, 8: 4, 16: 4, 64: 8, 256: 1, 512: 2, 768: 4 };

const hexHead = (b: Uint8Array, n = 4) => Array.from(b.subarray(0, n), (x) => x.toString(16).padStart(2, '0')).join(' ') || '(empty)';
const isGzip = (b: Uint8Array) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/**
 * The total size an uncompressed NIfTI must have according to its header, after checking everything
 * that decides it. Needs the first 348 (NIfTI-1) or 540 (NIfTI-2) bytes.
 */
export function niftiExpectedSize(head: Uint8Array, file: string, limits: Pick<IngestLimits, 'maxVoxels' | 'maxDim'>, maxChannels = 1): number {
  const layout = niftiLayout(head);
  if (!layout) {
    const found = head.length < 348 ? `${head.length} bytes` : String(new DataView(head.buffer, head.byteOffset, 4).getInt32(0, true));
    throw new IngestError(head.length < 348 ? 'size-mismatch' : 'format', file, head.length < 348 ? 'header size' : 'sizeof_hdr', found, '348 (NIfTI-1) or 540 (NIfTI-2), in either byte order');
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const n1 = layout.version === 1;
  const dim = (i: number) => (n1 ? view.getInt16(40 + 2 * i, layout.le) : Number(view.getBigInt64(16 + 8 * i, layout.le)));
  const ndim = dim(0);
  if (ndim < 1 || ndim > 7) throw new IngestError('dimensions', file, 'dim[0]', ndim, 'an integer from 1 to 7');
  let voxels = 1;
  for (let i = 1; i <= ndim; i++) {
    const d = dim(i);
    if (i <= 3 && (d < 1 || d > limits.maxDim)) throw new IngestError('dimensions', file, `dim[${i}]`, d, `an integer from 1 to ${limits.maxDim}`);
    if (i === 4 && maxChannels > 1 && d !== maxChannels) throw new IngestError('channels', file, 'dim[4] (channels)', d, `${maxChannels} (FLAIR, T1w, T1gd, T2w)`);
    if (i > 3 && d !== 1 && !(i === 4 && maxChannels > 1)) throw new IngestError('dimensions', file, `dim[${i}]`, d, '1 (a single 3D volume; a 4D case goes in whole, as the Decathlon layout)');
    if (i <= 3) voxels *= d;
  }
  if (ndim >= 4 && maxChannels > 1) voxels *= dim(4);
  if (voxels > limits.maxVoxels * Math.max(1, maxChannels)) throw new IngestError('dimensions', file, 'voxel count', voxels, `at most ${limits.maxVoxels}`);
  const datatype = view.getInt16(n1 ? 70 : 12, layout.le);
  const bytesPer = datatypeBytes[datatype];
  if (!bytesPer) throw new IngestError('format', file, 'datatype', datatype, `one of ${Object.keys(datatypeBytes).join(', ')} (scalar integer or float types)`);
  const bitpix = view.getInt16(n1 ? 72 : 14, layout.le);
  if (bitpix !== bytesPer * 8) throw new IngestError('format', file, 'bitpix', bitpix, `${bytesPer * 8} (datatype ${datatype})`);
  const offset = niftiVoxOffset(head, layout);
  if (!Number.isInteger(offset) || offset < layout.headerSize || offset > 1 << 24) throw new IngestError('format', file, 'vox_offset', offset, `an integer from ${layout.headerSize} to 16777216`);
  return offset + voxels * bytesPer;
}

function deadlineError(file: string, limits: IngestLimits, stage: string): IngestError {
  return new IngestError('timeout', file, `${stage} time`, `more than ${limits.timeoutMs} ms`, `at most ${limits.timeoutMs} ms`);
}

/** Inflate a gzip body, stopping once it exceeds what the header (read from the first bytes out) promises, or the deadline passes. */
export function gunzipNifti(bytes: Uint8Array, file: string, limits: IngestLimits, deadline: number, maxChannels = 1): Promise<Uint8Array> {
  return new Promise<Uint8Array>((resolve, reject) => {
    const gunzip = createGunzip();
    const chunks: Buffer[] = [];
    let total = 0;
    let expected = -1;
    let settled = false;
    const timer = setTimeout(() => fail(deadlineError(file, limits, 'decompression')), Math.max(0, deadline - Date.now()));
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      gunzip.destroy();
      reject(e instanceof IngestError ? e : new IngestError('format', file, 'gzip stream', e instanceof Error ? e.message : String(e), 'a complete, valid gzip body'));
    };
    gunzip.on('data', (chunk: Buffer) => {
      if (settled) return;
      chunks.push(chunk);
      total += chunk.length;
      try {
        if (Date.now() > deadline) throw deadlineError(file, limits, 'decompression');
        if (expected < 0 && total >= 540) expected = niftiExpectedSize(new Uint8Array(Buffer.concat(chunks, total).subarray(0, 540)), file, limits, maxChannels);
        if (expected >= 0 && total > expected)
          throw new IngestError('too-large', file, 'decompressed size', `more than ${expected} bytes (stopped at ${total})`, `${expected} bytes (vox_offset + voxels × bytes per voxel)`);
      } catch (e) {
        fail(e);
      }
    });
    gunzip.on('error', fail);
    gunzip.on('end', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(new Uint8Array(Buffer.concat(chunks, total)));
    });
    gunzip.end(bytes);
  });
}

function decodeNiftiRaw(raw: Uint8Array, file: string, limits: IngestLimits): DecodedSequence {
  const expected = niftiExpectedSize(raw, file, limits);
  if (raw.length !== expected) throw new IngestError('size-mismatch', file, 'data length', `${raw.length} bytes`, `${expected} bytes (vox_offset + voxels × bytes per voxel, as the header says)`);
  let nifti;
  try {
    nifti = parseNifti(raw, file, { maxVoxels: limits.maxVoxels, maxDim: limits.maxDim });
  } catch (e) {
    throw asIngestError(e, file, 'header');
  }
  const { bytes, actions } = deidentifyNifti(raw);
  const volume: Volume<Float32Array> = { dims: nifti.dims, spacing: spacingFromAffine(nifti.affine), affine: nifti.affine, data: nifti.data };
  return { file, format: nifti.niftiVersion === 1 ? 'nifti-1' : 'nifti-2', volume, storedDatatype: nifti.storedDatatype, deidentified: bytes, deidentification: actions };
}

/**
 * Decode a 4D NIfTI whose fourth dimension holds `channels` sequences into one DecodedSequence per
 * channel (`file` is `NAME[channel c]`; the de-identified original of each is that channel as a 3D
 * NIfTI in the file's stored datatype where the writer has it, float32 otherwise).
 */
export async function decodeNiftiChannels(input: IngestFile, limits: IngestLimits, channels = 4): Promise<DecodedSequence[]> {
  const deadline = Date.now() + limits.timeoutMs;
  const { name, bytes } = input;
  if (bytes.length > limits.maxFileBytes) throw new IngestError('too-large', name, 'file size', `${bytes.length} bytes`, `at most ${limits.maxFileBytes} bytes`);
  const raw = isGzip(bytes) ? await gunzipNifti(bytes, name, limits, deadline, channels) : bytes;
  const expected = niftiExpectedSize(raw, name, limits, channels);
  if (raw.length !== expected) throw new IngestError('size-mismatch', name, 'data length', `${raw.length} bytes`, `${expected} bytes (vox_offset + voxels × bytes per voxel, as the header says)`);
  let parsed;
  try {
    parsed = parseNiftiChannels(raw, name, { maxVoxels: limits.maxVoxels * channels, maxDim: limits.maxDim, maxChannels: channels });
  } catch (e) {
    throw asIngestError(e, name, 'header');
  }
  const { volume: nifti } = parsed;
  if (parsed.channels.length !== channels) throw new IngestError('channels', name, 'dim[4] (channels)', parsed.channels.length, `${channels} (FLAIR, T1w, T1gd, T2w)`);
  const { actions } = deidentifyNifti(raw);
  const spacing = spacingFromAffine(nifti.affine);
  // Keep the integer type only when scaling left the values integral (else float32 loses nothing).
  const integral = parsed.channels.every((d) => d.every(Number.isInteger));
  const writable = integral && (nifti.storedDatatype === 'int16' || nifti.storedDatatype === 'uint8') ? nifti.storedDatatype : 'float32';
  return parsed.channels.map((data, c) => {
    const volume: Volume<Float32Array> = { dims: nifti.dims, spacing, affine: nifti.affine, data: Float32Array.from(data) };
    const stored = writable === 'int16' ? { ...volume, data: Int16Array.from(data) } : writable === 'uint8' ? { ...volume, data: Uint8Array.from(data) } : volume;
    return {
      file: `${name}[channel ${c}]`,
      format: nifti.niftiVersion === 1 ? 'nifti-1' : 'nifti-2',
      volume,
      storedDatatype: nifti.storedDatatype,
      deidentified: encodeNifti(stored),
      deidentification: actions,
    } satisfies DecodedSequence;
  });
}

async function decodeDicomSeries(files: readonly IngestFile[], label: string, limits: IngestLimits): Promise<DecodedSequence> {
  if (files.length === 0) throw new IngestError('dicom', label, 'DICOM files', 0, 'at least one DICOM file');
  const scans = files.map((f) => {
    if (!isDicomPart10(f.bytes)) throw new IngestError('format', f.name, 'DICOM preamble', `bytes 128–131 are ${hexHead(f.bytes.subarray(128), 4)}`, "'DICM' (a DICOM Part 10 file)");
    const scan = scanDicom(f.bytes);
    if (!scan.complete) throw new IngestError('dicom', f.name, 'DICOM data set', 'truncated or not walkable up to the end of its pixel data', 'a complete little-endian Part 10 file');
    return scan;
  });
  const series = new Set(scans.map((s) => s.seriesUid));
  if (series.size > 1) throw new IngestError('dicom', label, 'SeriesInstanceUID', `${series.size} different series`, 'one series per sequence');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'segtrial-dicom-'));
  try {
    const names = await Promise.all(
      files.map(async (f, i) => {
        const name = path.join(dir, `${String(i).padStart(5, '0')}.dcm`);
        await writeFile(name, f.bytes);
        return name;
      }),
    );
    let image;
    try {
      ({ outputImage: image } = await readImageDicomFileSeriesNode({ inputImages: names }));
    } catch (e) {
      throw new IngestError('dicom', label, 'DICOM series', e instanceof Error ? e.message.split('\n')[0]! : String(e), 'a series ITK/GDCM can convert');
    }
    if (!image?.data || image.imageType.dimension !== 3 || image.imageType.components !== 1)
      throw new IngestError('dicom', label, 'image type', image ? `${image.imageType.dimension}D, ${image.imageType.components} component(s)` : 'none', '3D scalar image');
    const dims = [image.size[0]!, image.size[1]!, image.size[2]!] as unknown as Dims;
    const n = dims[0] * dims[1] * dims[2];
    if (dims.some((d) => d < 1 || d > limits.maxDim) || n > limits.maxVoxels)
      throw new IngestError('dimensions', label, 'dimensions', dims.join('×'), `each from 1 to ${limits.maxDim}, at most ${limits.maxVoxels} voxels`);
    const affine = itkImageAffine(image);
    const data = Float32Array.from(image.data as ArrayLike<number>);
    const volume: Volume<Float32Array> = { dims, spacing: spacingFromAffine(affine), affine, data };
    const type = image.imageType.componentType;
    const integral = type === 'int16' || type === 'uint8' ? type : 'float32';
    const stored = integral === 'float32' ? volume : { ...volume, data: type === 'int16' ? Int16Array.from(data) : Uint8Array.from(data) };
    return { file: label, format: 'dicom', volume, storedDatatype: type, deidentified: encodeNifti(stored), deidentification: dicomDeidActions(scans), slices: sliceSteps(scans) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function withDeadline<T>(work: Promise<T>, file: string, limits: IngestLimits): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(deadlineError(file, limits, 'decoding')), limits.timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Decode one sequence: a single NIfTI or zip file, or an array of DICOM files (one series).
 * Throws IngestError for anything it refuses.
 */
export async function decodeSequence(input: IngestFile | readonly IngestFile[], limits: IngestLimits): Promise<DecodedSequence> {
  const deadline = Date.now() + limits.timeoutMs;
  if (Array.isArray(input)) {
    const files = input as readonly IngestFile[];
    const label = files[0] ? path.posix.dirname(files[0].name) : '(no files)';
    const total = files.reduce((s, f) => s + f.bytes.length, 0);
    if (total > limits.maxUnzippedBytes) throw new IngestError('too-large', label, 'series size', `${total} bytes`, `at most ${limits.maxUnzippedBytes} bytes`);
    return withDeadline(decodeDicomSeries(files, label, limits), label, limits);
  }
  const { name, bytes } = input as IngestFile;
  if (bytes.length > limits.maxFileBytes) throw new IngestError('too-large', name, 'file size', `${bytes.length} bytes`, `at most ${limits.maxFileBytes} bytes`);
  const lower = name.toLowerCase();
  if (lower.endsWith('.nii.gz')) {
    if (!isGzip(bytes)) throw new IngestError('format', name, 'gzip magic', hexHead(bytes, 2), '1f 8b (a .nii.gz must be gzip-compressed)');
    const raw = await gunzipNifti(bytes, name, limits, deadline);
    return decodeNiftiRaw(raw, name, limits);
  }
  if (lower.endsWith('.nii')) {
    if (isGzip(bytes)) throw new IngestError('format', name, 'content', 'gzip-compressed data', 'an uncompressed NIfTI (name a compressed file .nii.gz)');
    return decodeNiftiRaw(bytes, name, limits);
  }
  if (lower.endsWith('.zip')) {
    if (!isZip(bytes)) throw new IngestError('format', name, 'zip magic', hexHead(bytes, 4), '50 4b 03 04 (a zip archive)');
    const files = readZip(bytes, name, limits);
    if (files.length === 0) throw new IngestError('dicom', name, 'DICOM files in the zip', 0, 'at least one');
    return withDeadline(decodeDicomSeries(files, name, limits), name, { ...limits, timeoutMs: Math.max(1, deadline - Date.now()) });
  }
  throw new IngestError('format', name, 'file name', JSON.stringify(path.posix.extname(lower) || lower), '.nii, .nii.gz, or .zip (a DICOM series)');
}
