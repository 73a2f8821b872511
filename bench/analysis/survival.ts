/**
 * Benchmark: Kaplan–Meier (by arm, log-log CIs, medians) and a Cox model (Efron ties, arm + age,
 * stratified by a two-level stratum) on 10,000 patients — TypeScript (analysis/kaplan-meier,
 * analysis/cox-proportional-hazards) against R's survival (survfit, coxph) on the same data, in the
 * same run.
 *
 *   node --import tsx bench/analysis/survival.ts
 *
 * Prints both times per task (best of REPEATS, computation only: R's timing is taken inside R with
 * system.time, so neither process start-up nor CSV reading counts), the ratios, and a consistency
 * check (coefficients agree to 1e-7 relative, medians exactly).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { coxProportionalHazards } from '../../analysis/cox-proportional-hazards';
import { kaplanMeier } from '../../analysis/kaplan-meier';
import { kaplanMeierMedian } from '../../analysis/kaplan-meier-median';
import { createSeededRandom } from '../../analysis/seeded-random';

const N = 10_000;
const REPEATS = 5;
const RSCRIPT = process.env.SEGTRIAL_BENCH_RSCRIPT ?? 'Rscript';

// Synthetic trial: exponential event times (hazard ratio 0.7 for arm 1, ×1.8 in stratum 'high',
// age effect 0.015/year), uniform censoring 6–36 months, times rounded to 0.1 month (ties).
const rng = createSeededRandom(20261201);
const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
const time: number[] = [];
const event: number[] = [];
const arm: number[] = [];
const age: number[] = [];
const stratum: string[] = [];
for (let i = 0; i < N; i++) {
  const a = i % 2;
  const s = rng.nextFloat() < 0.4 ? 'high' : 'low';
  const years = Math.round(58 + 11 * gaussian());
  const rate = 0.05 * (a === 1 ? 0.7 : 1) * (s === 'high' ? 1.8 : 1) * Math.exp(0.015 * (years - 58));
  const tEvent = -Math.log(1 - rng.nextFloat()) / rate;
  const tCensor = 6 + 30 * rng.nextFloat();
  time.push(Math.round(Math.min(tEvent, tCensor) * 10) / 10);
  event.push(tEvent <= tCensor ? 1 : 0);
  arm.push(a);
  age.push(years);
  stratum.push(s);
}

function best(task: () => void): { best: number; all: number[] } {
  const all: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const start = performance.now();
    task();
    all.push((performance.now() - start) / 1000);
  }
  return { best: Math.min(...all), all };
}

const byArm = [0, 1].map((a) => {
  const idx = arm.flatMap((v, i) => (v === a ? [i] : []));
  return { time: idx.map((i) => time[i] as number), event: idx.map((i) => event[i] as number) };
});
let medians: (number | null)[] = [];
const km = best(() => {
  medians = byArm.map((g) => kaplanMeierMedian(kaplanMeier(g.time, g.event)).median);
});
let beta: number[] = [];
const cox = best(() => {
  beta = coxProportionalHazards({ time, event, covariates: { arm, age }, strata: stratum }).coefficients.map((c) => c.beta);
});

const dir = mkdtempSync(path.join(tmpdir(), 'segtrial-bench-survival-'));
let r: { km_seconds: number; km_all: number[]; cox_seconds: number; cox_all: number[]; beta: number[]; medians: number[] };
try {
  const file = path.join(dir, 'data.csv');
  writeFileSync(file, ['time,event,arm,age,stratum', ...time.map((t, i) => `${t},${event[i]},${arm[i]},${age[i]},${stratum[i]}`)].join('\n'));
  const script = path.join(path.dirname(new URL(import.meta.url).pathname), 'survival-reference.R');
  r = JSON.parse(execFileSync(RSCRIPT, [script, file, String(REPEATS)], { encoding: 'utf8' })) as typeof r;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const betaDiff = Math.max(...beta.map((b, j) => Math.abs(b - (r.beta[j] ?? Number.NaN)) / Math.abs(r.beta[j] ?? 1)));
const medianSame = medians.every((m, k) => m === r.medians[k]);
const line = (name: string, t: { best: number; all: number[] }) => `${name}${t.best.toFixed(4)} s   [${t.all.map((x) => x.toFixed(4)).join(', ')}]`;
console.log(`survival: n=${N}, events=${event.reduce((a, b) => a + b, 0)}, best of ${REPEATS}`);
console.log(line(`Kaplan-Meier by arm, TypeScript (node ${process.version}): `, km));
console.log(line('Kaplan-Meier by arm, R survfit:                 ', { best: r.km_seconds, all: r.km_all }));
console.log(`ratio TypeScript / R (KM):  ${(km.best / r.km_seconds).toFixed(2)}`);
console.log(line('Cox (Efron, arm + age, strata), TypeScript:     ', cox));
console.log(line('Cox (Efron, arm + age, strata), R coxph:        ', { best: r.cox_seconds, all: r.cox_all }));
console.log(`ratio TypeScript / R (Cox): ${(cox.best / r.cox_seconds).toFixed(2)}`);
console.log(`check: max relative coefficient difference ${betaDiff.toExponential(2)} (must be < 1e-7); medians equal: ${medianSame}`);
if (!(betaDiff < 1e-7) || !medianSame) {
  console.error('estimates disagree: the two implementations are not doing the same computation');
  process.exitCode = 1;
}
