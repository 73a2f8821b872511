/**
 * A cohort on disk: per subject, one NIfTI-1 file per sequence (int16, .nii.gz, qform and sform
 * both set) and the label map (uint8, MSD convention), plus manifest.json (every generation
 * parameter, per subject) and manifest.csv (one row per subject: covariates, tumour features,
 * outcome). Subjects are assigned to sites in turn (subject i → sites[i mod |sites|]) and each is
 * generated from (seed, i) alone, so the same seed gives the same bytes. Files are written beside
 * their final name and renamed, so an interrupted run leaves no half-written volume.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeNifti } from '../nifti/write-nifti';
import { outcomeModel } from './covariates';
import type { CohortSize, Subject, SubjectRecord } from './generate-subject';
import { generateSubject, referenceSequence } from './generate-subject';
import type { SiteId } from './sites';
import { sequences, sites, siteIds } from './sites';

export const generatorVersion = 'segtrial-cohort/1';

export interface GenerateCohortOptions {
  out: string;
  n: number;
  seed: string | number;
  sites?: readonly SiteId[];
  size?: CohortSize;
  grid?: 'acquisition' | 'canonical';
  /** Called after each subject is written. */
  onSubject?: (record: SubjectRecord, ms: number) => void;
}

export interface CohortManifest {
  generator: string;
  seed: string;
  n: number;
  size: CohortSize;
  grid: 'acquisition' | 'canonical';
  sites: SiteId[];
  referenceSequence: string;
  labels: Record<string, string>;
  outcomeModel: typeof outcomeModel;
  conventions: string;
  subjects: (SubjectRecord & { files: Record<string, string> })[];
}

export const labelNames = { '0': 'background', '1': 'edema', '2': 'non-enhancing tumor (incl. necrosis)', '3': 'enhancing tumor' };

export function subjectFiles(id: string): Record<(typeof sequences)[number] | 'label', string> {
  return {
    flair: `${id}/${id}_flair.nii.gz`,
    t1: `${id}/${id}_t1.nii.gz`,
    t1gd: `${id}/${id}_t1gd.nii.gz`,
    t2: `${id}/${id}_t2.nii.gz`,
    label: `${id}/${id}_label.nii.gz`,
  };
}

export async function writeSubject(out: string, subject: Subject): Promise<Record<string, string>> {
  const files = subjectFiles(subject.record.id);
  await mkdir(path.join(out, subject.record.id), { recursive: true });
  for (const seq of sequences) await writeNifti(path.join(out, files[seq]), subject.images[seq], { datatype: 'int16', description: `SegTrial synthetic ${seq} ${subject.record.id}` });
  await writeNifti(path.join(out, files.label), subject.label, { datatype: 'uint8', description: `SegTrial labels ${subject.record.id} (MSD 0-3)` });
  return files;
}

export async function generateCohort(options: GenerateCohortOptions): Promise<CohortManifest> {
  const chosen = [...(options.sites ?? siteIds)];
  for (const s of chosen) if (!sites[s]) throw new RangeError(`unknown site '${s}': expected one of ${siteIds.join(', ')}`);
  if (!Number.isInteger(options.n) || options.n < 1) throw new RangeError(`n is ${options.n}, expected a positive integer`);
  const size = options.size ?? 'full';
  const grid = options.grid ?? 'acquisition';
  await mkdir(options.out, { recursive: true });
  const manifest: CohortManifest = {
    generator: generatorVersion,
    seed: String(options.seed),
    n: options.n,
    size,
    grid,
    sites: chosen,
    referenceSequence,
    labels: labelNames,
    outcomeModel,
    conventions:
      'Arrays x fastest (index = x + nx*(y + ny*z)); affines row-major 4x4 voxel-to-world, RAS+ mm (NIfTI sform). ' +
      'misalignment.matrix M: the anatomy at reference world point p appears at world point M*p in that sequence. ' +
      'Label map on the grid of the reference sequence. Volumes in mL from the canonical (truth) grid.',
    subjects: [],
  };
  for (let i = 0; i < options.n; i++) {
    const t0 = performance.now();
    const subject = await generateSubject({ seed: options.seed, index: i, site: chosen[i % chosen.length]!, size, grid });
    const files = await writeSubject(options.out, subject);
    manifest.subjects.push({ ...subject.record, files });
    options.onSubject?.(subject.record, performance.now() - t0);
  }
  await atomicWrite(path.join(options.out, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  await atomicWrite(path.join(options.out, 'manifest.csv'), manifestCsv(manifest));
  return manifest;
}

async function atomicWrite(file: string, text: string): Promise<void> {
  await writeFile(`${file}.partial`, text);
  await rename(`${file}.partial`, file);
}

const csvColumns: [string, (s: CohortManifest['subjects'][number]) => string | number | boolean | null][] = [
  ['id', (s) => s.id],
  ['site', (s) => s.site],
  ['site_role', (s) => s.siteRole],
  ['age', (s) => s.covariates.age],
  ['sex', (s) => s.covariates.sex],
  ['vendor', (s) => s.covariates.vendor],
  ['field_strength_t', (s) => s.covariates.fieldStrengthT],
  ['tumor_present', (s) => s.tumor !== null],
  ['tumor_kind', (s) => s.tumor?.kind ?? ''],
  ['edema_ml', (s) => s.features.edemaMl],
  ['nonenhancing_ml', (s) => s.features.nonEnhancingMl],
  ['enhancing_ml', (s) => s.features.enhancingMl],
  ['necrotic_ml', (s) => s.features.necroticMl],
  ['enhancing_fraction', (s) => s.outcome.enhancingFraction],
  ['necrotic_fraction', (s) => s.outcome.necroticFraction],
  ['core_volume_ml', (s) => s.outcome.coreVolumeMl],
  ['outcome_linear_predictor', (s) => s.outcome.linearPredictor],
  ['outcome_probability', (s) => s.outcome.probability],
  ['high_grade', (s) => s.outcome.highGrade],
  ['misaligned_sequences', (s) => sequences.filter((q) => s.sequences[q].misalignment.matrix.some((v, i) => Math.abs(v - (i % 5 === 0 ? 1 : 0)) > 1e-9)).join(' ')],
  ['flair_file', (s) => s.files.flair!],
  ['t1_file', (s) => s.files.t1!],
  ['t1gd_file', (s) => s.files.t1gd!],
  ['t2_file', (s) => s.files.t2!],
  ['label_file', (s) => s.files.label!],
];

export function manifestCsv(m: CohortManifest): string {
  const cell = (v: string | number | boolean | null) => {
    if (v === null) return '';
    const s = typeof v === 'number' ? String(Math.round(v * 1e6) / 1e6) : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [csvColumns.map(([h]) => h).join(','), ...m.subjects.map((s) => csvColumns.map(([, f]) => cell(f(s))).join(','))].join('\n') + '\n';
}
