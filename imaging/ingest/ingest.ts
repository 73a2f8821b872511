/**
 * The imaging-ingest entry point: four uploaded sequences (bytes) → validated, de-identified,
 * co-registered onto the T1gd grid, brain-extracted, normalized, and stored by content hash. Pure
 * apart from the storage it is given (no database, no environment). Which file is which sequence is
 * decided before this (explicit roles, or ./layout.ts); a sequence may be a channel of a 4D file.
 *
 * Order: decode each sequence (format claims, bounded inflate/unzip, header checks, DICOM conversion;
 * a 4D file once for its four channels) → validate each volume (spacing, field of view, NaN/Inf,
 * constant) → validate the study's geometry (same patient space as the T1gd) → register FLAIR, T1 and
 * T2 to the T1gd (identity or elastix rigid, whichever aligns better: ../registration/register.ts)
 * and resample each onto the T1gd grid (linear) → brain extraction on the four channels
 * (../brain/extract-brain.ts) → z-score each channel inside the brain mask → store everything. Nothing is written before every check has passed; the final writes are one
 * `putAll`, which removes what it created if any write fails. So a rejected study leaves nothing.
 *
 * Stored objects (all deterministic gzip NIfTI-1, so equal input gives equal hashes):
 * - per sequence `original`: the de-identified upload (NIfTI: the file itself with its text fields
 *   cleared and extensions dropped; DICOM: the converted series);
 * - per sequence `registered`: float32 on the T1gd grid (the T1gd itself is stored as read);
 * - per sequence `normalized`: the z-scored channel on the T1gd grid (the model's input);
 * - `mask`: the brain mask (uint8) on the T1gd grid — brain extraction's mask within the voxels every
 *   channel covers; the model's crop and z-score use it (models/runtime/preprocess.ts).
 */
import { gzipSync } from 'node:zlib';
import { extractBrain, type BrainExtraction } from '../brain/extract-brain';
import { encodeNifti } from '../nifti/write-nifti';
import { orientationCode } from '../orientation';
import { registerVolumes, type RegisterOptions, type RegistrationResult } from '../registration/register';
import { resample } from '../resample';
import { sha256Hex, type ContentStore } from '../storage/content-store';
import type { Dims, Mat4, Vec3, Volume } from '../volume';
import type { DeidAction } from '../deid/nifti';
import { decodeNiftiChannels, decodeSequence, type DecodedSequence, type IngestFile, type SequenceFormat } from './decode';
import { IngestError } from './errors';
import type { ChannelOf4d, SequenceSource } from './layout';
import { resolveLimits, type IngestLimits } from './limits';
import { normalizeChannels, type ChannelStats } from './normalize';
import { validateSliceGaps, validateStudyGeometry, validateVolume } from './validate';

export const sequenceRoles = ['flair', 't1', 't1gd', 't2'] as const;
export type SequenceRole = (typeof sequenceRoles)[number];
export type MovingRole = Exclude<SequenceRole, 't1gd'>;

/** A NIfTI or zip file, or the files of one DICOM series (a folder). */
export type SequenceInput = IngestFile | readonly IngestFile[];

export interface IngestStudyInput {
  /** Per role: a file, a DICOM series' files, or a channel of a 4D file (see ./layout.ts). */
  readonly files: Readonly<Record<SequenceRole, SequenceSource>>;
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
  /** Brain extraction: method, version, settings, its mask's size, and the stored mask (the same object as normalization.mask). */
  readonly brainExtraction: Omit<BrainExtraction, 'mask' | 'elapsedMs'> & { readonly mask: StoredRef };
  readonly deidentification: Record<SequenceRole, { readonly file: string; readonly actions: DeidAction[] }>;
  /** SHA-256 of each upload's bytes (a DICOM folder: of its files' hashes in name order), and of every stored object. */
  readonly hashes: { readonly inputs: Record<SequenceRole, string>; readonly stored: string[] };
  readonly warnings: string[];
  /** Milliseconds per stage. */
  readonly timings: Record<'decode' | 'validate' | 'register' | 'identityCheck' | 'resample' | 'brainExtraction' | 'normalize' | 'encode' | 'store', number>;
}

export const maskDefinition = 'brain extraction mask within the voxels non-zero in all four channels after registration onto the T1gd grid';

const isChannel = (input: SequenceSource): input is ChannelOf4d => !Array.isArray(input) && 'channel' in (input as object);

function inputName(input: SequenceSource): string {
  if (isChannel(input)) return `${input.file.name}[channel ${input.channel}]`;
  return Array.isArray(input) ? ((input as readonly IngestFile[])[0]?.name ?? '(empty folder)') : (input as IngestFile).name;
}

function inputHash(input: SequenceSource): string {
  if (isChannel(input)) return sha256Hex(new TextEncoder().encode(`${sha256Hex(input.file.bytes)}  channel ${input.channel}\n`));
  if (!Array.isArray(input)) return sha256Hex((input as IngestFile).bytes);
  const files = [...(input as readonly IngestFile[])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sha256Hex(new TextEncoder().encode(files.map((f) => `${sha256Hex(f.bytes)}  ${f.name}\n`).join('')));
}

/** Check roles: exactly flair, t1, t1gd, t2, each a different upload. */
function checkRoles(files: Readonly<Record<string, SequenceSource | undefined>>): Record<SequenceRole, string> {
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
  const timings = { decode: 0, validate: 0, register: 0, identityCheck: 0, resample: 0, brainExtraction: 0, normalize: 0, encode: 0, store: 0 };
  const lap = (stage: keyof typeof timings, since: number) => (timings[stage] += performance.now() - since);
  const inputHashes = checkRoles(input.files);

  let t = performance.now();
  const decoded = {} as Record<SequenceRole, DecodedSequence>;
  const fourD = new Map<IngestFile, DecodedSequence[]>(); // a 4D file is decoded once for its channels
  for (const role of sequenceRoles) {
    const source = input.files[role];
    if (isChannel(source)) {
      let channels = fourD.get(source.file);
      if (!channels) fourD.set(source.file, (channels = await decodeNiftiChannels(source.file, limits)));
      decoded[role] = channels[source.channel]!;
    } else decoded[role] = await decodeSequence(source, limits); // one at a time: bounded memory
  }
  fourD.clear();
  lap('decode', t);

  t = performance.now();
  for (const role of sequenceRoles) {
    validateVolume(decoded[role].volume, decoded[role].file, limits);
    validateSliceGaps(decoded[role]);
  }
  const movingRoles = ['flair', 't1', 't2'] as const;
  const warnings = validateStudyGeometry(
    decoded.t1gd,
    movingRoles.map((r) => decoded[r]),
    limits,
  );
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
    timings.identityCheck += result.identityCheckMs;
    if (result.problems.length > 0) {
      if ((input.onRegistrationProblem ?? 'reject') === 'reject')
        throw new IngestError('registration', decoded[role].file, 'registration to the T1gd', result.problems.join('; '), 'a plausible alignment (identity or elastix) with NMI above the floor');
      warnings.push(...result.problems.map((p) => `${decoded[role].file}: registration: ${p}`));
    }
    registration[role] = { ...result, ok: result.problems.length === 0 };
    t = performance.now();
    onGrid[role] = resample(decoded[role].volume, fixed, { interpolation: 'linear', targetToSourceWorld: result.fixedToMovingWorld });
    lap('resample', t);
  }

  t = performance.now();
  const brain = extractBrain(sequenceRoles.map((r) => onGrid[r]));
  lap('brainExtraction', t);

  t = performance.now();
  const normalized = normalizeChannels(onGrid, { brainMask: brain.mask });
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
      file: d.file,
      format: d.format,
      storedDatatype: d.storedDatatype,
      dims: d.volume.dims,
      spacing: d.volume.spacing,
      affine: d.volume.affine,
      orientation: orientationCode(d.volume.affine),
      original: ref(s.original),
      registered: ref(s.registered),
      normalized: ref(s.normalized),
    };
    deidentification[role] = { file: d.file, actions: d.deidentification };
  }
  return {
    grid: { dims: fixed.dims, spacing: fixed.spacing, affine: fixed.affine, orientation: orientationCode(fixed.affine) },
    volumes,
    registration,
    normalization: { mask: ref(maskSlot), maskVoxels: normalized.maskVoxels, maskDefinition, stats: normalized.stats },
    brainExtraction: {
      method: brain.method,
      version: brain.version,
      settings: brain.settings,
      input: brain.input,
      brightCut: brain.brightCut,
      voxels: brain.voxels,
      volumeMl: brain.volumeMl,
      removedFraction: brain.removedFraction,
      mask: ref(maskSlot),
    },
    deidentification,
    hashes: { inputs: inputHashes, stored: [...new Set(stored.map((o) => o.sha256))] },
    warnings,
    timings,
  };
}
