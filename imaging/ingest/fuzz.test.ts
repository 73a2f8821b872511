/**
 * Byte-mutation fuzzing of the NIfTI header path (our checks, then nifti-reader-js and the reader):
 * any mutation of a valid file's header must either decode or be refused with an IngestError — never
 * another exception, a hang, or a crash. 10 s by default; a longer run:
 *
 *   FUZZ_SECONDS=60 npx vitest run --project unit imaging/ingest/fuzz
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSequence } from './decode';
import { IngestError } from './errors';
import { resolveLimits } from './limits';
import { validateVolume } from './validate';
import { smallNifti } from './test-helpers';

const seconds = Number(process.env.FUZZ_SECONDS ?? 10);
const limits = resolveLimits({ timeoutMs: 2000 });
const nifti1 = smallNifti({ dims: [6, 5, 4], datatype: 'float32' });
// A NIfTI-2 version of the same volume, built field by field (NIfTI-2 offsets).
const nifti2 = (() => {
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

const mutation = (headerBytes: number) =>
  fc.array(
    fc.oneof(
      fc.record({ at: fc.nat(headerBytes - 1), value: fc.integer({ min: 0, max: 255 }) }),
      // Whole little-endian numbers at 2/4/8-byte aligned offsets: dims, offsets and floats hit extremes more often.
      fc.record({ at: fc.nat(headerBytes / 4 - 1).map((i) => i * 4), word: fc.constantFrom(0, -1, 0x7fffffff, -0x80000000, 0x7f800000, 0x7fc00000, 0xff7fffff, 1, 348, 540) }),
    ),
    { minLength: 1, maxLength: 8 },
  );

async function decodeMutated(base: Uint8Array, muts: ({ at: number; value: number } | { at: number; word: number })[], gz: boolean, cut: number | null) {
  const bytes = Uint8Array.from(base);
  const view = new DataView(bytes.buffer);
  for (const m of muts)
    if ('value' in m) bytes[m.at] = m.value;
    else view.setInt32(m.at, m.word | 0, true);
  const body = cut === null ? bytes : bytes.subarray(0, cut);
  const file = gz ? { name: 'fuzz.nii.gz', bytes: new Uint8Array(gzipSync(body, { level: 1 })) } : { name: 'fuzz.nii', bytes: body };
  // CPU time, not wall-clock: a loaded shared machine stretches the latter, not the work a header makes us do.
  const cpu0 = process.cpuUsage();
  try {
    const d = await decodeSequence(file, limits);
    validateVolume(d.volume, d.file, limits);
  } catch (e) {
    if (!(e instanceof IngestError)) throw new Error(`not an IngestError: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    expect(e.message).toContain('fuzz.nii');
  }
  const used = process.cpuUsage(cpu0);
  expect((used.user + used.system) / 1000).toBeLessThan(1000);
}

describe(`header fuzzing (${seconds} s; FUZZ_SECONDS to change)`, () => {
  for (const [label, base, headerBytes] of [
    ['NIfTI-1', nifti1, 352],
    ['NIfTI-2', nifti2, 544],
  ] as const) {
    it(
      `${label}: mutated headers decode or are refused with IngestError`,
      async () => {
        let runs = 0;
        await fc.assert(
          fc.asyncProperty(mutation(headerBytes), fc.boolean(), fc.option(fc.nat(base.length), { nil: null }), async (muts, gz, cut) => {
            runs++;
            await decodeMutated(base, muts, gz, cut);
          }),
          { numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: (seconds * 1000) / 2, seed: Number(process.env.FUZZ_SEED ?? 20240601) },
        );
        console.log(`${label}: ${runs} mutated files in ${seconds / 2} s`);
        expect(runs).toBeGreaterThan(100);
      },
      (seconds + 30) * 1000,
    );
  }
});
