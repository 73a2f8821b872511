/**
 * A whole scanner-like MR study from four volumes: one series per sequence (./write-mr-series.ts,
 * the protocols of ./mr-protocols.ts) sharing a study and a frame of reference, plus a three-slice
 * localizer series as scanners write first — which any importer must ignore. The demo PACS and the
 * PACS tests are filled with this.
 */
import type { Volume } from '../volume';
import { dicomDateTime, ds, encodeDicom } from './encode-dicom';
import type { MrSequenceKind } from './mr-protocols';
import { deriveUid } from './uid';
import { MR_IMAGE_STORAGE, writeMrSeries, type DicomFile, type MrPatient, type MrStudy } from './write-mr-series';

export interface MrStudyFiles {
  readonly studyInstanceUid: string;
  readonly series: { readonly role: MrSequenceKind | 'localizer'; readonly seriesInstanceUid: string; readonly description: string; readonly files: DicomFile[] }[];
}

const order: MrSequenceKind[] = ['t1', 'flair', 't2', 't1gd'];

/** A 3-plane localizer: one 64×64 slice per plane through the origin of the T1gd grid. */
function localizer(patient: MrPatient, study: MrStudy, frameOfReferenceUid: string, seed: string | undefined): { seriesInstanceUid: string; files: DicomFile[] } {
  const seriesInstanceUid = deriveUid(seed === undefined ? undefined : `${seed}/localizer`);
  const when = dicomDateTime(study.date);
  const planes: [number[], string][] = [
    [[1, 0, 0, 0, 1, 0], 'AXIAL'],
    [[0, 1, 0, 0, 0, -1], 'SAGITTAL'],
    [[1, 0, 0, 0, 0, -1], 'CORONAL'],
  ];
  const files = planes.map(([iop], i) => {
    const pixels = new Uint16Array(64 * 64).map((_, p) => ((p % 64) ^ Math.floor(p / 64)) & 0xff);
    const sop = deriveUid(seed === undefined ? undefined : `${seed}/localizer/${i}`);
    return {
      name: `${String(i + 1).padStart(4, '0')}.dcm`,
      bytes: encodeDicom({
        SpecificCharacterSet: 'ISO_IR 100',
        ImageType: ['ORIGINAL', 'PRIMARY', 'LOCALIZER'],
        SOPClassUID: MR_IMAGE_STORAGE,
        SOPInstanceUID: sop,
        StudyDate: when.date,
        StudyTime: when.time,
        AccessionNumber: study.accessionNumber ?? '',
        Modality: 'MR',
        Manufacturer: 'SegTrial',
        ReferringPhysicianName: '',
        StudyDescription: study.description ?? 'MRI BRAIN WITH AND WITHOUT CONTRAST',
        SeriesDescription: '3-PLANE LOC',
        PatientName: patient.name ?? `${patient.id}^`,
        PatientID: patient.id,
        PatientBirthDate: patient.birthDate ?? '',
        PatientSex: patient.sex ?? '',
        ScanningSequence: ['GR'],
        SequenceVariant: ['SP'],
        ScanOptions: [],
        MRAcquisitionType: '2D',
        SliceThickness: '8',
        RepetitionTime: '8.6',
        EchoTime: '4',
        EchoTrainLength: '1',
        ProtocolName: 'LOCALIZER',
        StudyInstanceUID: study.studyInstanceUid,
        SeriesInstanceUID: seriesInstanceUid,
        StudyID: study.studyId ?? '1',
        SeriesNumber: '1',
        InstanceNumber: String(i + 1),
        ImagePositionPatient: [-120, -120, 0].map(ds),
        ImageOrientationPatient: iop.map(ds),
        FrameOfReferenceUID: frameOfReferenceUid,
        PositionReferenceIndicator: '',
        SamplesPerPixel: 1,
        PhotometricInterpretation: 'MONOCHROME2',
        Rows: 64,
        Columns: 64,
        PixelSpacing: ['3.75', '3.75'],
        BitsAllocated: 16,
        BitsStored: 12,
        HighBit: 11,
        PixelRepresentation: 0,
        PixelData: [pixels.buffer],
        _vrMap: { PixelData: 'OW' },
      }),
    };
  });
  return { seriesInstanceUid, files };
}

export function writeMrStudy({ images, patient, study, uidSeed }: { images: Readonly<Record<MrSequenceKind, Volume>>; patient: MrPatient; study: MrStudy; uidSeed?: string }): MrStudyFiles {
  const frameOfReferenceUid = deriveUid(`${study.studyInstanceUid}/frame-of-reference`);
  const loc = localizer(patient, study, frameOfReferenceUid, uidSeed);
  const series: MrStudyFiles['series'] = [{ role: 'localizer', seriesInstanceUid: loc.seriesInstanceUid, description: '3-PLANE LOC', files: loc.files }];
  order.forEach((role, i) => {
    const s = writeMrSeries({ volume: images[role], protocol: role, patient, study, seriesNumber: i + 2, frameOfReferenceUid, ...(uidSeed === undefined ? {} : { uidSeed: `${uidSeed}/${role}` }) });
    series.push({ role, seriesInstanceUid: s.seriesInstanceUid, description: '', files: s.files });
  });
  return { studyInstanceUid: study.studyInstanceUid, series };
}
