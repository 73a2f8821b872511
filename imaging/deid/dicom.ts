/**
 * DICOM de-identification record, following the PS3.15 Annex E Basic Application Level Confidentiality
 * Profile. SegTrial never stores DICOM: a series is converted to a volume that keeps only the voxel
 * values and the geometry (origin, spacing, direction), and the converter (@itk-wasm/dicom) returns no
 * attributes at all. So every attribute the profile names is removed by construction; what this module
 * adds is the evidence — it walks each file's data set (without decoding pixels) and lists which
 * identifying attributes were present, with the profile's action and what was done ('not-carried').
 * Private attributes (odd groups) are counted too: the basic profile removes them.
 */
import type { DeidAction } from './nifti';

/** Tag (gggg,eeee as 8 hex digits) → keyword and PS3.15 basic-profile action code (X remove, Z zero, D dummy, U new UID). */
export const basicProfile: Readonly<Record<string, readonly [keyword: string, action: string]>> = {
  '00020003': ['MediaStorageSOPInstanceUID', 'U'],
  '00080012': ['InstanceCreationDate', 'X'],
  '00080013': ['InstanceCreationTime', 'X'],
  '00080014': ['InstanceCreatorUID', 'U'],
  '00080018': ['SOPInstanceUID', 'U'],
  '00080020': ['StudyDate', 'Z'],
  '00080021': ['SeriesDate', 'X'],
  '00080022': ['AcquisitionDate', 'X'],
  '00080023': ['ContentDate', 'Z'],
  '00080030': ['StudyTime', 'Z'],
  '00080031': ['SeriesTime', 'X'],
  '00080032': ['AcquisitionTime', 'X'],
  '00080033': ['ContentTime', 'Z'],
  '00080050': ['AccessionNumber', 'Z'],
  '00080080': ['InstitutionName', 'X'],
  '00080081': ['InstitutionAddress', 'X'],
  '00080090': ['ReferringPhysicianName', 'Z'],
  '00080092': ['ReferringPhysicianAddress', 'X'],
  '00080094': ['ReferringPhysicianTelephoneNumbers', 'X'],
  '00081010': ['StationName', 'X'],
  '00081030': ['StudyDescription', 'X'],
  '0008103E': ['SeriesDescription', 'X'],
  '00081040': ['InstitutionalDepartmentName', 'X'],
  '00081048': ['PhysiciansOfRecord', 'X'],
  '00081050': ['PerformingPhysicianName', 'X'],
  '00081060': ['NameOfPhysiciansReadingStudy', 'X'],
  '00081070': ['OperatorsName', 'X'],
  '00081080': ['AdmittingDiagnosesDescription', 'X'],
  '00082111': ['DerivationDescription', 'X'],
  '00100010': ['PatientName', 'Z'],
  '00100020': ['PatientID', 'Z'],
  '00100030': ['PatientBirthDate', 'Z'],
  '00100032': ['PatientBirthTime', 'X'],
  '00100040': ['PatientSex', 'Z'],
  '00101000': ['OtherPatientIDs', 'X'],
  '00101001': ['OtherPatientNames', 'X'],
  '00101010': ['PatientAge', 'X'],
  '00101020': ['PatientSize', 'X'],
  '00101030': ['PatientWeight', 'X'],
  '00101040': ['PatientAddress', 'X'],
  '00102154': ['PatientTelephoneNumbers', 'X'],
  '00102160': ['EthnicGroup', 'X'],
  '00104000': ['PatientComments', 'X'],
  '00181000': ['DeviceSerialNumber', 'X'],
  '00181030': ['ProtocolName', 'X'],
  '0020000D': ['StudyInstanceUID', 'U'],
  '0020000E': ['SeriesInstanceUID', 'U'],
  '00200010': ['StudyID', 'Z'],
  '00200052': ['FrameOfReferenceUID', 'U'],
  '00204000': ['ImageComments', 'X'],
  '00321032': ['RequestingPhysician', 'X'],
  '00321060': ['RequestedProcedureDescription', 'X'],
  '00400244': ['PerformedProcedureStepStartDate', 'X'],
  '00400253': ['PerformedProcedureStepID', 'X'],
  '00400254': ['PerformedProcedureStepDescription', 'X'],
};

export interface DicomScan {
  /** Tags (8 hex digits) present with a non-empty value, in file order, top level and inside sequences. */
  readonly tags: string[];
  readonly privateTags: number;
  /** SeriesInstanceUID (0020,000E), '' when absent. */
  readonly seriesUid: string;
  /** ImagePositionPatient (0020,0032), ImageOrientationPatient (0020,0037), SliceThickness (0018,0050) when present (for the slice-gap check). */
  readonly imagePosition?: number[];
  readonly imageOrientation?: number[];
  readonly sliceThicknessMm?: number;
  /**
   * False when the walk stopped before the pixel data or the pixel data is shorter than declared
   * (truncated, or something it could not follow): the record is then a lower bound and the file is refused.
   */
  readonly complete: boolean;
}

const longVRs = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');

/** True when the bytes have the DICOM Part 10 preamble marker 'DICM' at offset 128. */
export function isDicomPart10(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

/** List the attributes present in a Part 10 file (little-endian transfer syntaxes; pixel data skipped). */
export function scanDicom(bytes: Uint8Array): DicomScan {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tags: string[] = [];
  let privateTags = 0;
  let explicit = true;
  let complete = true;
  let steps = 0;
  let seriesUid = '';
  let imagePosition: number[] | undefined, imageOrientation: number[] | undefined, sliceThicknessMm: number | undefined;
  const decimals = (pos: number, len: number) =>
    new TextDecoder('latin1')
      .decode(bytes.subarray(pos, pos + len))
      .replace(/[\0 ]+$/, '')
      .split('\\')
      .map(Number);
  let sawPixelData = false;
  // Walk [pos, end) and return where it stopped; `explicitVR` per data set (meta group is always explicit).
  const walk = (start: number, end: number, depth: number): number => {
    let pos = start;
    while (pos + 8 <= end) {
      if (++steps > 1_000_000 || depth > 16) {
        complete = false;
        return end;
      }
      const group = view.getUint16(pos, true);
      const element = view.getUint16(pos + 2, true);
      if (group === 0xfffe) {
        // Item / delimiters: the length follows the tag directly.
        const len = view.getUint32(pos + 4, true);
        pos += 8;
        if (element === 0xe00d || element === 0xe0dd) return pos;
        if (element === 0xe000) pos = len === 0xffffffff ? walk(pos, end, depth + 1) : Math.min(end, walkFixed(pos, pos + len, depth + 1));
        continue;
      }
      const isExplicit = group === 0x0002 || explicit;
      let vr = '';
      let len: number;
      if (isExplicit) {
        vr = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!);
        if (longVRs.has(vr)) {
          if (pos + 12 > end) {
            complete = false;
            return end;
          }
          len = view.getUint32(pos + 8, true);
          pos += 12;
        } else {
          len = view.getUint16(pos + 6, true);
          pos += 8;
        }
      } else {
        len = view.getUint32(pos + 4, true);
        pos += 8;
      }
      const tag = hex(group) + hex(element);
      if (group === 0x7fe0 && element === 0x0010 && depth === 0) {
        // Nothing identifying follows the pixels in practice; a declared length past the end is a truncated file.
        sawPixelData = len === 0xffffffff || pos + len <= end;
        return end;
      }
      if (group === 0x0002 && element === 0x0010) {
        const ts = new TextDecoder('latin1').decode(bytes.subarray(pos, pos + len)).replace(/[\0 ]+$/, '');
        explicit = ts !== '1.2.840.10008.1.2';
        if (ts === '1.2.840.10008.1.2.2') {
          complete = false;
          return end;
        } // explicit big endian: retired, not walked
      }
      if (len === 0xffffffff) {
        // Undefined length: a sequence (or encapsulated data) ending in a delimiter.
        if (group % 2 === 1) privateTags++;
        else tags.push(tag);
        pos = walk(pos, end, depth + 1);
        continue;
      }
      if (pos + len > end) {
        complete = false;
        return end;
      }
      if (depth === 0 && tag === '0020000E') seriesUid = new TextDecoder('latin1').decode(bytes.subarray(pos, pos + len)).replace(/[\0 ]+$/, '');
      if (depth === 0 && tag === '00200032') imagePosition = decimals(pos, len);
      if (depth === 0 && tag === '00200037') imageOrientation = decimals(pos, len);
      if (depth === 0 && tag === '00180050') sliceThicknessMm = decimals(pos, len)[0];
      if (len > 0) {
        if (group % 2 === 1) privateTags++;
        else tags.push(tag);
      }
      pos = vr === 'SQ' && len > 0 ? walkFixed(pos, pos + len, depth + 1) : pos + len;
    }
    return pos;
  };
  const walkFixed = (start: number, end: number, depth: number): number => {
    walk(start, end, depth);
    return end;
  };
  if (!isDicomPart10(bytes)) return { tags, privateTags, seriesUid, complete: false };
  walk(132, bytes.length, 0);
  return { tags, privateTags, seriesUid, complete: complete && sawPixelData, imagePosition, imageOrientation, sliceThicknessMm };
}

/** The de-identification record for a converted series: one action per profile attribute found, plus private attributes. */
export function dicomDeidActions(scans: readonly DicomScan[]): DeidAction[] {
  const counts = new Map<string, number>();
  let privateTags = 0;
  for (const s of scans) {
    for (const t of s.tags) if (basicProfile[t]) counts.set(t, (counts.get(t) ?? 0) + 1);
    privateTags += s.privateTags;
  }
  const actions: DeidAction[] = [...counts.entries()].map(([tag, n]) => {
    const [keyword, code] = basicProfile[tag]!;
    return { field: `(${tag.slice(0, 4)},${tag.slice(4)}) ${keyword} [basic profile: ${code}]`, action: 'not-carried' as const, count: n };
  });
  if (privateTags > 0) actions.push({ field: 'private attributes [basic profile: X]', action: 'not-carried', count: privateTags });
  return actions;
}
