/**
 * Reading the headers of one DICOM image series (single-frame instances) and checking that they
 * form one regular 3D grid before anything converts them: every slice has the same orientation,
 * matrix and pixel spacing, and consecutive positions along the slice normal are equally spaced.
 * A refusal names the series and the slice (instance number, SOP Instance UID), so a coordinator
 * can tell the PACS administrator exactly what is wrong. Multi-frame images (Enhanced MR) and
 * localizers are refused by name: read as single slices they would be silently wrong.
 */
import dcmjs from 'dcmjs';
import { decodeDicom } from './encode-dicom';
import { DicomSeriesError } from './errors';
import { affineFromPlanes } from './plane-geometry';

export interface SeriesInstance {
  readonly name: string;
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly instanceNumber: number | null;
  readonly position: [number, number, number];
  readonly orientation: number[];
  readonly pixelSpacing: [number, number];
  readonly rows: number;
  readonly columns: number;
}

export interface SeriesHeader {
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly seriesDescription: string;
  readonly frameOfReferenceUid: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly patientBirthDate: string;
  readonly patientSex: string;
  readonly studyDate: string;
  readonly studyTime: string;
  readonly studyId: string;
  readonly accessionNumber: string;
  readonly referringPhysicianName: string;
  /** Slices sorted along the slice normal (the first is k = 0 of `affine`). */
  readonly instances: SeriesInstance[];
  /** RAS+ voxel-to-world affine of the grid (see ../volume.ts). */
  readonly affine: number[];
  readonly dims: [number, number, number];
}

export const ENHANCED_MR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.4.1';
export const MULTIFRAME_SOP_CLASSES: Readonly<Record<string, string>> = {
  [ENHANCED_MR_IMAGE_STORAGE]: 'Enhanced MR Image Storage',
  '1.2.840.10008.5.1.4.1.1.4.3': 'Enhanced MR Color Image Storage',
  '1.2.840.10008.5.1.4.1.1.4.4': 'Legacy Converted Enhanced MR Image Storage',
};

const str = (v: unknown): string =>
  v === undefined || v === null ? '' : Array.isArray(v) ? v.map(str).join('\\') : typeof v === 'object' && v !== null && 'Alphabetic' in v ? String(v.Alphabetic ?? '') : String(v);
const nums = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number) : v === undefined || v === null || v === '' ? [] : [Number(v)]);

/** A slice as a Part 10 file, or as its attributes already parsed (naturalized, keyword → value). */
export type SeriesInput = { readonly name: string; readonly bytes: Uint8Array } | { readonly name: string; readonly header: Record<string, unknown> };

/** One slice's header, or a refusal naming the file. */
function readInstance(file: SeriesInput, series: () => string): { header: Record<string, unknown>; instance: SeriesInstance } {
  let header: Record<string, unknown>;
  if ('header' in file) header = file.header;
  else
    try {
      header = decodeDicom(file.bytes);
    } catch (e) {
      throw new DicomSeriesError('unreadable', series(), file.name, 'DICOM data set', e instanceof Error ? e.message : String(e), 'a DICOM Part 10 file');
    }
  const sopClassUid = str(header.SOPClassUID);
  const sopInstanceUid = str(header.SOPInstanceUID);
  const frames = Number(header.NumberOfFrames ?? 1);
  const slice = `instance ${str(header.InstanceNumber) || '?'} (${sopInstanceUid || file.name})`;
  if (MULTIFRAME_SOP_CLASSES[sopClassUid] || frames > 1)
    throw new DicomSeriesError(
      'multiframe',
      series(),
      slice,
      'SOP Class',
      MULTIFRAME_SOP_CLASSES[sopClassUid] ?? `${sopClassUid} with ${frames} frames`,
      'single-frame images (MR Image Storage); export the series as classic single-frame MR',
    );
  const imageType = str(header.ImageType).toUpperCase();
  if (/LOCALIZER|SCOUT/.test(imageType)) throw new DicomSeriesError('localizer', series(), slice, 'ImageType', imageType, 'an image series, not a localizer');
  const position = nums(header.ImagePositionPatient);
  const orientation = nums(header.ImageOrientationPatient);
  const spacing = nums(header.PixelSpacing);
  const need = (ok: boolean, field: string, found: unknown) => {
    if (!ok) throw new DicomSeriesError('unreadable', series(), slice, field, JSON.stringify(found ?? null), 'present and numeric');
  };
  need(position.length === 3 && position.every(Number.isFinite), 'ImagePositionPatient', header.ImagePositionPatient);
  need(orientation.length === 6 && orientation.every(Number.isFinite), 'ImageOrientationPatient', header.ImageOrientationPatient);
  need(spacing.length === 2 && spacing.every((s) => Number.isFinite(s) && s > 0), 'PixelSpacing', header.PixelSpacing);
  need(Number(header.Rows) > 0 && Number(header.Columns) > 0, 'Rows/Columns', [header.Rows, header.Columns]);
  const instanceNumber = header.InstanceNumber === undefined || header.InstanceNumber === '' ? null : Number(header.InstanceNumber);
  return {
    header,
    instance: {
      name: file.name,
      sopClassUid,
      sopInstanceUid,
      instanceNumber,
      position: position as [number, number, number],
      orientation,
      pixelSpacing: spacing as [number, number],
      rows: Number(header.Rows),
      columns: Number(header.Columns),
    },
  };
}

const sliceName = (s: SeriesInstance) => `instance ${s.instanceNumber ?? '?'} (${s.sopInstanceUid})`;

/**
 * Read and check a series. `label` names it in refusals when its description is not known yet.
 * Tolerances: orientation cosines within 1e-4; pixel spacing within 0.1 %; each slice gap within 1 %
 * of the median gap, and a gap of 1.5 median gaps or more is a missing slice.
 */
export function readSeries(files: readonly SeriesInput[], label = 'series'): SeriesHeader {
  if (files.length === 0) throw new DicomSeriesError('unreadable', label, null, 'instances', 0, 'at least one');
  let name = label;
  const series = () => name;
  const first = readInstance(files[0]!, series);
  const h = first.header;
  name = `series "${str(h.SeriesDescription) || '(no description)'}" (${str(h.SeriesInstanceUID)})`;
  const instances = [first.instance, ...files.slice(1).map((f) => readInstance(f, series).instance)];
  const ref = instances[0]!;
  for (const s of instances) {
    if (s.orientation.some((v, i) => Math.abs(v - ref.orientation[i]!) > 1e-4))
      throw new DicomSeriesError('mixed-orientation', name, sliceName(s), 'ImageOrientationPatient', s.orientation.join('\\'), `${ref.orientation.join('\\')} (as ${sliceName(ref)})`);
    if (s.rows !== ref.rows || s.columns !== ref.columns)
      throw new DicomSeriesError('inconsistent-spacing', name, sliceName(s), 'Rows×Columns', `${s.rows}×${s.columns}`, `${ref.rows}×${ref.columns} (as ${sliceName(ref)})`);
    if (s.pixelSpacing.some((v, i) => Math.abs(v - ref.pixelSpacing[i]!) > 1e-3 * ref.pixelSpacing[i]!))
      throw new DicomSeriesError('inconsistent-spacing', name, sliceName(s), 'PixelSpacing', s.pixelSpacing.join('\\'), `${ref.pixelSpacing.join('\\')} (as ${sliceName(ref)})`);
  }
  const o = ref.orientation;
  const normal = [o[1]! * o[5]! - o[2]! * o[4]!, o[2]! * o[3]! - o[0]! * o[5]!, o[0]! * o[4]! - o[1]! * o[3]!];
  const along = (s: SeriesInstance) => s.position[0] * normal[0]! + s.position[1] * normal[1]! + s.position[2] * normal[2]!;
  const sorted = [...instances].sort((a, b) => along(a) - along(b));
  if (sorted.length > 1) {
    const gaps = sorted.slice(1).map((s, i) => along(s) - along(sorted[i]!));
    const median = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)]!;
    if (!(median > 1e-3)) throw new DicomSeriesError('inconsistent-spacing', name, null, 'slice gap (median)', `${median.toFixed(4)} mm`, 'a positive distance (two slices at one position?)');
    for (let i = 0; i < gaps.length; i++) {
      const gap = gaps[i]!;
      const a = sorted[i]!;
      const b = sorted[i + 1]!;
      if (gap >= 1.5 * median)
        throw new DicomSeriesError(
          'missing-slice',
          name,
          `between ${sliceName(a)} and ${sliceName(b)}`,
          'slice gap',
          `${gap.toFixed(3)} mm (about ${Math.round(gap / median) - 1} slice(s) missing)`,
          `${median.toFixed(3)} mm`,
        );
      if (Math.abs(gap - median) > 0.01 * median)
        throw new DicomSeriesError(
          'inconsistent-spacing',
          name,
          `between ${sliceName(a)} and ${sliceName(b)}`,
          'slice gap',
          `${gap.toFixed(3)} mm`,
          `${median.toFixed(3)} mm (the series' median gap, within 1 %)`,
        );
    }
  }
  return {
    studyInstanceUid: str(h.StudyInstanceUID),
    seriesInstanceUid: str(h.SeriesInstanceUID),
    seriesDescription: str(h.SeriesDescription),
    frameOfReferenceUid: str(h.FrameOfReferenceUID),
    patientId: str(h.PatientID),
    patientName: str(h.PatientName),
    patientBirthDate: str(h.PatientBirthDate),
    patientSex: str(h.PatientSex),
    studyDate: str(h.StudyDate),
    studyTime: str(h.StudyTime),
    studyId: str(h.StudyID),
    accessionNumber: str(h.AccessionNumber),
    referringPhysicianName: str(h.ReferringPhysicianName),
    instances: sorted,
    affine: affineFromPlanes(
      ref.orientation,
      ref.pixelSpacing,
      sorted.map((s) => s.position),
    ),
    dims: [ref.columns, ref.rows, sorted.length],
  };
}

/**
 * The same checks on a series' DICOM JSON metadata (WADO-RS /metadata: every instance's attributes,
 * no pixels): what the results writer needs of a source series that stays in the PACS.
 */
export function readSeriesMetadata(metadata: readonly Record<string, unknown>[], label = 'series'): SeriesHeader {
  return readSeries(
    metadata.map((m, i) => ({ name: `instance ${i + 1}`, header: dcmjs.data.DicomMetaDictionary.naturalizeDataset(m) })),
    label,
  );
}
