/**
 * The NIfTI header fuzzer's inputs, shared by the unit test (imaging/ingest/fuzz.test.ts: every mutation is
 * decoded or refused with an IngestError) and the benchmark (bench/ingest/hostile.ts: how much work a
 * mutated header makes the decoder do). Test support, not shipped.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { IngestFile } from '../../imaging/ingest/decode';
import { smallNifti } from './ingest-builders';

/** A valid NIfTI-1 float32 volume (6×5×4, 2 mm). */
export const fuzzNifti1 = smallNifti({ dims: [6, 5, 4], datatype: 'float32' });

/** A NIfTI-2 version of the same volume, built field by field (NIfTI-2 offsets). */
export const fuzzNifti2 = (() => {
  const n = 6 * 5 * 4;
  const out = new Uint8Array(544 + n * 4);
  const v = new DataView(out.buffer);
  v.setInt32(0, 540, true);
  out.set([0x6e, 0x2b, 0x32, 0, 0x0d, 0x0a, 0x1a, 0x0a], 4);
  v.setInt16(12, 16, true);
  v.setInt16(14, 32, true);
  [3, 6, 5, 4, 1, 1, 1, 1].forEach((d, i) => v.setBigInt64(16 + 8 * i, BigInt(d), true));
  [1, 2, 2, 2, 1, 1, 1, 1].forEach((p, i) => v.setFloat64(104 + 8 * i, p, true));
  v.setBigInt64(168, 544n, true);
  v.setFloat64(176, 1, true);
  v.setInt32(348, 1, true); // sform_code
  [2, 0, 0, -5, 0, 2, 0, -4, 0, 0, 2, -3].forEach((x, i) => v.setFloat64(400 + 8 * i, x, true));
  for (let i = 0; i < n; i++) v.setFloat32(544 + 4 * i, i % 17, true);
  return out;
})();

/** The two formats: label, valid file, header length in bytes. */
export const fuzzBases = [
  ['NIfTI-1', fuzzNifti1, 352],
  ['NIfTI-2', fuzzNifti2, 544],
] as const;

export type HeaderMutation = { at: number; value: number } | { at: number; word: number };

/** One to eight byte or aligned-word edits inside the header. */
export const headerMutations = (headerBytes: number) =>
  fc.array(
    fc.oneof(
      fc.record({ at: fc.nat(headerBytes - 1), value: fc.integer({ min: 0, max: 255 }) }),
      // Whole little-endian numbers at 2/4/8-byte aligned offsets: dims, offsets and floats hit extremes more often.
      fc.record({ at: fc.nat(headerBytes / 4 - 1).map((i) => i * 4), word: fc.constantFrom(0, -1, 0x7fffffff, -0x80000000, 0x7f800000, 0x7fc00000, 0xff7fffff, 1, 348, 540) }),
    ),
    { minLength: 1, maxLength: 8 },
  );

/** A whole fuzz case: the edits, whether the file is gzipped, and where it is cut short (null: not cut). */
export const fuzzCase = (base: Uint8Array, headerBytes: number) => fc.tuple(headerMutations(headerBytes), fc.boolean(), fc.option(fc.nat(base.length), { nil: null }));

/** The mutated file, named fuzz.nii or fuzz.nii.gz. */
export function mutatedFile(base: Uint8Array, muts: readonly HeaderMutation[], gz: boolean, cut: number | null): IngestFile {
  const bytes = Uint8Array.from(base);
  const view = new DataView(bytes.buffer);
  for (const m of muts)
    if ('value' in m) bytes[m.at] = m.value;
    else view.setInt32(m.at, m.word | 0, true);
  const body = cut === null ? bytes : bytes.subarray(0, cut);
  return gz ? { name: 'fuzz.nii.gz', bytes: new Uint8Array(gzipSync(body, { level: 1 })) } : { name: 'fuzz.nii', bytes: body };
}
