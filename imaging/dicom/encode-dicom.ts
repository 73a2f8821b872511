/**
 * A naturalized DICOM data set (keyword → value, as dcmjs names them) → a Part 10 file in explicit
 * VR little endian. dcmjs does the encoding; the writers in this folder decide the content.
 */
import dcmjs from 'dcmjs';

export type DicomDataset = Record<string, unknown>;

/** Implementation Class UID of SegTrial's writers (a fixed 2.25 UID). */
export const IMPLEMENTATION_CLASS_UID = '2.25.270140148755463963717346212151006476103';
export const IMPLEMENTATION_VERSION = 'SEGTRIAL_1';
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

export function encodeDicom(dataset: DicomDataset): Uint8Array {
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset.SOPClassUID,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: IMPLEMENTATION_VERSION,
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(dict.write());
}

/** Read a Part 10 file into a naturalized data set (pixel data as ArrayBuffers). */
export function decodeDicom(bytes: Uint8Array): DicomDataset {
  const { DicomMessage, DicomMetaDictionary } = dcmjs.data;
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const file = DicomMessage.readFile(buffer, { untilTag: undefined });
  return DicomMetaDictionary.naturalizeDataset(file.dict);
}

/** A Decimal String value (at most 16 characters) for a number. */
export function ds(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  for (let digits = 10; digits >= 1; digits--) {
    const s = String(Number(value.toPrecision(digits)));
    if (s.length <= 16) return s;
  }
  return value.toExponential(6);
}

/** DICOM date (YYYYMMDD) and time (HHMMSS) of an instant, in UTC. */
export function dicomDateTime(at: Date): { date: string; time: string } {
  const iso = at.toISOString();
  return { date: iso.slice(0, 10).replace(/-/g, ''), time: iso.slice(11, 19).replace(/:/g, '') };
}
