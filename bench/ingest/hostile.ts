/**
 * Hostile-input benchmark: how much work a malformed or malicious upload makes ingest do before it is
 * refused. The unit tests (imaging/ingest/hostile.test.ts, fuzz.test.ts) check that every such input
 * is refused with a typed error; this measures what the refusal costs, in CPU time (a loaded machine
 * stretches wall-clock time, not the work), as a ratio to the reference measured in the same run:
 * decoding and validating the valid DICOM fixture series (imaging/ingest/fixtures/oblique-series.zip),
 * best of 5. Then the header fuzzer's cases (seeded): the worst and the 99th-percentile CPU per decode,
 * against decoding the valid file they were mutated from.
 *
 * Budget (was a unit-test assertion): no hostile case and no fuzzed header costs more than 1 s of CPU.
 * Exits 1 when one does.
 *
 *   node --import tsx bench/ingest/hostile.ts [--repeats 3] [--fuzz-runs 4000] [--seed 20240601]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { decodeSequence, type IngestFile } from '../../imaging/ingest/decode';
import { IngestError } from '../../imaging/ingest/errors';
import { resolveLimits } from '../../imaging/ingest/limits';
import { validateSliceGaps, validateVolume } from '../../imaging/ingest/validate';
import { readZip } from '../../imaging/ingest/zip';
import { fuzzBases, fuzzCase, mutatedFile } from '../../test/support/header-fuzz';
import { hostileCases, runHostileCase } from '../../test/support/hostile-inputs';

const { values: args } = parseArgs({ options: { repeats: { type: 'string', default: '3' }, 'fuzz-runs': { type: 'string', default: '4000' }, seed: { type: 'string', default: '20240601' } } });
const repeats = Number(args.repeats);
const fuzzRuns = Number(args['fuzz-runs']);
const seed = Number(args.seed);
const BUDGET_MS = 1000;

/** CPU milliseconds (user + system) of one call. */
async function cpuMs(work: () => Promise<unknown>): Promise<number> {
  const t0 = process.cpuUsage();
  await work();
  const used = process.cpuUsage(t0);
  return (used.user + used.system) / 1000;
}

async function bestOf(n: number, work: () => Promise<unknown>): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < n; i++) best = Math.min(best, await cpuMs(work));
  return best;
}

const limits = resolveLimits();
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../imaging/ingest/fixtures');
const series = readZip(readFileSync(path.join(fixtures, 'oblique-series.zip')), 'series.zip', limits);
const decodeValid = async (input: IngestFile | IngestFile[]) => {
  const decoded = await decodeSequence(input, limits);
  validateVolume(decoded.volume, decoded.file, limits);
  validateSliceGaps(decoded);
};
await decodeValid(series); // warm-up: module loading and JIT are not the reference
const reference = await bestOf(5, () => decodeValid(series));
console.log(`reference: decoding and validating the valid DICOM series (${series.length} files), ${reference.toFixed(1)} ms CPU, best of 5\n`);

const over: string[] = [];
const rows: { name: string; ms: number }[] = [];
for (const c of hostileCases) {
  const input = c.input();
  const lim = resolveLimits(c.limits);
  let refused = true;
  const ms = await bestOf(repeats, async () => {
    const e = await runHostileCase(c, input, lim);
    if (!(e instanceof IngestError)) refused = false;
  });
  if (!refused) over.push(`${c.name}: not refused with an IngestError (the unit test says which way)`);
  if (ms > BUDGET_MS) over.push(`${c.name}: ${ms.toFixed(0)} ms CPU`);
  rows.push({ name: c.name, ms });
}
rows.sort((a, b) => b.ms - a.ms);
console.log(`hostile cases (${rows.length}), CPU ms best of ${repeats} and × the reference, costliest first:`);
for (const r of rows) console.log(`  ${r.name.padEnd(40)} ${r.ms.toFixed(1).padStart(8)}  ${(r.ms / reference).toFixed(2).padStart(7)}×${r.ms > BUDGET_MS ? '  OVER BUDGET' : ''}`);

console.log(`\nheader fuzzing, ${fuzzRuns} seeded cases per format:`);
const fuzzLimits = resolveLimits({ timeoutMs: 2000 });
for (const [label, base, headerBytes] of fuzzBases) {
  const decodeBase = () => decodeSequence({ name: 'fuzz.nii', bytes: base }, fuzzLimits);
  await decodeBase();
  const baseMs = await bestOf(5, decodeBase);
  const costs: number[] = [];
  for (const [muts, gz, cut] of fc.sample(fuzzCase(base, headerBytes), { numRuns: fuzzRuns, seed })) {
    const file = mutatedFile(base, muts, gz, cut);
    const ms = await cpuMs(async () => {
      try {
        const d = await decodeSequence(file, fuzzLimits);
        validateVolume(d.volume, d.file, fuzzLimits);
      } catch {
        // refusals are the unit test's business; only the cost is measured here
      }
    });
    costs.push(ms);
    if (ms > BUDGET_MS) over.push(`${label} fuzz case ${JSON.stringify({ muts, gz, cut })}: ${ms.toFixed(0)} ms CPU`);
  }
  costs.sort((a, b) => a - b);
  const p99 = costs[Math.floor(costs.length * 0.99)]!;
  const max = costs.at(-1)!;
  console.log(
    `  ${label}: valid file ${baseMs.toFixed(2)} ms; mutated p99 ${p99.toFixed(2)} ms (${(p99 / baseMs).toFixed(1)}×), worst ${max.toFixed(2)} ms (${(max / baseMs).toFixed(1)}×; ${(max / reference).toFixed(2)}× the reference)`,
  );
}

if (over.length) {
  console.log(`\nover the ${BUDGET_MS} ms CPU budget:\n${over.map((o) => `  ${o}`).join('\n')}`);
  process.exit(1);
}
console.log(`\nevery hostile case and fuzzed header within the ${BUDGET_MS} ms CPU budget`);
