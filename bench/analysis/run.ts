/**
 * Benchmark: bootstrap decision-curve analysis, 10,000 patients, 99 thresholds (0.01…0.99),
 * 1,000 replicates, variables all/none/model — TypeScript (analysis/decision-curve-bootstrap)
 * against the vectorised NumPy twin (bench/analysis/reference.py) on the same data, same run.
 *
 *   node --import tsx bench/analysis/run.ts
 *
 * Prints both times (best of REPEATS, computation only: no process start-up or data loading),
 * the ratio, and a consistency check (point estimates must agree to 1e-12; interval bounds differ
 * only by bootstrap noise because the generators differ).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decisionCurveBootstrap } from '../../analysis/decision-curve-bootstrap';
import { createSeededRandom } from '../../analysis/seeded-random';

const N = 10_000;
const REPLICATES = 1_000;
const REPEATS = 3;
const SEED = 20240601;
const PYTHON = process.env.SEGTRIAL_BENCH_PYTHON ?? '/usr/bin/python3';

// Synthetic cohort: risk ~ logistic(N(-1, 1.2)) rounded to 3 decimals (ties, a few exact 0/1), outcome ~ Bernoulli(risk).
const rng = createSeededRandom(SEED);
const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
const risk: number[] = [];
const outcome: number[] = [];
for (let i = 0; i < N; i++) {
  const p = Math.round((1 / (1 + Math.exp(-(-1 + 1.2 * gaussian())))) * 1000) / 1000;
  risk.push(p);
  outcome.push(rng.nextFloat() < p ? 1 : 0);
}
const thresholds = Array.from({ length: 99 }, (_, i) => (i + 1) * 0.01);

const tsTimes: number[] = [];
let tsRows: ReturnType<typeof decisionCurveBootstrap>['rows'] = [];
for (let r = 0; r < REPEATS; r++) {
  const start = performance.now();
  tsRows = decisionCurveBootstrap({ outcome, predictors: { model: risk }, thresholds }, { replicates: REPLICATES, seed: SEED }).rows;
  tsTimes.push((performance.now() - start) / 1000);
}

const dir = mkdtempSync(path.join(tmpdir(), 'segtrial-bench-'));
let numpy: { seconds: number; all_seconds: number[]; point_model: number[]; lower_model: number[]; upper_model: number[] };
try {
  const file = path.join(dir, 'data.f64');
  writeFileSync(file, Buffer.from(Float64Array.from([...outcome, ...risk]).buffer));
  const script = path.join(path.dirname(new URL(import.meta.url).pathname), 'reference.py');
  numpy = JSON.parse(execFileSync(PYTHON, [script, file, String(N), String(REPLICATES), String(SEED), String(REPEATS)], { encoding: 'utf8' })) as typeof numpy;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const model = tsRows.filter((row) => row.variable === 'model');
const pointDiff = Math.max(...model.map((row, t) => Math.abs(row.net_benefit - (numpy.point_model[t] ?? Number.NaN))));
const boundDiff = Math.max(...model.map((row, t) => Math.max(Math.abs(row.net_benefit_lower - (numpy.lower_model[t] ?? 0)), Math.abs(row.net_benefit_upper - (numpy.upper_model[t] ?? 0)))));
const ts = Math.min(...tsTimes);
console.log(`bootstrap DCA: n=${N}, thresholds=${thresholds.length}, replicates=${REPLICATES}, variables=all/none/model, best of ${REPEATS}`);
console.log(`TypeScript (node ${process.version}): ${ts.toFixed(3)} s   [${tsTimes.map((t) => t.toFixed(3)).join(', ')}]`);
console.log(`NumPy (vectorised):       ${numpy.seconds.toFixed(3)} s   [${numpy.all_seconds.map((t) => t.toFixed(3)).join(', ')}]`);
console.log(`ratio TypeScript / NumPy: ${(ts / numpy.seconds).toFixed(2)}`);
console.log(`check: max |point NB difference| = ${pointDiff.toExponential(2)} (must be < 1e-12); max |CI bound difference| = ${boundDiff.toFixed(4)} (bootstrap noise, different generators)`);
if (!(pointDiff < 1e-12)) {
  console.error('point estimates disagree: the two implementations are not doing the same computation');
  process.exitCode = 1;
}
