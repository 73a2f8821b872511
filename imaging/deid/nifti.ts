/**
 * De-identification of NIfTI files at the byte level (uncompressed NIfTI-1 or NIfTI-2, either byte
 * order). The free-text header fields that scanners and converters fill with names, dates, protocol
 * or site text — descrip, aux_file, intent_name and (NIfTI-1 only) db_name — are zeroed, and header
 * extensions (DICOM headers from dcm2niix, AFNI/XML, anything) are dropped: the extension flag is
 * cleared and the voxel data moved to the smallest offset (352 for NIfTI-1, 544 for NIfTI-2). Nothing
 * else changes: dims, datatype, scaling, qform/sform and the voxel bytes are kept exactly.
 */

/** One header field that was cleared, with how many non-zero bytes it held (never its content). */
export interface DeidAction {
  readonly field: string;
  readonly action: 'cleared' | 'removed' | 'not-carried';
  /** NIfTI text fields: non-zero bytes cleared; extensions: bytes removed; DICOM: files that held the attribute. */
  readonly count: number;
}

export interface NiftiDeidResult {
  readonly bytes: Uint8Array;
  /** Only the fields that held something; an empty list means the file had nothing to remove. */
  readonly actions: DeidAction[];
}

interface Layout {
  readonly version: 1 | 2;
  readonly le: boolean;
  readonly headerSize: 348 | 540;
  readonly textFields: readonly (readonly [name: string, offset: number, length: number])[];
}

const nifti1Text = [
  ['db_name', 14, 18],
  ['descrip', 148, 80],
  ['aux_file', 228, 24],
  ['intent_name', 328, 16],
] as const;
const nifti2Text = [
  ['descrip', 240, 80],
  ['aux_file', 320, 24],
  ['intent_name', 508, 16],
] as const;

/** Version and byte order from sizeof_hdr (348 → NIfTI-1, 540 → NIfTI-2), or null if neither. */
export function niftiLayout(raw: Uint8Array): Layout | null {
  if (raw.length < 348) return null;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  for (const le of [true, false]) {
    const size = view.getInt32(0, le);
    if (size === 348) return { version: 1, le, headerSize: 348, textFields: nifti1Text };
    if (size === 540 && raw.length >= 540) return { version: 2, le, headerSize: 540, textFields: nifti2Text };
  }
  return null;
}

/** vox_offset as stored (float32 at 108 in NIfTI-1, int64 at 168 in NIfTI-2). */
export function niftiVoxOffset(raw: Uint8Array, layout: Layout): number {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return layout.version === 1 ? view.getFloat32(108, layout.le) : Number(view.getBigInt64(168, layout.le));
}

/**
 * Return a de-identified copy of an uncompressed single-file NIfTI and the list of what was cleared.
 * The input must already have been validated by the reader (header readable, data present).
 */
export function deidentifyNifti(raw: Uint8Array): NiftiDeidResult {
  const layout = niftiLayout(raw);
  if (!layout) throw new RangeError('not a NIfTI-1/2 header (sizeof_hdr is neither 348 nor 540)');
  const offset = niftiVoxOffset(raw, layout);
  const newOffset = layout.headerSize + 4;
  if (!Number.isInteger(offset) || offset < layout.headerSize || offset > raw.length) throw new RangeError(`vox_offset ${offset} is outside ${layout.headerSize}..${raw.length}`);
  const out = new Uint8Array(newOffset + raw.length - offset);
  out.set(raw.subarray(0, layout.headerSize), 0);
  out.set(raw.subarray(offset), newOffset); // extension flag bytes stay zero: no extensions
  const actions: DeidAction[] = [];
  for (const [name, at, len] of layout.textFields) {
    let used = 0;
    for (let i = at; i < at + len; i++) if (out[i] !== 0) used++;
    out.fill(0, at, at + len);
    if (used > 0) actions.push({ field: name, action: 'cleared', count: used });
  }
  const extensionBytes = Math.max(0, offset - newOffset);
  const hadExtensions = (offset > layout.headerSize && raw[layout.headerSize] !== 0) || extensionBytes > 0;
  if (hadExtensions) actions.push({ field: 'extensions', action: 'removed', count: extensionBytes });
  const view = new DataView(out.buffer);
  if (layout.version === 1) view.setFloat32(108, newOffset, layout.le);
  else view.setBigInt64(168, BigInt(newOffset), layout.le);
  return { bytes: out, actions };
}
