/**
 * The imaging-ingest entry point: four uploaded sequences (bytes) → validated, de-identified,
 * co-registered onto the T1gd grid, normalized, and stored by content hash. Pure apart from the
 * storage it is given (no database, no environment).
 *
 * Order: decode each sequence (format claims, bounded inflate/unzip, header checks, DICOM conversion)
 * → validate each volume (spacing, field of view, NaN/Inf, constant) → validate the study's geometry
 * (same patient space as the T1gd) → register FLAIR, T1 and T2 to the T1gd (elastix rigid/affine, MI)
 * and resample each onto the T1gd grid (linear) → z-score each channel inside the brain mask →
 * store everything. Nothing is written before every check has passed; the final writes are one
 * `putAll`, which removes what it created if any write fails. So a rejected study leaves nothing.
 *
 * Stored objects (all deterministic gzip NIfTI-1, so equal input gives equal hashes):
 * - per sequence `original`: the de-identified upload (NIfTI: the file itself with its text fields
 *   cleared and extensions dropped; DICOM: the converted series);
 * - per sequence `registered`: float32 on the T1gd grid (the T1gd itself is stored as read);
 * - per sequence `normalized`: the z-scored channel on the T1gd grid (the model's input);
 * - `mask`: the brain mask (uint8) on the T1gd grid.
 */
import { gzipSync } from 'node:zlib';
import { encodeNifti } from '../nifti/write-nifti';
import { orientationCode } from '../orientation';
import { registerVolumes, type RegisterOptions, type RegistrationResult } from '../registration/register';
import { resample } from '../resample';
import { sha256Hex, type ContentStore } from '../storage/content-store';
import type { Dims, Mat4, Vec3, Volume } from '../volume';
import type { DeidAction } from '../deid/nifti';
import { decodeSequence, type DecodedSequence, type IngestFile, type SequenceFormat } from './decode';
import { IngestError } from './errors';
import { resolveLimits, type IngestLimits } from './limits';
import { normalizeChannels, type ChannelStats } from './normalize';
import { validateStudyGeometry, validateVolume } from './validate';

export const sequenceRoles = ['flair', 't1', 't1gd', 't2'] as const;
export type SequenceRole = (typeof sequenceRoles)[number];
export type MovingRole = Exclude<SequenceRole, 't1gd'>;

/** A NIfTI or zip file, or the files of one DICOM series (a folder). */
export type SequenceInput = IngestFile | readonly IngestFile[];

export interface IngestStudyInput {
  readonly files: Readonly<Record<SequenceRole, SequenceInput>>;
  readonly storage: ContentStore;
  readonly limits?: Partial<IngestLimits>;
  /** elastix settings and plausibility bounds (default: rigid, 3 levels). */
  readonly registration?: RegisterOptions;
  /** What a registration that fails its quality checks does: refuse the study (default) or add a warning. */
  readonly onRegistrationProblem?: 'reject' | 'warn';
  /** gzip level of stored objects (default 6). */
  readonly gzipLevel?: number;
}

export interface StoredRef {
  readonly sha256: string;
  readonly bytes: number;
}

export interface IngestedSequence {
  readonly file: string;
  readonly format: SequenceFormat;
  readonly storedDatatype: string;
  /** Grid of the upload as read: dims, spacing (mm), RAS+ voxel-to-world affine, orientation code. */
  readonly dims: Dims;
  readonly spacing: Vec3;
  readonly affine: Mat4;
  readonly orientation: string;
  readonly original: StoredRef;
  readonly registered: StoredRef;
  readonly normalized: StoredRef;
}

export interface RegistrationRecord extends Omit<RegistrationResult, 'problems'> {
  readonly problems: string[];
  readonly ok: boolean;
}

export interface IngestResult {
  /** The T1gd grid every registered and normalized volume is on. */
  readonly grid: { readonly dims: Dims; readonly spacing: Vec3; readonly affine: Mat4; readonly orientation: string };
  readonly volumes: Record<SequenceRole, IngestedSequence>;
  /** Per moving sequence: T1gd world → that sequence's world (RAS+ mm 4×4), NMI before/after, checks. */
  readonly registration: Record<MovingRole, RegistrationRecord>;
  readonly normalization: { readonly mask: StoredRef; readonly maskVoxels: number; readonly maskDefinition: string; readonly stats: Record<SequenceRole, ChannelStats> };
  readonly deidentification: Record<SequenceRole, { readonly file: string; readonly actions: DeidAction[] }>;
  /** SHA-256 of each upload's bytes (a DICOM folder: of its files' hashes in name order), and of every stored object. */
  readonly hashes: { readonly inputs: Record<SequenceRole, string>; readonly stored: string[] };
  readonly warnings: string[];
  /** Milliseconds per stage. */
  readonly timings: Record<'decode' | 'validate' | 'register' | 'resample' | 'normalize' | 'encode' | 'store', number>;
}

export const maskDefinition = 'voxels non-zero in all four channels after registration onto the T1gd grid (nnU-Net nonzero mask)';

function inputName(input: SequenceInput): string {
  return Array.isArray(input) ? (input as readonly IngestFile[])[0]?.name ?? '(empty folder)' : (input as IngestFile).name;
}

function inputHash(input: SequenceInput): string {
  if (!Array.isArray(input)) return sha256Hex((input as IngestFile).bytes);
  const files = [...(input as readonly IngestFile[])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sha256Hex(new TextEncoder().encode(files.map((f) => `${sha256Hex(f.bytes)}  ${f.name}\n`).join('')));
}

/** Check roles: exactly flair, t1, t1gd, t2, each a different upload. */
function checkRoles(files: Readonly<Record<string, SequenceInput | undefined>>): Record<SequenceRole, string> {
  for (const key of Object.keys(files))
    if (!(sequenceRoles as readonly string[]).includes(key)) throw new IngestError('unknown-sequence', inputName(files[key]!), 'sequence role', JSON.stringify(key), sequenceRoles.join(', '));
  const hashes = {} as Record<SequenceRole, string>;
  const seen = new Map<string, SequenceRole>();
  for (const role of sequenceRoles) {
    const input = files[role];
    if (!input || (Array.isArray(input) && input.length === 0)) throw new IngestError('missing-sequence', `(${role})`, 'sequence', 'missing', `a file for each of ${sequenceRoles.join(', ')}`);
    const h = inputHash(input);
    const other = seen.get(h);
    if (other) throw new IngestError('unknown-sequence', inputName(input), `${role} content`, `identical to the ${other} upload`, 'a different image for each sequence');
    seen.set(h, role);
    hashes[role] = h;
  }
  return hashes;
}

export async function ingestStudy(input: IngestStudyInput): Promise<IngestResult> {
  const limits = resolveLimits(input.limits);
  const timings = { decode: 0, validate: 0, register: 0, resample: 0, normalize: 0, encode: 0, store: 0 };
  const lap = (stage: keyof typeof timings, since: number) => (timings[stage] += performance.now() - since);
  const inputHashes = checkRoles(input.files);

  let t = performance.now();
  const decoded = {} as Record<SequenceRole, DecodedSequence>;
  for (const role of sequenceRoles) decoded[role] = await decodeSequence(input.files[role], limits); // one at a time: bounded memory
  lap('decode', t);

  t = performance.now();
  for (const role of sequenceRoles) validateVolume(decoded[role].volume, decoded[role].file, limits);
  const movingRoles = ['flair', 't1', 't2'] as const;
  const warnings = validateStudyGeometry(decoded.t1gd, movingRoles.map((r) => decoded[r]), limits);
  lap('validate', t);

  const fixed = decoded.t1gd.volume;
  const registration = {} as Record<MovingRole, RegistrationRecord>;
  const onGrid = { t1gd: fixed } as Record<SequenceRole, Volume<Float32Array>>;
  for (const role of movingRoles) {
    t = performance.now();
    let result: RegistrationResult;
    try {
      result = await registerVolumes(fixed, decoded[role].volume, input.registration);
    } catch (e) {
      throw new IngestError('registration', decoded[role].file, 'registration to the T1gd', e instanceof Error ? e.message.split('\n')[0]! : String(e), 'elastix to converge');
    }
    lap('register', t);
    if (result.problems.length > 0) {
      if ((input.onRegistrationProblem ?? 'reject') === 'reject')
        throw new IngestError('registration', decoded[role].file, 'registration to the T1gd', result.problems.join('; '), 'an improved NMI and a plausible rigid transform');
      warnings.push(...result.problems.map((p) => `${decoded[role].file}: registration: ${p}`));
    }
    registration[role] = { ...result, ok: result.problems.length === 0 };
    t = performance.now();
    onGrid[role] = resample(decoded[role].volume, fixed, { interpolation: 'linear', targetToSourceWorld: result.fixedToMovingWorld });
    lap('resample', t);
  }

  t = performance.now();
  const normalized = normalizeChannels(onGrid);
  lap('normalize', t);

  t = performance.now();
  const gz = (raw: Uint8Array) => new Uint8Array(gzipSync(raw, { level: input.gzipLevel ?? 6 }));
  const objects: Uint8Array[] = [];
  const slot = (bytes: Uint8Array) => objects.push(bytes) - 1;
  const slots = {} as Record<SequenceRole, { original: number; registered: number; normalized: number }>;
  for (const role of sequenceRoles) {
    const original = slot(gz(decoded[role].deidentified));
    slots[role] = {
      original,
      registered: role === 't1gd' ? original : slot(gz(encodeNifti(onGrid[role]))),
      normalized: slot(gz(encodeNifti(normalized.volumes[role]))),
    };
  }
  const maskSlot = slot(gz(encodeNifti({ ...fixed, data: normalized.mask })));
  lap('encode', t);

  t = performance.now();
  const stored = await input.storage.putAll(objects);
  lap('store', t);
  const ref = (i: number): StoredRef => ({ sha256: stored[i]!.sha256, bytes: stored[i]!.bytes });

  const volumes = {} as Record<SequenceRole, IngestedSequence>;
  const deidentification = {} as IngestResult['deidentification'];
  for (const role of sequenceRoles) {
    const d = decoded[role];
    const s = slots[role];
    volumes[role] = {
      file: d.file, format: d.format, storedDatatype: d.storedDatatype,
      dims: d.volume.dims, spacing: d.volume.spacing, affine: d.volume.affine, orientation: orientationCode(d.volume.affine),
      original: ref(s.original), registered: ref(s.registered), normalized: ref(s.normalized),
    };
    deidentification[role] = { file: d.file, actions: d.deidentification };
  }
  return {
    grid: { dims: fixed.dims, spacing: fixed.spacing, affine: fixed.affine, orientation: orientationCode(fixed.affine) },
    volumes,
    registration,
    normalization: { mask: ref(maskSlot), maskVoxels: normalized.maskVoxels, maskDefinition, stats: normalized.stats },
    deidentification,
    hashes: { inputs: inputHashes, stored: [...new Set(stored.map((o) => o.sha256))] },
    warnings,
    timings,
  };
}
