/**
 * The volume of each segmented region as a DICOM Structured Report following TID 1500 "Measurement
 * Report" (PS3.16), with one TID 1411 "Volumetric ROI Measurements" group per segment of a SEG
 * written by ./write-segmentation.ts: tracking identifier and UID, the finding (the segment's coded
 * type), the referenced segment (SEG instance + segment number), the source series, and the volume
 * in cm³ (= ml). The observer is the device (the AI model) or the person (the clinician) who made
 * the segmentation. Stored as Comprehensive SR, as dcmqi and highdicom do.
 */
import { dicomDateTime, ds, encodeDicom } from './encode-dicom';
import type { SeriesHeader } from './read-series';
import { codeItem, labelSegments, type Code } from './segment-codes';
import { deriveUid } from './uid';
import { SEGMENTATION_STORAGE, type SegmentationAuthor, type WrittenSegmentation } from './write-segmentation';

export const COMPREHENSIVE_SR_STORAGE = '1.2.840.10008.5.1.4.1.1.88.33';

export interface WriteVolumeReportInput {
  readonly source: SeriesHeader;
  readonly segmentation: WrittenSegmentation;
  readonly author: SegmentationAuthor;
  readonly seriesNumber?: number;
  readonly createdAt?: Date;
  readonly uidSeed?: string;
  readonly manufacturer?: string;
}

export interface WrittenVolumeReport {
  readonly bytes: Uint8Array;
  readonly sopInstanceUid: string;
  readonly seriesInstanceUid: string;
  /** cm³ per label. */
  readonly volumesMl: Record<number, number>;
}

const dcm = (value: string, meaning: string): Code => ({ value, scheme: 'DCM', meaning });
const item = (relationship: string, valueType: string, concept: Code, value: Record<string, unknown> = {}) => ({
  RelationshipType: relationship,
  ValueType: valueType,
  ConceptNameCodeSequence: [codeItem(concept)],
  ...value,
});

export function writeVolumeReport(input: WriteVolumeReportInput): WrittenVolumeReport {
  const { source, segmentation, author } = input;
  const when = dicomDateTime(input.createdAt ?? new Date());
  const seed = input.uidSeed;
  const sopInstanceUid = deriveUid(seed === undefined ? undefined : `${seed}/sr-instance`);
  const seriesInstanceUid = deriveUid(seed === undefined ? undefined : `${seed}/sr-series`);
  const device = author.kind === 'algorithm';
  const volumesMl: Record<number, number> = {};

  const observer = device
    ? [
        item('HAS OBS CONTEXT', 'CODE', dcm('121005', 'Observer Type'), { ConceptCodeSequence: [codeItem(dcm('121007', 'Device'))] }),
        item('HAS OBS CONTEXT', 'UIDREF', dcm('121012', 'Device Observer UID'), { UID: deriveUid(`device/${author.name}/${author.version}`) }),
        item('HAS OBS CONTEXT', 'TEXT', dcm('121013', 'Device Observer Name'), { TextValue: `${author.name} ${author.version}` }),
      ]
    : [
        item('HAS OBS CONTEXT', 'CODE', dcm('121005', 'Observer Type'), { ConceptCodeSequence: [codeItem(dcm('121006', 'Person'))] }),
        item('HAS OBS CONTEXT', 'PNAME', dcm('121008', 'Person Observer Name'), { PersonName: author.creatorName }),
      ];

  const groups = segmentation.segments.map((s) => {
    const segment = labelSegments.find((l) => l.label === s.label)!;
    const ml = (s.voxels * segmentation.voxelVolumeMm3) / 1000;
    volumesMl[s.label] = ml;
    return item('CONTAINS', 'CONTAINER', dcm('125007', 'Measurement Group'), {
      ContinuityOfContent: 'SEPARATE',
      ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '1411' }],
      ContentSequence: [
        item('HAS OBS CONTEXT', 'TEXT', dcm('112039', 'Tracking Identifier'), { TextValue: segment.segmentLabel }),
        item('HAS OBS CONTEXT', 'UIDREF', dcm('112040', 'Tracking Unique Identifier'), { UID: deriveUid(`${segmentation.sopInstanceUid}/tracking/${s.segmentNumber}`) }),
        item('CONTAINS', 'CODE', dcm('121071', 'Finding'), { ConceptCodeSequence: [codeItem(segment.type)] }),
        item('CONTAINS', 'IMAGE', dcm('121191', 'Referenced Segment'), {
          ReferencedSOPSequence: [{ ReferencedSOPClassUID: SEGMENTATION_STORAGE, ReferencedSOPInstanceUID: segmentation.sopInstanceUid, ReferencedSegmentNumber: s.segmentNumber }],
        }),
        item('CONTAINS', 'UIDREF', dcm('121232', 'Source series for segmentation'), { UID: source.seriesInstanceUid }),
        item(
          'CONTAINS',
          'NUM',
          { value: '118565006', scheme: 'SCT', meaning: 'Volume' },
          {
            MeasuredValueSequence: [{ NumericValue: ds(ml), MeasurementUnitsCodeSequence: [codeItem({ value: 'cm3', scheme: 'UCUM', meaning: 'cubic centimeter' })] }],
          },
        ),
      ],
    });
  });

  const dataset: Record<string, unknown> = {
    SpecificCharacterSet: 'ISO_IR 100',
    SOPClassUID: COMPREHENSIVE_SR_STORAGE,
    SOPInstanceUID: sopInstanceUid,
    StudyDate: source.studyDate,
    SeriesDate: when.date,
    ContentDate: when.date,
    StudyTime: source.studyTime,
    SeriesTime: when.time,
    ContentTime: when.time,
    AccessionNumber: source.accessionNumber,
    Modality: 'SR',
    Manufacturer: input.manufacturer ?? 'SegTrial',
    ReferringPhysicianName: source.referringPhysicianName,
    SeriesDescription: device ? `AI tumour volumes ${author.name} ${author.version}` : 'Clinician tumour volumes',
    ReferencedPerformedProcedureStepSequence: [],
    PatientName: source.patientName,
    PatientID: source.patientId,
    PatientBirthDate: source.patientBirthDate,
    PatientSex: source.patientSex,
    StudyInstanceUID: source.studyInstanceUid,
    SeriesInstanceUID: seriesInstanceUid,
    StudyID: source.studyId,
    SeriesNumber: String(input.seriesNumber ?? (device ? 910 : 911)),
    InstanceNumber: '1',
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [codeItem(dcm('126000', 'Imaging Measurement Report'))],
    ContinuityOfContent: 'SEPARATE',
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '1500' }],
    CompletionFlag: 'COMPLETE',
    VerificationFlag: 'UNVERIFIED',
    CurrentRequestedProcedureEvidenceSequence: [
      {
        StudyInstanceUID: source.studyInstanceUid,
        ReferencedSeriesSequence: [
          { SeriesInstanceUID: source.seriesInstanceUid, ReferencedSOPSequence: source.instances.map((i) => ({ ReferencedSOPClassUID: i.sopClassUid, ReferencedSOPInstanceUID: i.sopInstanceUid })) },
          { SeriesInstanceUID: segmentation.seriesInstanceUid, ReferencedSOPSequence: [{ ReferencedSOPClassUID: SEGMENTATION_STORAGE, ReferencedSOPInstanceUID: segmentation.sopInstanceUid }] },
        ],
      },
    ],
    PerformedProcedureCodeSequence: [],
    ContentSequence: [
      item('HAS CONCEPT MOD', 'CODE', dcm('121049', 'Language of Content Item and Descendants'), { ConceptCodeSequence: [codeItem({ value: 'eng', scheme: 'RFC5646', meaning: 'English' })] }),
      ...observer,
      item('HAS CONCEPT MOD', 'CODE', dcm('121058', 'Procedure reported'), { ConceptCodeSequence: [codeItem({ value: '113091000', scheme: 'SCT', meaning: 'Magnetic resonance imaging' })] }),
      item('CONTAINS', 'CONTAINER', dcm('111028', 'Image Library'), {
        ContinuityOfContent: 'SEPARATE',
        ContentSequence: [
          item('CONTAINS', 'CONTAINER', dcm('126200', 'Image Library Group'), {
            ContinuityOfContent: 'SEPARATE',
            ContentSequence: source.instances.map((i) => ({
              RelationshipType: 'CONTAINS',
              ValueType: 'IMAGE',
              ReferencedSOPSequence: [{ ReferencedSOPClassUID: i.sopClassUid, ReferencedSOPInstanceUID: i.sopInstanceUid }],
            })),
          }),
        ],
      }),
      item('CONTAINS', 'CONTAINER', dcm('126010', 'Imaging Measurements'), { ContinuityOfContent: 'SEPARATE', ContentSequence: groups }),
    ],
  };
  return { bytes: encodeDicom(dataset), sopInstanceUid, seriesInstanceUid, volumesMl };
}
