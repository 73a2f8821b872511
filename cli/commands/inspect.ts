import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { constants, gunzipSync } from 'node:zlib';
import { isDicomPart10 } from '../../imaging/deid/dicom';
import { VolumeFormatError } from '../../imaging/errors';
import { decodeNiftiChannels, decodeSequence, type DecodedSequence, type IngestFile } from '../../imaging/ingest/decode';
import { IngestError } from '../../imaging/ingest/errors';
import { recognizeStudyLayout, roleFromName } from '../../imaging/ingest/layout';
import { resolveLimits } from '../../imaging/ingest/limits';
import { validateSliceGaps, validateVolume } from '../../imaging/ingest/validate';
import { readZip } from '../../imaging/ingest/zip';
import { describeNiftiHeader } from '../../imaging/nifti/read-nifti';
import { orientationCode } from '../../imaging/orientation';
import type { CliCommand } from '../command';
import { CliUsageError } from '../command';

const usage = 'usage: segtrial inspect FILE|FOLDER [--json]   (FILE: .nii, .nii.gz (3D or 4D), or .zip of a DICOM series or of a case; FOLDER: a DICOM series or a case)';

type Refusal = { code: string; file: string; field: string; found: string | number; expected: string; message: string };
type Verdict = { status: 'accepted'; as: string } | { status: 'refused'; reason: Refusal };

const refusal = (e: IngestError): Refusal => ({ code: e.code, file: e.file, field: e.field, found: e.found, expected: e.expected, message: e.message });
const round = (x: number) => +x.toFixed(6);
const affineRows = (a: readonly number[]) => [0, 1, 2, 3].map((r) => a.slice(r * 4, r * 4 + 4).map(round));

async function listFiles(dir: string, prefix: string): Promise<IngestFile[]> {
  const out: IngestFile[] = [];
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(full, `${prefix}/${e.name}`)));
    else if (e.isFile()) out.push({ name: `${prefix}/${e.name}`, bytes: new Uint8Array(await readFile(full)) });
  }
  return out;
}

/** The first bytes of a (possibly gzipped) file, enough for a NIfTI header, without inflating the rest. */
function headBytes(bytes: Uint8Array): Uint8Array {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return new Uint8Array(gunzipSync(bytes.subarray(0, Math.min(bytes.length, 2048)), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 1 << 22 }));
  return bytes.subarray(0, 1 << 16);
}

/** Would ingest take this decoded sequence? Per-volume checks and slice gaps. */
function sequenceVerdict(d: DecodedSequence, as: string): Verdict {
  try {
    validateVolume(d.volume, d.file, resolveLimits());
    validateSliceGaps(d);
    return { status: 'accepted', as };
  } catch (e) {
    if (e instanceof IngestError) return { status: 'refused', reason: refusal(e) };
    throw e;
  }
}

async function describeNifti(file: IngestFile) {
  let head;
  try {
    head = describeNiftiHeader(headBytes(file.bytes), file.name);
  } catch (e) {
    if (e instanceof VolumeFormatError) throw new IngestError('format', e.file, e.field, e.found, e.expected);
    throw new IngestError('format', file.name, 'gzip stream', e instanceof Error ? e.message : String(e), 'a readable NIfTI header');
  }
  const channels = head.dims.length >= 4 ? head.dims[3]! : 1;
  const report = {
    file: file.name,
    format: head.niftiVersion === 1 ? 'nifti-1' : 'nifti-2',
    dims: head.dims.length >= 4 ? head.dims.slice(0, 4) : [head.dims[0] ?? 1, head.dims[1] ?? 1, head.dims[2] ?? 1],
    ...(head.dims.length > 4 ? { extraDims: head.dims.slice(4) } : {}),
    spacing: head.spacing.map(round),
    datatype: head.datatype ?? `code ${head.datatypeCode} (${head.bitsPerVoxel} bits)`,
    orientation: orientationCode(head.affine),
    affine: affineRows(head.affine),
    qformCode: head.qformCode,
    sformCode: head.sformCode,
    voxels: head.dims.reduce((a, b) => a * b, 1),
  };
  let ingest: Verdict;
  let identifyingFields: string[] = [];
  try {
    if (channels > 1) {
      const decoded = await decodeNiftiChannels(file, resolveLimits());
      identifyingFields = decoded[0]!.deidentification.map((a) => a.field);
      const refused = decoded.map((d) => sequenceVerdict(d, '')).find((v) => v.status === 'refused');
      ingest = refused ?? { status: 'accepted', as: 'a whole case (decathlon-4d: channels FLAIR, T1w, T1gd, T2w unless a dataset.json beside it says otherwise)' };
    } else {
      const decoded = await decodeSequence(file, resolveLimits());
      identifyingFields = decoded.deidentification.map((a) => a.field);
      const role = roleFromName(file.name);
      ingest = sequenceVerdict(decoded, `one sequence (${role ? `its name says ${role.role}` : 'its name names no sequence: assign it by hand'})`);
    }
  } catch (e) {
    if (!(e instanceof IngestError)) throw e;
    ingest = { status: 'refused', reason: refusal(e) };
  }
  return { ...report, identifyingFields, ingest };
}

async function describeDicom(input: IngestFile | IngestFile[]) {
  const decoded = await decodeSequence(input, resolveLimits());
  const v = decoded.volume;
  const role = roleFromName(decoded.file);
  return {
    file: decoded.file,
    format: decoded.format,
    dims: [...v.dims],
    spacing: v.spacing.map(round),
    datatype: decoded.storedDatatype,
    orientation: orientationCode(v.affine),
    affine: affineRows(v.affine),
    ...(decoded.slices ? { sliceThicknessMm: decoded.slices.thicknessMm, sliceSteps: decoded.slices.stepsMm.length } : {}),
    identifyingFields: decoded.deidentification.map((a) => a.field),
    ingest: sequenceVerdict(decoded, `one sequence (${role ? `its name says ${role.role}` : 'assign it by hand'})`),
  };
}

/** A folder or zip holding a case: each file described, then the layout verdict. */
async function describeCase(files: IngestFile[]) {
  const described = [];
  for (const f of files)
    if (/\.nii(\.gz)?$/i.test(f.name)) described.push(await describeNifti(f).catch((e: unknown) => (e instanceof IngestError ? { file: f.name, error: refusal(e) } : Promise.reject(e))));
  let ingest: Verdict & { layout?: string; caseId?: string | null; assignments?: unknown; ignored?: readonly string[] };
  try {
    const study = recognizeStudyLayout(files, resolveLimits());
    ingest = { status: 'accepted', as: `one case (${study.layout})`, layout: study.layout, caseId: study.caseId, assignments: study.assignments, ignored: study.ignored };
  } catch (e) {
    if (!(e instanceof IngestError)) throw e;
    ingest = { status: 'refused', reason: refusal(e) };
  }
  return { files: described, ingest };
}

function printVerdict(ingest: Verdict) {
  if (ingest.status === 'accepted') console.log(`  ingest       accepted as ${ingest.as}`);
  else console.log(`  ingest       refused (${ingest.reason.code}): ${ingest.reason.message}`);
}

function printVolume(r: Record<string, unknown>) {
  if ('error' in r) {
    console.log(`${String(r.file)}: unreadable: ${(r.error as Refusal).message}`);
    return;
  }
  console.log(`${String(r.file)} (${String(r.format)})`);
  console.log(`  dims         ${(r.dims as number[]).join(' × ')}${r.extraDims ? ` (then ${(r.extraDims as number[]).join(' × ')})` : ''}`);
  console.log(`  spacing      ${(r.spacing as number[]).join(' × ')} mm`);
  console.log(`  datatype     ${String(r.datatype)}`);
  console.log(`  orientation  ${String(r.orientation)}`);
  console.log(`  affine (voxel → RAS+ mm)`);
  for (const row of r.affine as number[][]) console.log(`    ${row.map((x) => x.toFixed(4).padStart(11)).join(' ')}`);
  const ids = r.identifyingFields as string[] | undefined;
  if (ids?.length) console.log(`  identifying  ${ids.join('; ')} (removed on ingest)`);
  printVerdict(r.ingest as Verdict);
}

const command: CliCommand = {
  name: 'inspect',
  summary: 'inspect FILE|FOLDER [--json]: describe a NIfTI-1/2 (3D or 4D), a DICOM series or a case folder/zip, and say whether ingest accepts it and why not',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: [...argv], options: { json: { type: 'boolean', default: false } }, allowPositionals: true });
    if (positionals.length !== 1) throw new CliUsageError(usage);
    const target = positionals[0]!;
    const info = await stat(target).catch(() => null);
    if (!info) throw new CliUsageError(`${target}: no such file or folder`);
    let report: Record<string, unknown>;
    try {
      if (info.isDirectory()) {
        const files = await listFiles(target, path.basename(target));
        const dicomOnly = files.length > 0 && files.every((f) => isDicomPart10(f.bytes));
        report = dicomOnly ? await describeDicom(files) : await describeCase(files);
      } else {
        const file = { name: path.basename(target), bytes: new Uint8Array(await readFile(target)) };
        const lower = file.name.toLowerCase();
        if (lower.endsWith('.nii') || lower.endsWith('.nii.gz')) report = await describeNifti(file);
        else if (lower.endsWith('.zip')) {
          const entries = (() => {
            try {
              return readZip(file.bytes, file.name, resolveLimits());
            } catch {
              return null; // let the DICOM path report what is wrong with the zip
            }
          })();
          report = entries && entries.some((e) => /\.nii(\.gz)?$|(^|\/)dataset\.json$/i.test(e.name)) ? await describeCase(entries) : await describeDicom(file);
        } else report = await describeDicom(file); // names the file-name problem as before
      }
    } catch (e) {
      if (!(e instanceof IngestError)) throw e;
      if (values.json) console.log(JSON.stringify({ error: refusal(e) }, null, 2));
      else console.error(`segtrial inspect: ${e.message}`);
      return 1;
    }
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else if ('files' in report) {
      for (const f of report.files as Record<string, unknown>[]) printVolume(f);
      const ingest = report.ingest as Verdict & { assignments?: { role: string; file: string; channel?: number; because: string }[]; ignored?: string[] };
      console.log('case');
      for (const a of ingest.assignments ?? []) console.log(`  ${a.role.padEnd(6)} ← ${a.file}${a.channel !== undefined ? ` [channel ${a.channel}]` : ''} (${a.because})`);
      for (const i of ingest.ignored ?? []) console.log(`  ignored: ${i}`);
      printVerdict(ingest);
    } else printVolume(report);
    return 0;
  },
};
export default command;
