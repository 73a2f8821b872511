/**
 * NIfTI-1 and NIfTI-2 reading (.nii or .nii.gz, either byte order) into a Volume (layout and affine
 * convention: see ../volume.ts). The header is parsed by nifti-reader-js; the voxel-to-world affine
 * follows the NIfTI precedence rules: sform when sform_code > 0, else the qform quaternion when
 * qform_code > 0, else the pixdim scaling alone (NIfTI "method 1"). Voxel values are returned as
 * float32 after scl_slope/scl_inter (a slope of 0 means "no scaling"). `parseNifti` accepts 3D images
 * only (dim[4..7] must be 1); `parseNiftiChannels` also reads a 4D file whose fourth dimension holds
 * channels (the Medical Segmentation Decathlon's one-file-per-case layout), dim[5..7] still 1.
 *
 * Defences that cost nothing: dimensions are checked before anything is allocated, and a gzip body
 * is inflated as a stream that is stopped as soon as it exceeds what the header promises.
 */
import { readFile } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import * as nifti from 'nifti-reader-js';
import { VolumeFormatError } from '../errors';
import type { Mat4, Volume } from '../volume';
import { qformToAffine } from './quaternion';

export interface NiftiVolume extends Volume<Float32Array> {
  /** Datatype as stored in the file (before scaling), e.g. 'int16'. */
  readonly storedDatatype: string;
  readonly niftiVersion: 1 | 2;
  readonly qformCode: number;
  readonly sformCode: number;
  /** The qform affine (null when qform_code is 0) and the sform affine (null when sform_code is 0). */
  readonly qform: Mat4 | null;
  readonly sform: Mat4 | null;
  readonly description: string;
  readonly littleEndian: boolean;
}

export interface ReadNiftiOptions {
  /** Largest voxel count accepted (default 2^28, about 268 M voxels = 1 GiB as float32). */
  maxVoxels?: number;
  /** Largest size of any one dimension (default 4096). */
  maxDim?: number;
  /** Largest dim[4] accepted (default 1: 3D only; only parseNiftiChannels reads more than one). */
  maxChannels?: number;
}

const datatypes: Record<number, { name: string; bytes: number }> = {
  2: { name: 'uint8', bytes: 1 },
  4: { name: 'int16', bytes: 2 },
  8: { name: 'int32', bytes: 4 },
  16: { name: 'float32', bytes: 4 },
  64: { name: 'float64', bytes: 8 },
  256: { name: 'int8', bytes: 1 },
  512: { name: 'uint16', bytes: 2 },
  768: { name: 'uint32', bytes: 4 },
};

const isGzip = (b: Uint8Array) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/** Read a .nii or .nii.gz file. */
export async function readNifti(file: string, options: ReadNiftiOptions = {}): Promise<NiftiVolume> {
  const bytes = new Uint8Array(await readFile(file));
  return decodeNifti(bytes, file, options);
}

/** Decode NIfTI bytes (gzip-compressed or not). `file` is used in error messages only. */
export async function decodeNifti(bytes: Uint8Array, file = '<buffer>', options: ReadNiftiOptions = {}): Promise<NiftiVolume> {
  if (!isGzip(bytes)) return parseNifti(bytes, file, options);
  const raw = await gunzipBounded(bytes, file, options);
  return parseNifti(raw, file, options);
}

/** Inflate, checking the header as soon as it is out and stopping past the promised size. */
async function gunzipBounded(bytes: Uint8Array, file: string, options: ReadNiftiOptions): Promise<Uint8Array> {
  return new Promise<Uint8Array>((resolve, reject) => {
    const gunzip = createGunzip();
    const chunks: Buffer[] = [];
    let total = 0;
    let limit = Infinity;
    let failed = false;
    const fail = (e: unknown) => {
      if (failed) return;
      failed = true;
      gunzip.destroy();
      reject(e instanceof VolumeFormatError ? e : new VolumeFormatError(file, 'gzip stream', e instanceof Error ? e.message : String(e), 'a valid gzip body'));
    };
    gunzip.on('data', (chunk: Buffer) => {
      if (failed) return;
      chunks.push(chunk);
      total += chunk.length;
      try {
        if (limit === Infinity && total >= 540) {
          const head = new Uint8Array(Buffer.concat(chunks, total).subarray(0, 540));
          limit = expectedByteLength(readHeader(head, file), file, options);
        }
        if (total > limit) throw new VolumeFormatError(file, 'decompressed size', `more than ${total} bytes`, `at most ${limit} bytes (vox_offset + voxels × bytes per voxel)`);
      } catch (e) {
        fail(e);
      }
    });
    gunzip.on('error', fail);
    gunzip.on('end', () => {
      if (!failed) resolve(new Uint8Array(Buffer.concat(chunks, total)));
    });
    gunzip.end(bytes);
  });
}

type Header = nifti.NIFTI1 | nifti.NIFTI2;

function readHeader(bytes: Uint8Array, file: string): Header {
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + Math.min(bytes.byteLength, 540)) as ArrayBuffer;
  if (bytes.length < 348) throw new VolumeFormatError(file, 'file size', bytes.length, 'at least 348 bytes (a NIfTI header)');
  if (!nifti.isNIFTI1(ab, true) && !nifti.isNIFTI2(ab, true)) {
    const magic = new TextDecoder('latin1').decode(bytes.subarray(344, 348)).replace(/\0/g, '');
    throw new VolumeFormatError(file, 'magic', JSON.stringify(magic), "'n+1' or 'ni1' (NIfTI-1) or 'n+2' (NIfTI-2)");
  }
  try {
    return nifti.readHeader(ab, true);
  } catch (e) {
    throw new VolumeFormatError(file, 'header', e instanceof Error ? e.message : String(e), 'a readable NIfTI header');
  }
}

/** The number of volumes along dim[4] (1 for a 3D file). */
function channelCount(h: Header): number {
  const ndim = h.dims[0] ?? 0;
  return ndim >= 4 ? (h.dims[4] ?? 1) : 1;
}

function checkDims(h: Header, file: string, options: ReadNiftiOptions): [number, number, number] {
  const maxDim = options.maxDim ?? 4096;
  const maxVoxels = options.maxVoxels ?? 2 ** 28;
  const dims = h.dims;
  const ndim = dims[0] ?? 0;
  if (!Number.isInteger(ndim) || ndim < 1 || ndim > 7) throw new VolumeFormatError(file, 'dim[0]', ndim, 'an integer from 1 to 7');
  const size = (i: number) => (i <= ndim ? (dims[i] ?? 1) : 1);
  const out = [size(1), size(2), size(3)] as [number, number, number];
  out.forEach((n, i) => {
    if (!Number.isInteger(n) || n < 1 || n > maxDim) throw new VolumeFormatError(file, `dim[${i + 1}]`, n, `an integer from 1 to ${maxDim}`);
  });
  const maxChannels = options.maxChannels ?? 1;
  const t = size(4);
  if (ndim >= 4 && (!Number.isInteger(t) || t < 1 || t > maxChannels))
    throw new VolumeFormatError(file, 'dim[4]', t, maxChannels === 1 ? '1 (only 3D volumes are read)' : `an integer from 1 to ${maxChannels} (channels of a 4D file)`);
  for (let i = 5; i <= ndim; i++) if (size(i) !== 1) throw new VolumeFormatError(file, `dim[${i}]`, size(i), '1 (3D volumes, or 4D with channels along dim[4])');
  const n = out[0] * out[1] * out[2] * t;
  if (n > maxVoxels) throw new VolumeFormatError(file, 'voxel count', n, `at most ${maxVoxels}`);
  return out;
}

function expectedByteLength(h: Header, file: string, options: ReadNiftiOptions): number {
  const [nx, ny, nz] = checkDims(h, file, options);
  const dt = datatypes[h.datatypeCode];
  if (!dt)
    throw new VolumeFormatError(
      file,
      'datatype',
      h.datatypeCode,
      `one of ${Object.entries(datatypes)
        .map(([c, d]) => `${c} (${d.name})`)
        .join(', ')}`,
    );
  const off = h.vox_offset;
  if (!Number.isFinite(off) || off < 0 || off > 1 << 24) throw new VolumeFormatError(file, 'vox_offset', off, 'a byte offset from 0 to 16 MiB');
  return Math.max(off, 348) + nx * ny * nz * channelCount(h) * dt.bytes;
}

/** Parse uncompressed NIfTI bytes (a 3D image). */
export function parseNifti(bytes: Uint8Array, file = '<buffer>', options: ReadNiftiOptions = {}): NiftiVolume {
  return parseNiftiAll(bytes, file, { ...options, maxChannels: 1 });
}

/**
 * Parse uncompressed NIfTI bytes whose dim[4] holds channels (at most `options.maxChannels`, default 8):
 * the header as a NiftiVolume whose `data` is the first channel, and every channel (each x fastest,
 * the same grid, scaled like the first).
 */
export function parseNiftiChannels(bytes: Uint8Array, file = '<buffer>', options: ReadNiftiOptions = {}): { volume: NiftiVolume; channels: Float32Array[] } {
  const all = parseNiftiAll(bytes, file, { ...options, maxChannels: options.maxChannels ?? 8 });
  const n = all.dims[0] * all.dims[1] * all.dims[2];
  const channels = Array.from({ length: all.data.length / n }, (_, c) => all.data.subarray(c * n, (c + 1) * n));
  return { volume: { ...all, data: channels[0]! }, channels };
}

function parseNiftiAll(bytes: Uint8Array, file: string, options: ReadNiftiOptions): NiftiVolume {
  const h = readHeader(bytes, file);
  const version: 1 | 2 = nifti.isNIFTI2(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + Math.min(bytes.byteLength, 540)) as ArrayBuffer, true) ? 2 : 1;
  const dims = checkDims(h, file, options);
  const dt = datatypes[h.datatypeCode]!;
  expectedByteLength(h, file, options);
  const single = version === 1 ? bytes[345] === 0x2b : bytes[5] === 0x2b; // '+' in 'n+1' / 'n+2'
  if (!single) throw new VolumeFormatError(file, 'magic', "'ni1'/'ni2' (separate .hdr/.img)", "'n+1' or 'n+2' (single-file NIfTI)");
  const n = dims[0] * dims[1] * dims[2] * channelCount(h);
  const offset = h.vox_offset;
  if (offset + n * dt.bytes > bytes.length) throw new VolumeFormatError(file, 'image data length', bytes.length - offset, `${n * dt.bytes} bytes (${dims.join('×')} voxels of ${dt.name})`);

  const le = h.littleEndian;
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, n * dt.bytes);
  const out = new Float32Array(n);
  const get: (i: number) => number =
    dt.name === 'uint8'
      ? (i) => view.getUint8(i)
      : dt.name === 'int8'
        ? (i) => view.getInt8(i)
        : dt.name === 'int16'
          ? (i) => view.getInt16(i * 2, le)
          : dt.name === 'uint16'
            ? (i) => view.getUint16(i * 2, le)
            : dt.name === 'int32'
              ? (i) => view.getInt32(i * 4, le)
              : dt.name === 'uint32'
                ? (i) => view.getUint32(i * 4, le)
                : dt.name === 'float32'
                  ? (i) => view.getFloat32(i * 4, le)
                  : (i) => view.getFloat64(i * 8, le);
  if (dt.name === 'uint8') out.set(bytes.subarray(offset, offset + n));
  else if (le && dt.name === 'int16' && (bytes.byteOffset + offset) % 2 === 0) out.set(new Int16Array(bytes.buffer, bytes.byteOffset + offset, n));
  else if (le && dt.name === 'float32' && (bytes.byteOffset + offset) % 4 === 0) out.set(new Float32Array(bytes.buffer, bytes.byteOffset + offset, n));
  else for (let i = 0; i < n; i++) out[i] = get(i);

  const slope = h.scl_slope;
  const inter = h.scl_inter;
  if (Number.isFinite(slope) && slope !== 0 && (slope !== 1 || (Number.isFinite(inter) && inter !== 0))) {
    const b = Number.isFinite(inter) ? inter : 0;
    for (let i = 0; i < n; i++) out[i] = out[i]! * slope + b;
  }

  const { pix, sform, qform, affine } = headerGeometry(h, bytes, version, file);
  return {
    dims,
    spacing: pix,
    affine,
    data: out,
    storedDatatype: dt.name,
    niftiVersion: version,
    qformCode: h.qform_code,
    sformCode: h.sform_code,
    qform,
    sform,
    description: h.description ?? '',
    littleEndian: le,
  };
}

/** Voxel sizes (mm), qform and sform affines, and the affine by the NIfTI precedence rules. */
function headerGeometry(h: Header, bytes: Uint8Array, version: 1 | 2, file: string): { pix: [number, number, number]; sform: number[] | null; qform: number[] | null; affine: number[] } {
  const le = h.littleEndian;
  // Spatial units: convert metres and microns to mm (NIfTI xyzt_units & 7: 1 m, 2 mm, 3 µm).
  const unit = h.xyzt_units & 7;
  const unitScale = unit === 1 ? 1000 : unit === 3 ? 0.001 : 1;
  const pix = [1, 2, 3].map((i) => {
    const v = Math.abs(h.pixDims[i] ?? 1);
    return Number.isFinite(v) && v > 0 ? v * unitScale : 1;
  }) as [number, number, number];

  const sform = h.sform_code > 0 ? readSrows(bytes, version, le).map((v, i) => (i < 12 ? v * unitScale : v)) : null;
  const qform =
    h.qform_code > 0
      ? qformToAffine({
          b: h.quatern_b,
          c: h.quatern_c,
          d: h.quatern_d,
          offset: [h.qoffset_x * unitScale, h.qoffset_y * unitScale, h.qoffset_z * unitScale],
          spacing: pix,
          qfac: (h.pixDims[0] ?? 1) < 0 ? -1 : 1,
        })
      : null;
  const affine = sform ?? qform ?? [pix[0], 0, 0, 0, 0, pix[1], 0, 0, 0, 0, pix[2], 0, 0, 0, 0, 1];
  if (affine.some((v) => !Number.isFinite(v))) throw new VolumeFormatError(file, sform ? 'srow_*' : 'quatern_*', 'non-finite', 'finite numbers');
  return { pix, sform, qform, affine: [...affine] };
}

/** What a NIfTI header says, read from its first 540 bytes alone (any dims, any datatype code): for describing files too large or too odd to load. */
export interface NiftiHeaderDescription {
  readonly niftiVersion: 1 | 2;
  /** dim[1..dim[0]]. */
  readonly dims: number[];
  readonly datatypeCode: number;
  /** Our name for the datatype, or null when the reader does not load it (complex, RGB, …). */
  readonly datatype: string | null;
  readonly bitsPerVoxel: number;
  readonly spacing: [number, number, number];
  readonly affine: number[];
  readonly qformCode: number;
  readonly sformCode: number;
  readonly sclSlope: number;
  readonly sclInter: number;
  readonly voxOffset: number;
  readonly littleEndian: boolean;
  readonly description: string;
  readonly intentCode: number;
}

export function describeNiftiHeader(head: Uint8Array, file = '<buffer>'): NiftiHeaderDescription {
  const h = readHeader(head, file);
  const version: 1 | 2 = nifti.isNIFTI2(head.buffer.slice(head.byteOffset, head.byteOffset + Math.min(head.byteLength, 540)) as ArrayBuffer, true) ? 2 : 1;
  const ndim = h.dims[0] ?? 0;
  const { pix, affine, qform, sform } = headerGeometry(h, head, version, file);
  return {
    niftiVersion: version,
    dims: Array.from({ length: Math.max(0, Math.min(7, ndim)) }, (_, i) => h.dims[i + 1] ?? 1),
    datatypeCode: h.datatypeCode,
    datatype: datatypes[h.datatypeCode]?.name ?? null,
    bitsPerVoxel: h.numBitsPerVoxel,
    spacing: pix,
    affine,
    qformCode: qform ? h.qform_code : 0,
    sformCode: sform ? h.sform_code : 0,
    sclSlope: h.scl_slope,
    sclInter: h.scl_inter,
    voxOffset: h.vox_offset,
    littleEndian: h.littleEndian,
    description: h.description ?? '',
    intentCode: h.intent_code,
  };
}

/** srow_x, srow_y, srow_z as a 4×4 (float32 at byte 280 in NIfTI-1, float64 at byte 400 in NIfTI-2). */
function readSrows(bytes: Uint8Array, version: 1 | 2, le: boolean): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 540));
  const m: number[] = [];
  for (let k = 0; k < 12; k++) m.push(version === 1 ? view.getFloat32(280 + 4 * k, le) : view.getFloat64(400 + 8 * k, le));
  m.push(0, 0, 0, 1);
  return m;
}
