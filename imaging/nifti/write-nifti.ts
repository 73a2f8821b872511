/**
 * NIfTI-1 writing (single file, little-endian, .nii or .nii.gz by the file name) of a Volume (layout
 * and affine convention: see ../volume.ts). Both transforms are written and both codes set: the sform
 * is the affine exactly (as float32), the qform is the nearest rigid-plus-spacing representation
 * (quaternion, qoffset, pixdim[0] = qfac). Output is deterministic: no timestamps, fixed gzip level,
 * so the same volume gives the same bytes.
 */
import { writeFile, rename } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import type { Volume, VolumeDatatype } from '../volume';
import { affineToQform } from './quaternion';

export interface WriteNiftiOptions {
  /** Stored type (default: float32 for Float32Array data, int16 for Int16Array, uint8 for Uint8Array). Values are rounded and clamped for integer types. */
  datatype?: VolumeDatatype;
  /** NIFTI_XFORM_* code for both transforms (default 1, scanner-anatomical). */
  xformCode?: number;
  /** Up to 79 characters. */
  description?: string;
  /** gzip level for .nii.gz (default 6). */
  gzipLevel?: number;
}

const codes: Record<VolumeDatatype, { code: number; bits: number; lo: number; hi: number }> = {
  uint8: { code: 2, bits: 8, lo: 0, hi: 255 },
  int16: { code: 4, bits: 16, lo: -32768, hi: 32767 },
  float32: { code: 16, bits: 32, lo: -Infinity, hi: Infinity },
};

function defaultDatatype(v: Volume): VolumeDatatype {
  return v.data instanceof Uint8Array ? 'uint8' : v.data instanceof Int16Array ? 'int16' : 'float32';
}

/** The uncompressed file: 348-byte header, 4 zero extension bytes, then the voxels (vox_offset 352). */
export function encodeNifti(volume: Volume, options: WriteNiftiOptions = {}): Uint8Array {
  const datatype = options.datatype ?? defaultDatatype(volume);
  const { code, bits, lo, hi } = codes[datatype];
  const [nx, ny, nz] = volume.dims;
  const n = nx * ny * nz;
  if (volume.data.length !== n) throw new RangeError(`data has ${volume.data.length} voxels, dims ${volume.dims.join('×')} need ${n}`);
  const bytesPer = bits / 8;
  const buf = new ArrayBuffer(352 + n * bytesPer);
  const v = new DataView(buf);
  const le = true;
  v.setInt32(0, 348, le);
  const dim = [3, nx, ny, nz, 1, 1, 1, 1];
  dim.forEach((d, i) => v.setInt16(40 + 2 * i, d, le));
  v.setInt16(70, code, le);
  v.setInt16(72, bits, le);
  const q = affineToQform(volume.affine);
  const pixdim = [q.qfac, q.spacing[0], q.spacing[1], q.spacing[2], 1, 1, 1, 1];
  pixdim.forEach((p, i) => v.setFloat32(76 + 4 * i, p, le));
  v.setFloat32(108, 352, le); // vox_offset
  v.setFloat32(112, 1, le); // scl_slope
  v.setFloat32(116, 0, le); // scl_inter
  v.setUint8(123, 2 | 8); // xyzt_units: mm, s
  const desc = (options.description ?? '').slice(0, 79);
  for (let i = 0; i < desc.length; i++) v.setUint8(148 + i, desc.charCodeAt(i) & 0x7f);
  const xform = options.xformCode ?? 1;
  v.setInt16(252, xform, le); // qform_code
  v.setInt16(254, xform, le); // sform_code
  v.setFloat32(256, q.b, le);
  v.setFloat32(260, q.c, le);
  v.setFloat32(264, q.d, le);
  v.setFloat32(268, q.offset[0], le);
  v.setFloat32(272, q.offset[1], le);
  v.setFloat32(276, q.offset[2], le);
  for (let k = 0; k < 12; k++) v.setFloat32(280 + 4 * k, volume.affine[k]!, le);
  [0x6e, 0x2b, 0x31, 0x00].forEach((c, i) => v.setUint8(344 + i, c)); // "n+1\0"
  const src = volume.data;
  if (datatype === 'float32') {
    new Float32Array(buf, 352, n).set(src);
  } else {
    const dst = datatype === 'int16' ? new Int16Array(buf, 352, n) : new Uint8Array(buf, 352, n);
    for (let i = 0; i < n; i++) {
      const x = Math.round(src[i]!);
      dst[i] = x < lo ? lo : x > hi ? hi : Number.isNaN(x) ? 0 : x;
    }
  }
  return new Uint8Array(buf);
}

/** Encode, gzip when the name ends in .gz. */
export function encodeNiftiFile(file: string, volume: Volume, options: WriteNiftiOptions = {}): Uint8Array {
  const raw = encodeNifti(volume, options);
  return file.endsWith('.gz') ? new Uint8Array(gzipSync(raw, { level: options.gzipLevel ?? 6 })) : raw;
}

/** Write .nii or .nii.gz; the file appears whole or not at all (written beside, then renamed). */
export async function writeNifti(file: string, volume: Volume, options: WriteNiftiOptions = {}): Promise<void> {
  const bytes = encodeNiftiFile(file, volume, options);
  const tmp = `${file}.partial`;
  await writeFile(tmp, bytes);
  await rename(tmp, file);
}
