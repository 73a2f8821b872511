/**
 * Builders for the ingest tests, unit, integration, e2e and bench (test support, not shipped): small NIfTI files with patched headers,
 * zips, gzip bombs, and Colin27 studies with known misalignments.
 */
import { deflateRawSync, gzipSync } from 'node:zlib';
import { readNifti } from '../../imaging/nifti/read-nifti';
import { encodeNifti } from '../../imaging/nifti/write-nifti';
import { resample } from '../../imaging/resample';
import type { Mat4, Volume } from '../../imaging/volume';
import { gridCentre, multiply4, rigidTransform } from '../../imaging/volume';

export const colin27Path = '/usr/share/mricron/templates/ch2bet.nii.gz';

/** A small valid int16 NIfTI-1 (8×8×8, 2 mm, RAS), as uncompressed bytes. */
export function smallNifti(options: { dims?: [number, number, number]; data?: Float32Array; datatype?: 'int16' | 'float32' | 'uint8'; affine?: Mat4; description?: string } = {}): Uint8Array {
  const dims = options.dims ?? [8, 8, 8];
  const n = dims[0] * dims[1] * dims[2];
  const data = options.data ?? Float32Array.from({ length: n }, (_, i) => (i * 7) % 113);
  const affine = options.affine ?? [2, 0, 0, -8, 0, 2, 0, -8, 0, 0, 2, -8, 0, 0, 0, 1];
  return encodeNifti({ dims, spacing: [2, 2, 2], affine, data }, { datatype: options.datatype ?? 'int16', description: options.description });
}

/** Copy bytes and patch them through a little-endian DataView. */
export function patch(bytes: Uint8Array, edit: (view: DataView, bytes: Uint8Array) => void): Uint8Array {
  const copy = Uint8Array.from(bytes);
  edit(new DataView(copy.buffer), copy);
  return copy;
}

/**
 * A .nii.gz whose header promises a small volume but whose body inflates to `inflatedBytes` (multi-
 * member gzip: one compressed block of zeros repeated, so making it costs little).
 */
export function gzipBomb(inflatedBytes: number): Uint8Array {
  const header = gzipSync(smallNifti().subarray(0, 352));
  const block = gzipSync(new Uint8Array(64 * 2 ** 20), { level: 9 });
  const count = Math.ceil(inflatedBytes / (64 * 2 ** 20));
  const out = new Uint8Array(header.length + block.length * count);
  out.set(header, 0);
  for (let i = 0; i < count; i++) out.set(block, header.length + i * block.length);
  return out;
}

/** A zip (deflate or stored) of the given entries; `declare` overrides an entry's declared uncompressed size. */
export function makeZip(entries: { name: string; bytes: Uint8Array; declare?: number; store?: boolean }[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const body = e.store ? e.bytes : new Uint8Array(deflateRawSync(e.bytes));
    const name = new TextEncoder().encode(e.name);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(8, e.store ? 0 : 8, true);
    lv.setUint32(18, body.length, true);
    lv.setUint32(22, e.declare ?? e.bytes.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const c = new Uint8Array(46 + name.length);
    const cv = new DataView(c.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(10, e.store ? 0 : 8, true);
    cv.setUint32(20, body.length, true);
    cv.setUint32(24, e.declare ?? e.bytes.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    c.set(name, 46);
    parts.push(local, body);
    central.push(c);
    offset += local.length + body.length;
  }
  const dirSize = central.reduce((s, c) => s + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, dirSize, true);
  ev.setUint32(16, offset, true);
  const all = [...parts, ...central, end];
  const out = new Uint8Array(all.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of all) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export interface MisalignedStudy {
  readonly volumes: Record<'flair' | 't1' | 't1gd' | 't2', Volume<Float32Array>>;
  /** Per moving sequence, the true T1gd-world → sequence-world transform (RAS mm). */
  readonly truth: Record<'flair' | 't1' | 't2', number[]>;
}

/**
 * Four "sequences" from Colin27 at `spacingMm` on a 1 mm-style grid: the T1gd is the anatomy as is;
 * each other sequence sees the head moved by a known rigid transform and has a different contrast
 * (a monotone or inverted intensity map), so the registration has to use mutual information.
 * `aligned`: no motion, every sequence on the T1gd's grid (a BraTS-style co-registered study).
 */
export async function misalignedStudy(spacingMm: number, dims?: [number, number, number], options: { aligned?: boolean } = {}): Promise<MisalignedStudy> {
  const src = await readNifti(colin27Path);
  const s = spacingMm;
  const d: [number, number, number] = dims ?? [Math.round(181 / s), Math.round(217 / s), Math.round(181 / s)];
  // Centre the new grid on Colin27's centre.
  const c = gridCentre(src);
  const affine = [s, 0, 0, c[0] - (s * (d[0] - 1)) / 2, 0, s, 0, c[1] - (s * (d[1] - 1)) / 2, 0, 0, s, c[2] - (s * (d[2] - 1)) / 2, 0, 0, 0, 1];
  const grid = { dims: d, affine };
  const deg = Math.PI / 180;
  const none = rigidTransform([0, 0, 0], [0, 0, 0]);
  const motions = options.aligned
    ? { flair: none, t1: none, t2: none }
    : {
        flair: rigidTransform([4 * deg, -3 * deg, 6 * deg], [3, -5, 4], c),
        t1: rigidTransform([-10 * deg, 2 * deg, -5 * deg], [-6, 4, 7], c),
        t2: rigidTransform([3 * deg, 9 * deg, -2 * deg], [8, 2, -6], c),
      };
  const contrast = {
    flair: (v: number) => (v > 0 ? 40 + 0.5 * v + 20 * Math.sin(v / 15) : 0),
    t1: (v: number) => (v > 0 ? 10 + v : 0),
    t2: (v: number) => (v > 0 ? 250 - v : 0),
  };
  const t1gd = resample(src, grid);
  const volumes = { t1gd } as MisalignedStudy['volumes'];
  const truth = {} as MisalignedStudy['truth'];
  for (const role of ['flair', 't1', 't2'] as const) {
    // Sequence voxel p shows the anatomy at motion·p (world): the sequence world → T1gd world is `motion`,
    // so T1gd world → sequence world is its inverse.
    const v = resample(src, grid, { targetToSourceWorld: motions[role] });
    const f = contrast[role];
    for (let i = 0; i < v.data.length; i++) v.data[i] = f(v.data[i]!);
    volumes[role] = v;
    truth[role] = invertRigid(motions[role]);
  }
  return { volumes, truth };
}

function invertRigid(m: Mat4): number[] {
  const r = [m[0]!, m[4]!, m[8]!, m[1]!, m[5]!, m[9]!, m[2]!, m[6]!, m[10]!]; // transpose
  const t = [m[3]!, m[7]!, m[11]!];
  const ti = [0, 1, 2].map((i) => -(r[i * 3]! * t[0]! + r[i * 3 + 1]! * t[1]! + r[i * 3 + 2]! * t[2]!));
  return [r[0]!, r[1]!, r[2]!, ti[0]!, r[3]!, r[4]!, r[5]!, ti[1]!, r[6]!, r[7]!, r[8]!, ti[2]!, 0, 0, 0, 1];
}

/** Largest displacement (mm) between two world transforms over the corners of a box around `centre` (±halfMm). */
export function maxDisplacementMm(a: Mat4, b: Mat4, centre: readonly number[], halfMm: number): number {
  let worst = 0;
  for (const dx of [-1, 1])
    for (const dy of [-1, 1])
      for (const dz of [-1, 1]) {
        const p = [centre[0]! + dx * halfMm, centre[1]! + dy * halfMm, centre[2]! + dz * halfMm];
        let d2 = 0;
        for (let r = 0; r < 3; r++) {
          const pa = a[r * 4]! * p[0]! + a[r * 4 + 1]! * p[1]! + a[r * 4 + 2]! * p[2]! + a[r * 4 + 3]!;
          const pb = b[r * 4]! * p[0]! + b[r * 4 + 1]! * p[1]! + b[r * 4 + 2]! * p[2]! + b[r * 4 + 3]!;
          d2 += (pa - pb) ** 2;
        }
        worst = Math.max(worst, Math.sqrt(d2));
      }
  return worst;
}

/** Rotation angle (degrees) of a · b⁻¹ for two rigid transforms. */
export function rotationDifferenceDeg(a: Mat4, b: Mat4): number {
  const rel = multiply4(a, invertRigid(b));
  const cos = Math.min(1, Math.max(-1, (rel[0]! + rel[5]! + rel[10]! - 1) / 2));
  return (Math.acos(cos) * 180) / Math.PI;
}

/**
 * A 4D NIfTI-1 (uncompressed bytes) holding `channels` 3D volumes along dim[4]: written as one 3D
 * volume of z·t slices (the same byte order), then the header's dims patched.
 */
export function fourDNifti(
  channels: readonly Float32Array[],
  dims: [number, number, number],
  affine: Mat4 = [2, 0, 0, -8, 0, 2, 0, -8, 0, 0, 2, -8, 0, 0, 0, 1],
  datatype: 'int16' | 'float32' = 'int16',
): Uint8Array {
  const n = dims[0] * dims[1] * dims[2];
  const data = new Float32Array(n * channels.length);
  channels.forEach((c, i) => data.set(c, i * n));
  const bytes = encodeNifti({ dims: [dims[0], dims[1], dims[2] * channels.length], spacing: [1, 1, 1], affine, data }, { datatype });
  return patch(bytes, (v) => {
    v.setInt16(40, 4, true);
    v.setInt16(46, dims[2], true);
    v.setInt16(48, channels.length, true);
    v.setFloat32(92, 1, true); // pixdim[4]
  });
}
