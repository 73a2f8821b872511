/**
 * Byte-mutation fuzzing of the NIfTI header path (our checks, then nifti-reader-js and the reader):
 * any mutation of a valid file's header must either decode or be refused with an IngestError naming
 * the file — never another exception or a crash. A fixed number of seeded cases, so the test does the
 * same work on a loaded machine as on an idle one; how much CPU a mutated header costs is measured by
 * bench/ingest/hostile.ts, not asserted here. More cases, or a run for a while:
 *
 *   FUZZ_RUNS=20000 npx vitest run --project unit imaging/ingest/fuzz
 *   FUZZ_SECONDS=60 FUZZ_SEED=7 npx vitest run --project unit imaging/ingest/fuzz
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzBases, fuzzCase, mutatedFile } from '../../test/support/header-fuzz';
import { decodeSequence } from './decode';
import { IngestError } from './errors';
import { resolveLimits } from './limits';
import { validateVolume } from './validate';

const runs = Number(process.env.FUZZ_RUNS ?? 4000);
const seconds = process.env.FUZZ_SECONDS ? Number(process.env.FUZZ_SECONDS) : null;
const limits = resolveLimits({ timeoutMs: 2000 });

describe(`header fuzzing (${seconds === null ? `${runs} cases per format; FUZZ_RUNS` : `${seconds} s; FUZZ_SECONDS`} to change)`, () => {
  for (const [label, base, headerBytes] of fuzzBases) {
    it(
      `${label}: mutated headers decode or are refused with IngestError`,
      async () => {
        let done = 0;
        await fc.assert(
          fc.asyncProperty(fuzzCase(base, headerBytes), async ([muts, gz, cut]) => {
            done++;
            const file = mutatedFile(base, muts, gz, cut);
            try {
              const d = await decodeSequence(file, limits);
              validateVolume(d.volume, d.file, limits);
            } catch (e) {
              if (!(e instanceof IngestError)) throw new Error(`not an IngestError: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
              expect(e.message).toContain('fuzz.nii');
            }
          }),
          seconds === null
            ? { numRuns: runs, seed: Number(process.env.FUZZ_SEED ?? 20240601) }
            : { numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: (seconds * 1000) / 2, seed: Number(process.env.FUZZ_SEED ?? 20240601) },
        );
        if (seconds === null) expect(done).toBe(runs);
        else console.log(`${label}: ${done} mutated files in ${seconds / 2} s`);
      },
      // No time budget is asserted: the timeout only stops a hang (a decoder loop that never returns).
      ((seconds ?? 0) + 120) * 1000,
    );
  }
});
