/**
 * A DICOM series the platform refuses: names the series (description and UID), the slice (instance
 * number and SOP Instance UID) where it can, the field, the value found and the value expected.
 */
export type DicomSeriesErrorCode =
  /** Not a readable Part 10 file, or an attribute the geometry needs is absent. */
  | 'unreadable'
  /** Enhanced (multi-frame) MR or any multi-frame image: refused by name, never read as one slice. */
  | 'multiframe'
  /** A localizer (scout): never a sequence of the study. */
  | 'localizer'
  /** The slices' positions leave a gap of about a whole slice or more. */
  | 'missing-slice'
  /** Slice gaps, pixel spacing or matrix differ between slices. */
  | 'inconsistent-spacing'
  /** The slices do not share one ImageOrientationPatient. */
  | 'mixed-orientation'
  /** A label map that does not fit the source series' grid. */
  | 'grid-mismatch';

export class DicomSeriesError extends Error {
  constructor(
    readonly code: DicomSeriesErrorCode,
    readonly series: string,
    readonly slice: string | null,
    readonly field: string,
    readonly found: string | number,
    readonly expected: string,
  ) {
    super(`${series}${slice ? `, ${slice}` : ''}: ${field} is ${String(found)}, expected ${expected}`);
    this.name = 'DicomSeriesError';
  }
}
