/**
 * The one error type the ingest pipeline throws for bad input. Every rejection names the file (as
 * uploaded), the field or decoded quantity at fault, the value found and the value expected, and has
 * a stable machine-readable `code` the server can map to an HTTP status or a UI message.
 */
import { VolumeFormatError } from '../errors';

export type IngestErrorCode =
  /** A sequence role (flair, t1, t1gd, t2) has no file, or a file has no known role. */
  | 'missing-sequence'
  | 'unknown-sequence'
  /** Not a NIfTI/DICOM/zip the pipeline reads: wrong magic, .gz that is not gzip, unknown datatype… */
  | 'format'
  /** The file is shorter or longer than its header says (truncated, or trailing junk in a .gz). */
  | 'size-mismatch'
  /** Dimensions, spacing or voxel count outside the accepted range (checked before allocating). */
  | 'dimensions'
  /** Decompression or unpacking would exceed the byte budget (gzip/zip bombs). */
  | 'too-large'
  /** Parsing took longer than the time budget. */
  | 'timeout'
  /** NaN or infinite voxel values. */
  | 'non-finite'
  /** Every voxel has the same value. */
  | 'constant'
  /** The sequences do not describe the same patient space (orientation, overlap, spacing). */
  | 'geometry-mismatch'
  /** A DICOM series that cannot be converted (mixed series, missing geometry…). */
  | 'dicom'
  /** Registration could not align a sequence to the T1gd (quality check failed). */
  | 'registration'
  /** A 4D file whose fourth dimension is not the four sequences (FLAIR, T1, T1gd, T2). */
  | 'channels'
  /** A dataset.json that cannot be read, or names a modality we do not know. */
  | 'dataset-json'
  /** Two files claim the same sequence. */
  | 'duplicate-sequence'
  /** The upload holds more than one case (different case ids, or more than one 4D file). */
  | 'multiple-cases'
  /** A series whose slices leave gaps (spacing beyond the slice thickness, or missing slices). */
  | 'slice-gaps';

export class IngestError extends Error {
  constructor(
    readonly code: IngestErrorCode,
    readonly file: string,
    readonly field: string,
    readonly found: string | number,
    readonly expected: string,
  ) {
    super(`${file}: ${field} is ${String(found)}, expected ${expected}`);
    this.name = 'IngestError';
  }
}

/** Map the NIfTI reader's VolumeFormatError onto an IngestError code by the field it names. */
export function fromVolumeFormatError(e: VolumeFormatError): IngestError {
  const f = e.field;
  const code: IngestErrorCode = f === 'decompressed size' ? 'too-large' : f === 'image data length' || f === 'file size' ? 'size-mismatch' : /^dim\[|^voxel count$/.test(f) ? 'dimensions' : 'format';
  return new IngestError(code, e.file, f, e.found, e.expected);
}

/** Rethrow anything thrown by a reader as an IngestError (unknown errors become 'format'). */
export function asIngestError(e: unknown, file: string, field = 'content'): IngestError {
  if (e instanceof IngestError) return e;
  if (e instanceof VolumeFormatError) return fromVolumeFormatError(e);
  return new IngestError('format', file, field, e instanceof Error ? e.message : String(e), 'a readable file');
}
