/**
 * What the ingest pipeline accepts. Every bound is checked before the memory it guards is allocated:
 * dimensions and voxel counts from the header, decompressed sizes while inflating, zip entry sizes
 * from the central directory (and again while inflating).
 */
export interface IngestLimits {
  /** Largest uploaded file (compressed bytes), default 512 MiB. */
  maxFileBytes: number;
  /** Largest voxel count per volume, default 2^25 (33.5 M voxels, 128 MiB as float32; 512×512×128). */
  maxVoxels: number;
  /** Largest size of any dimension, default 1024. */
  maxDim: number;
  /** Voxel size bounds in mm, default 0.1 to 10 (a 20 mm slice is not an MRI we segment). */
  minSpacingMm: number;
  maxSpacingMm: number;
  /** Largest field of view per axis in mm, default 500. */
  maxExtentMm: number;
  /** Time allowed to decode one sequence (inflate, unzip, parse, convert), default 30 s. */
  timeoutMs: number;
  /** DICOM zip: largest number of entries and total uncompressed bytes, default 4096 and 1 GiB. */
  maxZipEntries: number;
  maxUnzippedBytes: number;
  /** Smallest overlap of a sequence's world bounding box with the T1gd's, as a fraction of the smaller box (default 0.5). */
  minOverlap: number;
}

export const defaultLimits: IngestLimits = {
  maxFileBytes: 512 * 2 ** 20,
  maxVoxels: 2 ** 25,
  maxDim: 1024,
  minSpacingMm: 0.1,
  maxSpacingMm: 10,
  maxExtentMm: 500,
  timeoutMs: 30_000,
  maxZipEntries: 4096,
  maxUnzippedBytes: 2 ** 30,
  minOverlap: 0.5,
};

export function resolveLimits(limits: Partial<IngestLimits> = {}): IngestLimits {
  return { ...defaultLimits, ...limits };
}
