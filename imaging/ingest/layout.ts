/**
 * Which file is which sequence: recognises how a case was laid out when it was handed over, and
 * refuses with a typed reason whatever it would otherwise have to guess. Pure (bytes in, mapping out);
 * the voxels are decoded later by ingestStudy.
 *
 * Accepted layouts (docs/ingest.md has an example of each):
 * - `named-files`: four 3D NIfTI files (or DICOM series folders / zips) whose names say the sequence
 *   (`flair`, `t1`, `t1gd`/`t1ce`/`t1c`/`gd`/`post`, `t2`, … as tokens of the name);
 * - `brats-2021`: BraTS 2020/2021 names, `<case>_flair|_t1|_t1ce|_t2.nii.gz`;
 * - `brats-2023`: BraTS 2023+ names, `<case>-t2f|-t1n|-t1c|-t2w.nii.gz`;
 * - `decathlon-4d`: one 4D NIfTI with four channels (Medical Segmentation Decathlon Task01), channel
 *   order from a `dataset.json` beside it (`modality` or nnU-Net v2 `channel_names`), else FLAIR, T1w,
 *   T1gd, T2w (the Decathlon's own order);
 * - any of these inside one zip (folders in the zip are fine).
 * A label file (`_seg`, `label`, `mask` in the name) is ignored and said so; so are hidden files and
 * text. Explicit roles (the four upload fields, `--flair …`) do not go through here.
 *
 * Refused: a 4D file with other than four channels ('channels'); a dataset.json naming a modality we do
 * not know or with another channel count ('dataset-json'); two files claiming one sequence
 * ('duplicate-sequence'); files of two cases, or two 4D files ('multiple-cases'); a file whose name
 * says no sequence ('unknown-sequence'); fewer than four sequences ('missing-sequence').
 */
import path from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import { isDicomPart10 } from '../deid/dicom';
import { niftiLayout } from '../deid/nifti';
import type { IngestFile } from './decode';
import { IngestError } from './errors';
import { sequenceRoles, type SequenceRole } from './ingest';
import type { IngestLimits } from './limits';
import { isIgnoredEntry, readZip } from './zip';

/** One channel (0-based) of a 4D NIfTI file. */
export interface ChannelOf4d {
  readonly file: IngestFile;
  readonly channel: number;
}

/** Where one sequence comes from: a NIfTI or zip file, the files of a DICOM series, or a channel of a 4D file. */
export type SequenceSource = IngestFile | readonly IngestFile[] | ChannelOf4d;

export type StudyLayout = 'named-files' | 'brats-2021' | 'brats-2023' | 'decathlon-4d';

export interface SequenceAssignment {
  readonly role: SequenceRole;
  /** The file (or DICOM folder) as named in the upload. */
  readonly file: string;
  /** The channel of a 4D file (0-based). */
  readonly channel?: number;
  /** Why: the name token, or the dataset.json entry, or the Decathlon default order. */
  readonly because: string;
}

export interface RecognizedStudy {
  readonly layout: StudyLayout;
  /** The case id the names share (BraTS, Decathlon), or null. */
  readonly caseId: string | null;
  readonly assignments: readonly SequenceAssignment[];
  readonly sources: Readonly<Record<SequenceRole, SequenceSource>>;
  /** Files looked at and not used (labels, text), each with the reason. */
  readonly ignored: readonly string[];
  /**
   * Every source a sequence could be taken from (each file or DICOM folder; each channel of a 4D
   * file): what a coordinator may choose from when correcting the assignments.
   */
  readonly candidates: readonly SequenceCandidate[];
}

/** A file (or DICOM folder) of the upload, or one channel of its 4D file. */
export interface SequenceCandidate {
  readonly file: string;
  readonly channel?: number;
}

const niftiName = /\.nii(\.gz)?$/i;
const tokenRoles: Readonly<Record<string, SequenceRole>> = {
  flair: 'flair',
  t2f: 'flair',
  t2flair: 'flair',
  t1ce: 't1gd',
  t1c: 't1gd',
  t1gd: 't1gd',
  gd: 't1gd',
  ce: 't1gd',
  post: 't1gd',
  t1post: 't1gd',
  t1wce: 't1gd',
  't1+c': 't1gd',
  't1+gd': 't1gd',
  gad: 't1gd',
  t1gad: 't1gd',
  contrast: 't1gd',
  t1: 't1',
  t1n: 't1',
  t1w: 't1',
  mprage: 't1',
  t1native: 't1',
  t1pre: 't1',
  t2: 't2',
  t2w: 't2',
};
const labelTokens = new Set(['seg', 'label', 'labels', 'mask', 'brainmask', 'segmentation']);

function stem(name: string): string {
  return path.posix.basename(name).replace(/\.(nii\.gz|nii|zip|dcm)$/i, '');
}

/**
 * The sequence a name says, by its tokens (split on anything but letters, digits and '+'), with the
 * token that decided it; null when it says none or two different ones. T1gd words win over T1
 * (`T1_Gd`), FLAIR over T2 (`T2_FLAIR`).
 */
export function roleFromName(name: string): { role: SequenceRole; token: string } | null {
  const tokens = stem(name)
    .toLowerCase()
    .split(/[^a-z0-9+]+/)
    .filter(Boolean);
  const found = new Map<SequenceRole, string>();
  for (const t of tokens) {
    const role = tokenRoles[t];
    if (role && !found.has(role)) found.set(role, t);
  }
  if (found.has('t1gd')) return { role: 't1gd', token: found.get('t1gd')! };
  if (found.has('flair')) return { role: 'flair', token: found.get('flair')! };
  if (found.size === 1) {
    const [role, token] = [...found][0]!;
    return { role, token };
  }
  return null;
}

function isLabelName(name: string): boolean {
  return stem(name)
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .some((t) => labelTokens.has(t));
}

/** The case id a name carries: the name without its sequence token and the separator before it. */
function caseIdOf(name: string, token: string): string {
  const s = stem(name);
  const at = s.toLowerCase().lastIndexOf(token);
  return (s.slice(0, at).replace(/[_\-. ]+$/, '') + s.slice(at + token.length)).replace(/^[_\-. ]+|[_\-. ]+$/g, '');
}

/** dim[4] of a NIfTI file from its first bytes (inflating only a prefix of a .nii.gz); null if not NIfTI. */
export function niftiChannelCount(bytes: Uint8Array): number | null {
  let head = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      head = new Uint8Array(gunzipSync(bytes.subarray(0, Math.min(bytes.length, 2048)), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 1 << 22 }));
    } catch {
      return null;
    }
  }
  const layout = niftiLayout(head);
  if (!layout) return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const dim = (i: number) => (layout.version === 1 ? view.getInt16(40 + 2 * i, layout.le) : Number(view.getBigInt64(16 + 8 * i, layout.le)));
  return dim(0) >= 4 ? dim(4) : 1;
}

/** Channel roles from a Decathlon / nnU-Net dataset.json (`modality` or `channel_names`). */
export function channelRolesFromDatasetJson(file: IngestFile): SequenceRole[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(file.bytes));
  } catch (e) {
    throw new IngestError('dataset-json', file.name, 'content', e instanceof Error ? e.message : String(e), 'valid JSON');
  }
  const obj = (parsed ?? {}) as Record<string, unknown>;
  const field = obj.modality !== undefined ? 'modality' : obj.channel_names !== undefined ? 'channel_names' : null;
  if (!field || typeof obj[field] !== 'object' || obj[field] === null)
    throw new IngestError('dataset-json', file.name, 'modality', 'absent', 'an object {"0": "FLAIR", "1": "T1w", "2": "t1gd", "3": "T2w"} (or channel_names)');
  const entries = Object.entries(obj[field] as Record<string, unknown>).sort(([a], [b]) => Number(a) - Number(b));
  const roles = entries.map(([key, value], i) => {
    if (String(i) !== key) throw new IngestError('dataset-json', file.name, `${field} keys`, JSON.stringify(entries.map(([k]) => k)), '"0", "1", "2", "3" in order');
    const r = typeof value === 'string' ? roleFromName(value.replace(/\s+/g, '_')) : null;
    if (!r) throw new IngestError('dataset-json', file.name, `${field}["${key}"]`, JSON.stringify(value), 'one of FLAIR, T1w (T1, t1n), T1gd (t1ce, t1c), T2w (T2)');
    return r.role;
  });
  const dup = roles.find((r, i) => roles.indexOf(r) !== i);
  if (dup) throw new IngestError('dataset-json', file.name, field, JSON.stringify(obj[field]), `each of ${sequenceRoles.join(', ')} once (${dup} appears twice)`);
  return roles;
}

/** Unpack zips holding NIfTI files or a dataset.json; a zip of DICOM files stays one series. */
function expandZips(files: readonly IngestFile[], limits: IngestLimits): IngestFile[] {
  const out: IngestFile[] = [];
  for (const f of files) {
    if (!/\.zip$/i.test(f.name)) {
      out.push(f);
      continue;
    }
    const entries = readZip(f.bytes, f.name, limits);
    if (entries.some((e) => niftiName.test(e.name) || /(^|\/)dataset\.json$/i.test(e.name))) out.push(...entries);
    else out.push(f); // a DICOM series zip (decoded as before)
  }
  return out;
}

/** Group loose DICOM files by their folder: one series per folder. */
function groupDicom(files: readonly IngestFile[]): Map<string, IngestFile[]> {
  const folders = new Map<string, IngestFile[]>();
  for (const f of files) {
    const dir = path.posix.dirname(f.name);
    folders.set(dir, [...(folders.get(dir) ?? []), f]);
  }
  return folders;
}

/**
 * Recognise one case from the files of an upload, a folder or a zip (`name` is the path inside it,
 * '/'-separated). Throws IngestError for every refusal listed in the module doc.
 */
export function recognizeStudyLayout(files: readonly IngestFile[], limits: IngestLimits): RecognizedStudy {
  const ignored: string[] = [];
  const all = expandZips(files, limits).filter((f) => {
    if (isIgnoredEntry(f.name)) return false;
    return true;
  });
  const datasetJson = all.filter((f) => /(^|\/)dataset\.json$/i.test(f.name));
  const nifti: IngestFile[] = [];
  const dicom: IngestFile[] = [];
  const zips: IngestFile[] = [];
  for (const f of all) {
    if (datasetJson.includes(f)) continue;
    if (niftiName.test(f.name)) {
      if (isLabelName(f.name)) ignored.push(`${f.name}: a label file, not an MR sequence`);
      else nifti.push(f);
    } else if (/\.zip$/i.test(f.name)) zips.push(f);
    else if (isDicomPart10(f.bytes)) dicom.push(f);
    else ignored.push(`${f.name}: neither NIfTI nor DICOM`);
  }
  if (datasetJson.length > 1) throw new IngestError('multiple-cases', datasetJson[1]!.name, 'dataset.json files', datasetJson.length, 'at most one');

  // 4D files: the Decathlon layout.
  const counted = nifti.map((f) => ({ f, channels: niftiChannelCount(f.bytes) }));
  const fourD = counted.filter((c) => c.channels !== null && c.channels > 1);
  if (fourD.length > 1) throw new IngestError('multiple-cases', fourD[1]!.f.name, '4D files in the upload', fourD.length, 'one 4D file per case');
  if (fourD.length === 1) {
    const { f, channels } = fourD[0]!;
    const others = nifti.filter((n) => n !== f);
    if (others.length > 0 || dicom.length > 0 || zips.length > 0)
      throw new IngestError(
        'multiple-cases',
        others[0]?.name ?? dicom[0]?.name ?? zips[0]!.name,
        'files beside the 4D file',
        others.length + dicom.length + zips.length,
        'none (a 4D file holds the whole case)',
      );
    if (channels !== 4) throw new IngestError('channels', f.name, 'dim[4] (channels)', channels!, '4 (FLAIR, T1w, T1gd, T2w)');
    const roles = datasetJson[0] ? channelRolesFromDatasetJson(datasetJson[0]) : (['flair', 't1', 't1gd', 't2'] as SequenceRole[]);
    if (roles.length !== channels) throw new IngestError('dataset-json', datasetJson[0]!.name, 'modality entries', roles.length, `${channels} (the channels of ${f.name})`);
    const sources = {} as Record<SequenceRole, SequenceSource>;
    const assignments = roles.map((role, channel) => {
      sources[role] = { file: f, channel };
      return { role, file: f.name, channel, because: datasetJson[0] ? `${path.posix.basename(datasetJson[0].name)} channel ${channel}` : `Decathlon default order (channel ${channel})` };
    });
    const candidates = roles.map((_, channel) => ({ file: f.name, channel }));
    return { layout: 'decathlon-4d', caseId: stem(f.name).replace(/_0000$/, ''), assignments, sources, ignored, candidates };
  }
  if (datasetJson[0]) ignored.push(`${datasetJson[0].name}: only used with a 4D file`);

  // Separate files (NIfTI, DICOM series zips, DICOM folders), recognised by name.
  const candidates: { name: string; source: SequenceSource }[] = [
    ...nifti.map((f) => ({ name: f.name, source: f })),
    ...zips.map((f) => ({ name: f.name, source: f })),
    ...[...groupDicom(dicom)].map(([dir, fs]) => ({ name: dir === '.' ? '(top-level DICOM files)' : dir, source: fs })),
  ];
  // Case ids only mean something in BraTS names (`<case>_flair`, `<case>-t2f`); free names share none.
  const bratsName = (n: string) => (/_(flair|t1|t1ce|t2)\.nii(\.gz)?$/i.test(n) ? 'brats-2021' : /-(t2f|t1n|t1c|t2w)\.nii(\.gz)?$/i.test(n) ? 'brats-2023' : null);
  const byRole = new Map<SequenceRole, { name: string; source: SequenceSource; token: string }>();
  for (const c of candidates) {
    const r = roleFromName(c.name);
    if (!r)
      throw new IngestError('unknown-sequence', c.name, 'sequence named by the file', 'none recognised', 'a name containing flair, t1, t1gd (t1ce, t1c), or t2 (or assign the sequences by hand)');
    const first = byRole.get(r.role);
    if (first) {
      const a = caseIdOf(first.name, first.token),
        b = caseIdOf(c.name, r.token);
      if (bratsName(first.name) && bratsName(c.name) && a !== b) throw new IngestError('multiple-cases', c.name, 'case id', `${JSON.stringify(b)} beside ${JSON.stringify(a)}`, 'one case per upload');
      throw new IngestError('duplicate-sequence', c.name, 'sequence', `${r.role} (also claimed by ${first.name})`, 'one file per sequence');
    }
    byRole.set(r.role, { ...c, token: r.token });
  }
  for (const role of sequenceRoles)
    if (!byRole.has(role))
      throw new IngestError('missing-sequence', `(${role})`, 'sequence', `missing (found ${[...byRole.keys()].join(', ') || 'none'})`, `a file for each of ${sequenceRoles.join(', ')}`);
  const names = sequenceRoles.map((r) => byRole.get(r)!.name);
  const kinds = new Set(names.map(bratsName));
  const layout: StudyLayout = kinds.size === 1 && !kinds.has(null) ? [...kinds][0]! : 'named-files';
  let caseId: string | null = null;
  if (layout !== 'named-files') {
    const ids = sequenceRoles.map((r) => caseIdOf(byRole.get(r)!.name, byRole.get(r)!.token));
    const other = ids.findIndex((id) => id !== ids[0]);
    if (other >= 0) throw new IngestError('multiple-cases', names[other]!, 'case id', `${JSON.stringify(ids[other])} beside ${JSON.stringify(ids[0])}`, 'one case per upload');
    caseId = ids[0] || null;
  }
  const sources = {} as Record<SequenceRole, SequenceSource>;
  const assignments = sequenceRoles.map((role) => {
    const c = byRole.get(role)!;
    sources[role] = c.source;
    return { role, file: c.name, because: `name token "${c.token}"` };
  });
  return { layout, caseId, assignments, sources, ignored, candidates: candidates.map((c) => ({ file: c.name })) };
}

/**
 * The sources of a confirmed (possibly corrected) mapping: each assignment's file, DICOM folder or
 * 4D channel, found among the same files recognizeStudyLayout was given. The assignments must name
 * four different candidates, one per sequence; anything else is a typed refusal.
 */
export function sourcesFromAssignments(
  files: readonly IngestFile[],
  assignments: readonly { readonly role: SequenceRole; readonly file: string; readonly channel?: number }[],
  limits: IngestLimits,
): Record<SequenceRole, SequenceSource> {
  const all = expandZips(files, limits).filter((f) => !isIgnoredEntry(f.name));
  const dicomFolders = groupDicom(all.filter((f) => !niftiName.test(f.name) && !/\.zip$/i.test(f.name) && isDicomPart10(f.bytes)));
  const sources = {} as Record<SequenceRole, SequenceSource>;
  const taken = new Set<string>();
  for (const a of assignments) {
    if (!(sequenceRoles as readonly string[]).includes(a.role)) throw new IngestError('unknown-sequence', a.file, 'sequence role', JSON.stringify(a.role), sequenceRoles.join(', '));
    if (sources[a.role]) throw new IngestError('duplicate-sequence', a.file, 'sequence', `${a.role} assigned twice`, 'one source per sequence');
    const key = `${a.file}#${a.channel ?? ''}`;
    if (taken.has(key))
      throw new IngestError('duplicate-sequence', a.file, 'source', `${a.channel === undefined ? a.file : `channel ${a.channel}`} assigned to two sequences`, 'a different source for each sequence');
    taken.add(key);
    const file = all.find((f) => f.name === a.file);
    const folder = dicomFolders.get(a.file === '(top-level DICOM files)' ? '.' : a.file);
    if (a.channel !== undefined) {
      if (!file) throw new IngestError('missing-sequence', a.file, `${a.role} source`, 'not in the upload', 'a file of the upload');
      sources[a.role] = { file, channel: a.channel };
    } else if (file) sources[a.role] = file;
    else if (folder) sources[a.role] = folder;
    else throw new IngestError('missing-sequence', a.file, `${a.role} source`, 'not in the upload', 'a file or DICOM folder of the upload');
  }
  for (const role of sequenceRoles) if (!sources[role]) throw new IngestError('missing-sequence', `(${role})`, 'sequence', 'not assigned', `a source for each of ${sequenceRoles.join(', ')}`);
  return sources;
}
