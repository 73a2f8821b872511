/**
 * One volume → one MR Image Storage series (PS3.3 A.4): a single-frame instance per slice with the
 * grid in ImagePositionPatient / ImageOrientationPatient / PixelSpacing / SliceThickness (see
 * ./plane-geometry.ts), 16-bit unsigned pixels, and the acquisition attributes of the sequence's
 * protocol (./mr-protocols.ts). It is how the demo PACS gets scanner-like series from NIfTI volumes.
 *
 * Pixels: integer volumes within 0…65535 are stored as they are; anything else (float, negative)
 * is scaled linearly from [min, max] onto 0…4095 (BitsStored 12, as most MR scanners store), the
 * same scale for every slice, so intensities keep their order and ratios up to rounding.
 */
import type { Volume } from '../volume';
import { dicomDateTime, ds, encodeDicom } from './encode-dicom';
import { mrProtocols, type MrProtocol, type MrSequenceKind } from './mr-protocols';
import { planeGeometryFromAffine } from './plane-geometry';
import { deriveUid } from './uid';

export const MR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.4';

export interface MrPatient {
  readonly id: string;
  /** DICOM person name (Family^Given); default: the id. */
  readonly name?: string;
  /** YYYYMMDD, or '' (unknown). */
  readonly birthDate?: string;
  readonly sex?: 'M' | 'F' | 'O' | '';
}

export interface MrStudy {
  readonly studyInstanceUid: string;
  readonly date: Date;
  readonly accessionNumber?: string;
  readonly description?: string;
  readonly studyId?: string;
}

export interface WriteMrSeriesInput {
  readonly volume: Volume;
  /** The sequence's protocol (description, timing…), or a preset name. */
  readonly protocol: MrSequenceKind | MrProtocol;
  readonly patient: MrPatient;
  readonly study: MrStudy;
  readonly seriesNumber: number;
  /** Overrides the protocol's SeriesDescription. */
  readonly seriesDescription?: string;
  /** Shared by the study's series when they are on one scanner frame (default: derived from the study UID). */
  readonly frameOfReferenceUid?: string;
  /** Seed for the series and instance UIDs (same seed, same UIDs); default: random. */
  readonly uidSeed?: string;
  readonly manufacturer?: string;
  readonly institutionName?: string;
}

export interface DicomFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface MrSeries {
  readonly seriesInstanceUid: string;
  readonly sopInstanceUids: string[];
  readonly files: DicomFile[];
}

function toStoredPixels(data: ArrayLike<number>): { pixels: Uint16Array; bitsStored: number } {
  let min = Infinity;
  let max = -Infinity;
  let integral = true;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    if (integral && !Number.isInteger(v)) integral = false;
  }
  const pixels = new Uint16Array(data.length);
  if (integral && min >= 0 && max <= 65535) {
    for (let i = 0; i < data.length; i++) pixels[i] = data[i]!;
    const bitsStored = Math.max(8, Math.ceil(Math.log2(max + 1)));
    return { pixels, bitsStored };
  }
  const scale = max > min ? 4095 / (max - min) : 0;
  for (let i = 0; i < data.length; i++) pixels[i] = Math.round((data[i]! - min) * scale);
  return { pixels, bitsStored: 12 };
}

export function writeMrSeries(input: WriteMrSeriesInput): MrSeries {
  const { volume, patient, study } = input;
  const protocol = typeof input.protocol === 'string' ? mrProtocols[input.protocol] : input.protocol;
  const [nx, ny, nz] = volume.dims;
  const geometry = planeGeometryFromAffine(volume.affine, nz);
  const { pixels, bitsStored } = toStoredPixels(volume.data);
  const seed = input.uidSeed;
  const seriesInstanceUid = deriveUid(seed === undefined ? undefined : `${seed}/series`);
  const frameOfReferenceUid = input.frameOfReferenceUid ?? deriveUid(`${study.studyInstanceUid}/frame-of-reference`);
  const when = dicomDateTime(study.date);
  const sliceSize = nx * ny;
  const sopInstanceUids: string[] = [];
  const files: DicomFile[] = [];
  for (let k = 0; k < nz; k++) {
    const sopInstanceUid = deriveUid(seed === undefined ? undefined : `${seed}/instance/${k}`);
    const slice = pixels.slice(k * sliceSize, (k + 1) * sliceSize);
    let lo = 65535;
    let hi = 0;
    for (const v of slice) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const position = geometry.slices[k]!.imagePositionPatient;
    const dataset: Record<string, unknown> = {
      SpecificCharacterSet: 'ISO_IR 100',
      ImageType: ['ORIGINAL', 'PRIMARY', 'OTHER'],
      SOPClassUID: MR_IMAGE_STORAGE,
      SOPInstanceUID: sopInstanceUid,
      StudyDate: when.date,
      SeriesDate: when.date,
      ContentDate: when.date,
      StudyTime: when.time,
      SeriesTime: when.time,
      ContentTime: when.time,
      AccessionNumber: study.accessionNumber ?? '',
      Modality: 'MR',
      Laterality: '',
      Manufacturer: input.manufacturer ?? 'SegTrial',
      InstitutionName: input.institutionName ?? 'SegTrial demo site',
      ReferringPhysicianName: '',
      StudyDescription: study.description ?? 'MRI BRAIN WITH AND WITHOUT CONTRAST',
      SeriesDescription: input.seriesDescription ?? protocol.seriesDescription,
      ManufacturerModelName: 'SegTrial converter',
      PatientName: patient.name ?? `${patient.id}^`,
      PatientID: patient.id,
      PatientBirthDate: patient.birthDate ?? '',
      PatientSex: patient.sex ?? '',
      ScanningSequence: protocol.scanningSequence,
      SequenceVariant: protocol.sequenceVariant,
      ScanOptions: protocol.scanOptions,
      MRAcquisitionType: protocol.mrAcquisitionType,
      SliceThickness: ds(geometry.sliceSpacing),
      RepetitionTime: ds(protocol.repetitionTime),
      EchoTime: ds(protocol.echoTime),
      ...(protocol.inversionTime !== undefined ? { InversionTime: ds(protocol.inversionTime) } : {}),
      MagneticFieldStrength: '3',
      SpacingBetweenSlices: ds(geometry.sliceSpacing),
      EchoTrainLength: String(protocol.echoTrainLength),
      ProtocolName: protocol.protocolName,
      FlipAngle: ds(protocol.flipAngle),
      PatientPosition: 'HFS',
      ...(protocol.contrastAgent !== undefined ? { ContrastBolusAgent: protocol.contrastAgent } : {}),
      StudyInstanceUID: study.studyInstanceUid,
      SeriesInstanceUID: seriesInstanceUid,
      StudyID: study.studyId ?? '1',
      SeriesNumber: String(input.seriesNumber),
      InstanceNumber: String(k + 1),
      ImagePositionPatient: position.map(ds),
      ImageOrientationPatient: geometry.imageOrientationPatient.map(ds),
      FrameOfReferenceUID: frameOfReferenceUid,
      PositionReferenceIndicator: '',
      SliceLocation: ds(position[2]),
      SamplesPerPixel: 1,
      PhotometricInterpretation: 'MONOCHROME2',
      Rows: ny,
      Columns: nx,
      PixelSpacing: geometry.pixelSpacing.map(ds),
      BitsAllocated: 16,
      BitsStored: bitsStored,
      HighBit: bitsStored - 1,
      PixelRepresentation: 0,
      SmallestImagePixelValue: lo,
      LargestImagePixelValue: hi,
      PixelData: [slice.buffer],
      _vrMap: { PixelData: 'OW', SmallestImagePixelValue: 'US', LargestImagePixelValue: 'US' },
    };
    sopInstanceUids.push(sopInstanceUid);
    files.push({ name: `${String(k + 1).padStart(4, '0')}.dcm`, bytes: encodeDicom(dataset) });
  }
  return { seriesInstanceUid, sopInstanceUids, files };
}
