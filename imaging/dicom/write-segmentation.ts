/**
 * A label map → one DICOM Segmentation instance (PS3.3 A.51, SegmentationType BINARY): one segment
 * per label (./segment-codes.ts: edema, non-enhancing tumour core, enhancing tumour, coded from
 * CID 7169), on the grid of the source MR series it was drawn on, each frame one slice of one
 * segment, referencing the source slice it derives from. Only slices where a segment has voxels are
 * stored (as dcmqi and highdicom do); a segment with no voxels keeps one empty frame so a viewer
 * still lists it.
 *
 * The label map must lie on the source series' voxel centres: the same grid, or the same grid with
 * its axes permuted or flipped (a NIfTI written by another tool), which is re-indexed exactly. Any
 * other grid is refused (grid-mismatch) rather than resampled: a SEG claims its voxels belong to the
 * referenced slices, and interpolating a label map would make that claim false.
 *
 * Who made it (PS3.3 C.8.20.4): an AI model is AUTOMATIC with a Segmentation Algorithm
 * Identification (family "Artificial Intelligence", name, version, and the weights' SHA-256 as its
 * parameters); a clinician's map is MANUAL, with the clinician as ContentCreatorName.
 */
import type { Volume } from '../volume';
import { invertAffine, multiply4 } from '../volume';
import { dicomDateTime, ds, encodeDicom } from './encode-dicom';
import { DicomSeriesError } from './errors';
import { planeGeometryFromAffine } from './plane-geometry';
import type { SeriesHeader } from './read-series';
import { codeItem, labelSegments, rgbToDicomLab } from './segment-codes';
import { deriveUid } from './uid';

export const SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';

export type SegmentationAuthor =
  { readonly kind: 'algorithm'; readonly name: string; readonly version: string; readonly weightsSha256?: string } | { readonly kind: 'manual'; readonly creatorName: string };

export interface WriteSegmentationInput {
  /** Label values 0 (background), 1, 2, 3 (see ./segment-codes.ts); other values are refused. */
  readonly labels: Volume;
  readonly source: SeriesHeader;
  readonly author: SegmentationAuthor;
  readonly seriesNumber?: number;
  readonly seriesDescription?: string;
  readonly createdAt?: Date;
  /** Seed for the series and instance UIDs (same seed, same UIDs); default: random. */
  readonly uidSeed?: string;
  readonly manufacturer?: string;
  readonly softwareVersion?: string;
}

export interface WrittenSegmentation {
  readonly bytes: Uint8Array;
  readonly sopInstanceUid: string;
  readonly seriesInstanceUid: string;
  /** Per label present in the SEG: its segment number and voxel count on the source grid. */
  readonly segments: { readonly label: number; readonly segmentNumber: number; readonly voxels: number }[];
  /** Voxel volume on the source grid (mm³). */
  readonly voxelVolumeMm3: number;
}

/** For each source voxel (x fastest) the label map's voxel index, when the label grid is the source grid re-indexed. */
function sourceToLabelIndex(labels: Volume, source: SeriesHeader): Int32Array {
  const [sx, sy, sz] = source.dims;
  const [lx, ly, lz] = labels.dims;
  const m = multiply4(invertAffine(labels.affine), source.affine); // source voxel → label voxel
  const map = (i: number, j: number, k: number) => [0, 1, 2].map((r) => m[r * 4]! * i + m[r * 4 + 1]! * j + m[r * 4 + 2]! * k + m[r * 4 + 3]!);
  const corners = [
    [0, 0, 0],
    [sx - 1, 0, 0],
    [0, sy - 1, 0],
    [0, 0, sz - 1],
    [sx - 1, sy - 1, sz - 1],
  ];
  for (const [i, j, k] of corners) {
    const p = map(i!, j!, k!);
    const off = p.some((v, a) => Math.abs(v - Math.round(v)) > 0.01 || Math.round(v) < 0 || Math.round(v) >= [lx, ly, lz][a]!);
    if (off || lx * ly * lz !== sx * sy * sz)
      throw new DicomSeriesError(
        'grid-mismatch',
        `series "${source.seriesDescription}" (${source.seriesInstanceUid})`,
        null,
        'label map grid',
        `${lx}×${ly}×${lz}, source voxel (${i}, ${j}, ${k}) falls at label voxel (${p.map((v) => v.toFixed(2)).join(', ')})`,
        `the source grid ${sx}×${sy}×${sz} (same voxel centres, any axis order)`,
      );
  }
  // The map is affine with (near-)integer coefficients: evaluate it per voxel in integers.
  const r = m.map((v) => Math.round(v));
  const out = new Int32Array(sx * sy * sz);
  let n = 0;
  for (let k = 0; k < sz; k++)
    for (let j = 0; j < sy; j++)
      for (let i = 0; i < sx; i++) {
        const a = r[0]! * i + r[1]! * j + r[2]! * k + r[3]!;
        const b = r[4]! * i + r[5]! * j + r[6]! * k + r[7]!;
        const c = r[8]! * i + r[9]! * j + r[10]! * k + r[11]!;
        out[n++] = a + lx * (b + ly * c);
      }
  return out;
}

export function writeSegmentation(input: WriteSegmentationInput): WrittenSegmentation {
  const { labels, source, author } = input;
  const seriesName = `series "${source.seriesDescription}" (${source.seriesInstanceUid})`;
  const [nx, ny, nz] = source.dims;
  const sliceSize = nx * ny;
  const index = sourceToLabelIndex(labels, source);
  const onSource = new Uint8Array(index.length);
  const counts = new Map<number, number>();
  for (let v = 0; v < index.length; v++) {
    const l = labels.data[index[v]!]!;
    if (l !== 0 && !labelSegments.some((s) => s.label === l))
      throw new DicomSeriesError('grid-mismatch', seriesName, null, 'label value', l, `one of 0, ${labelSegments.map((s) => s.label).join(', ')}`);
    onSource[v] = l;
    if (l) counts.set(l, (counts.get(l) ?? 0) + 1);
  }

  const geometry = planeGeometryFromAffine(source.affine, nz);
  const when = dicomDateTime(input.createdAt ?? new Date());
  const seed = input.uidSeed;
  const sopInstanceUid = deriveUid(seed === undefined ? undefined : `${seed}/seg-instance`);
  const seriesInstanceUid = deriveUid(seed === undefined ? undefined : `${seed}/seg-series`);
  const algorithm = author.kind === 'algorithm';

  // Frames: (segment, slice) pairs with voxels; an empty segment keeps its first slice.
  const frames: { segmentNumber: number; label: number; k: number }[] = [];
  labelSegments.forEach((segment, s) => {
    const segmentNumber = s + 1;
    let any = false;
    for (let k = 0; k < nz; k++) {
      let has = false;
      for (let p = k * sliceSize; p < (k + 1) * sliceSize && !has; p++) has = onSource[p] === segment.label;
      if (has) {
        frames.push({ segmentNumber, label: segment.label, k });
        any = true;
      }
    }
    if (!any) frames.push({ segmentNumber, label: segment.label, k: 0 });
  });
  // BINARY pixels: 1 bit per pixel, frames packed back to back, least significant bit first.
  const totalBits = frames.length * sliceSize;
  const pixelBytes = new Uint8Array(Math.ceil(totalBits / 8) + (Math.ceil(totalBits / 8) % 2));
  let bit = 0;
  for (const f of frames) {
    const base = f.k * sliceSize;
    for (let p = 0; p < sliceSize; p++, bit++) if (onSource[base + p] === f.label) pixelBytes[bit >> 3]! |= 1 << (bit & 7);
  }

  const sourceImage = (k: number) => ({
    ReferencedSOPClassUID: source.instances[k]!.sopClassUid,
    ReferencedSOPInstanceUID: source.instances[k]!.sopInstanceUid,
    PurposeOfReferenceCodeSequence: [codeItem({ value: '121322', scheme: 'DCM', meaning: 'Source image for image processing operation' })],
  });
  const segments = labelSegments.map((segment, s) => ({
    SegmentNumber: s + 1,
    SegmentLabel: segment.segmentLabel,
    SegmentDescription: segment.region,
    SegmentedPropertyCategoryCodeSequence: [codeItem(segment.category)],
    SegmentedPropertyTypeCodeSequence: [codeItem(segment.type)],
    SegmentAlgorithmType: algorithm ? 'AUTOMATIC' : 'MANUAL',
    ...(algorithm
      ? {
          SegmentAlgorithmName: author.name,
          SegmentationAlgorithmIdentificationSequence: [
            {
              AlgorithmFamilyCodeSequence: [codeItem({ value: '123110', scheme: 'DCM', meaning: 'Artificial Intelligence' })],
              AlgorithmName: author.name,
              AlgorithmVersion: author.version,
              ...(author.weightsSha256 ? { AlgorithmParameters: `weights-sha256=${author.weightsSha256}` } : {}),
            },
          ],
        }
      : {}),
    RecommendedDisplayCIELabValue: rgbToDicomLab(segment.rgb),
  }));

  const dataset: Record<string, unknown> = {
    SpecificCharacterSet: 'ISO_IR 100',
    ImageType: ['DERIVED', 'PRIMARY'],
    SOPClassUID: SEGMENTATION_STORAGE,
    SOPInstanceUID: sopInstanceUid,
    StudyDate: source.studyDate,
    SeriesDate: when.date,
    ContentDate: when.date,
    StudyTime: source.studyTime,
    SeriesTime: when.time,
    ContentTime: when.time,
    AccessionNumber: source.accessionNumber,
    Modality: 'SEG',
    Manufacturer: input.manufacturer ?? 'SegTrial',
    ReferringPhysicianName: source.referringPhysicianName,
    SeriesDescription: input.seriesDescription ?? (algorithm ? `AI segmentation ${author.name} ${author.version}` : 'Clinician segmentation'),
    ManufacturerModelName: 'SegTrial',
    ReferencedSeriesSequence: [
      { SeriesInstanceUID: source.seriesInstanceUid, ReferencedInstanceSequence: source.instances.map((s) => ({ ReferencedSOPClassUID: s.sopClassUid, ReferencedSOPInstanceUID: s.sopInstanceUid })) },
    ],
    PatientName: source.patientName,
    PatientID: source.patientId,
    PatientBirthDate: source.patientBirthDate,
    PatientSex: source.patientSex,
    DeviceSerialNumber: '1',
    SoftwareVersions: input.softwareVersion ?? (algorithm ? author.version : 'SegTrial'),
    StudyInstanceUID: source.studyInstanceUid,
    SeriesInstanceUID: seriesInstanceUid,
    StudyID: source.studyId,
    SeriesNumber: String(input.seriesNumber ?? (algorithm ? 900 : 901)),
    InstanceNumber: '1',
    FrameOfReferenceUID: source.frameOfReferenceUid,
    PositionReferenceIndicator: '',
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: deriveUid(`${sopInstanceUid}/dimensions`) }],
    DimensionIndexSequence: [
      {
        DimensionOrganizationUID: deriveUid(`${sopInstanceUid}/dimensions`),
        DimensionIndexPointer: 0x0062000b,
        FunctionalGroupPointer: 0x0062000a,
        DimensionDescriptionLabel: 'ReferencedSegmentNumber',
      },
      { DimensionOrganizationUID: deriveUid(`${sopInstanceUid}/dimensions`), DimensionIndexPointer: 0x00200032, FunctionalGroupPointer: 0x00209113, DimensionDescriptionLabel: 'ImagePositionPatient' },
    ],
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    NumberOfFrames: String(frames.length),
    Rows: ny,
    Columns: nx,
    BitsAllocated: 1,
    BitsStored: 1,
    HighBit: 0,
    PixelRepresentation: 0,
    LossyImageCompression: '00',
    SegmentationType: 'BINARY',
    ContentLabel: algorithm ? 'AI_SEGMENTATION' : 'MANUAL_SEGMENTATION',
    ContentDescription: algorithm ? `${author.name} ${author.version}` : `Segmentation by ${author.creatorName}`,
    ContentCreatorName: algorithm ? '' : author.creatorName,
    SegmentSequence: segments,
    SharedFunctionalGroupsSequence: [
      {
        PlaneOrientationSequence: [{ ImageOrientationPatient: geometry.imageOrientationPatient.map(ds) }],
        PixelMeasuresSequence: [{ PixelSpacing: geometry.pixelSpacing.map(ds), SliceThickness: ds(geometry.sliceSpacing), SpacingBetweenSlices: ds(geometry.sliceSpacing) }],
      },
    ],
    PerFrameFunctionalGroupsSequence: frames.map((f) => ({
      DerivationImageSequence: [
        {
          SourceImageSequence: [sourceImage(f.k)],
          DerivationCodeSequence: [codeItem({ value: '113076', scheme: 'DCM', meaning: 'Segmentation' })],
        },
      ],
      FrameContentSequence: [{ DimensionIndexValues: [f.segmentNumber, f.k + 1] }],
      PlanePositionSequence: [{ ImagePositionPatient: geometry.slices[f.k]!.imagePositionPatient.map(ds) }],
      SegmentIdentificationSequence: [{ ReferencedSegmentNumber: f.segmentNumber }],
    })),
    PixelData: [pixelBytes.buffer],
    _vrMap: { PixelData: 'OB' },
  };
  const spacing = geometry.pixelSpacing[0] * geometry.pixelSpacing[1] * geometry.sliceSpacing;
  return {
    bytes: encodeDicom(dataset),
    sopInstanceUid,
    seriesInstanceUid,
    segments: labelSegments.map((s, i) => ({ label: s.label, segmentNumber: i + 1, voxels: counts.get(s.label) ?? 0 })),
    voxelVolumeMm3: spacing,
  };
}
