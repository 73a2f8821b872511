import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { drawBootstrapWeights } from './draw-bootstrap-weights';
import { replicateSurvivalNetBenefit } from './replicate-survival-net-benefit';
import { createSeededRandom } from './seeded-random';
import { survivalNetBenefit } from './survival-net-benefit';
import { survivalNetBenefitBootstrap } from './survival-net-benefit-bootstrap';

interface ArmFixture {
  time: number[];
  event: number[];
  risk: number[];
  all: number[];
  all_lower: number[];
  all_upper: number[];
  model: number[];
  model_lower: number[];
  model_upper: number[];
}
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
// Written by fixtures/generate-survival-dca-bootstrap.R from the resamples of generate-survival-dca-resamples.py.
const ref = JSON.parse(fixture('survival-dca-bootstrap.json')) as {
  seed: number;
  replicates: number;
  horizon: number;
  thresholds: number[];
  arms: [ArmFixture, ArmFixture];
  difference: number[];
  difference_lower: number[];
  difference_upper: number[];
};
const resamples = fixture('survival-dca-resamples.csv')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [, replicate, arm, weights] = line.split(',');
    return { replicate: Number(replicate), arm: Number(arm), weights: (weights ?? '').split(' ').map(Number) };
  });

// R's survfit on the written-out resample against weighted sums here: agreement to rounding.
const TOL = 1e-12;
const close = (actual: readonly number[], expected: readonly number[]) => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - (expected[i] as number)), `index ${i}: ${v} vs ${expected[i]}`).toBeLessThan(TOL));
};

describe('survival decision curve bootstrap bands', () => {
  const arms = ref.arms.map((a) => ({ time: a.time, event: a.event, risk: a.risk }));

  it('draws the resamples the reference used (arm A, then arm B, per replicate, from one seeded stream)', () => {
    const rng = createSeededRandom(ref.seed);
    const w = arms.map((a) => new Int32Array(a.time.length));
    for (let r = 1; r <= ref.replicates; r++) {
      arms.forEach((a, k) => {
        drawBootstrapWeights([Uint32Array.from(a.time.keys())], rng, w[k] as Int32Array);
        expect(Array.from(w[k] as Int32Array)).toEqual(resamples.find((x) => x.replicate === r && x.arm === k + 1)?.weights);
      });
    }
  });

  it("matches R's survfit on those resamples: point estimates, bands per arm and the arm difference", () => {
    const res = survivalNetBenefitBootstrap(arms, ref.horizon, ref.thresholds, { replicates: ref.replicates, seed: ref.seed });
    const T = ref.thresholds.length;
    res.arms.forEach((rows, a) => {
      const want = ref.arms[a] as ArmFixture;
      const of = (variable: string) => rows.filter((r) => r.variable === variable);
      close(
        of('all').map((r) => r.netBenefit),
        want.all,
      );
      close(
        of('all').map((r) => r.lower),
        want.all_lower,
      );
      close(
        of('all').map((r) => r.upper),
        want.all_upper,
      );
      close(
        of('model').map((r) => r.netBenefit),
        want.model,
      );
      close(
        of('model').map((r) => r.lower),
        want.model_lower,
      );
      close(
        of('model').map((r) => r.upper),
        want.model_upper,
      );
      expect(of('none')).toHaveLength(T);
      expect(of('none').every((r) => r.netBenefit === 0 && r.lower === 0 && r.upper === 0)).toBe(true);
    });
    const diff = res.difference ?? [];
    close(
      diff.map((d) => d.difference),
      ref.difference,
    );
    close(
      diff.map((d) => d.lower),
      ref.difference_lower,
    );
    close(
      diff.map((d) => d.upper),
      ref.difference_upper,
    );
    // The bands are not degenerate: the test could fail.
    expect(diff.every((d) => d.lower < d.difference && d.difference < d.upper)).toBe(true);
  });

  it('computes a weighted replicate as survivalNetBenefit on the resample written out', () => {
    const arm = arms[0] as (typeof arms)[number];
    const order = Uint32Array.from(Array.from(arm.time.keys()).sort((a, b) => (arm.time[a] as number) - (arm.time[b] as number)));
    const rng = createSeededRandom(5);
    const w = new Int32Array(arm.time.length);
    const out = new Float64Array(ref.thresholds.length + 1);
    for (let rep = 0; rep < 5; rep++) {
      drawBootstrapWeights([Uint32Array.from(arm.time.keys())], rng, w);
      replicateSurvivalNetBenefit({ ...arm, order }, w, ref.horizon, ref.thresholds, out);
      const idx = Array.from(w).flatMap((m, i) => Array<number>(m).fill(i));
      const rows = survivalNetBenefit(
        { time: idx.map((i) => arm.time[i] as number), event: idx.map((i) => arm.event[i] as number), risk: idx.map((i) => arm.risk[i] as number) },
        ref.horizon,
        ref.thresholds,
      );
      close(
        Array.from(out.subarray(1)),
        rows.filter((r) => r.variable === 'model').map((r) => r.netBenefit),
      );
      expect(Math.abs((out[0] as number) - (rows[0]?.riskAmongPositive as number))).toBeLessThan(TOL);
    }
  });

  it('gives one arm its bands without a difference, and refuses three arms or bad options with typed errors', () => {
    const one = survivalNetBenefitBootstrap([arms[0]!], ref.horizon, [0.2], { replicates: 50, seed: 1 });
    expect(one.difference).toBeNull();
    expect(one.arms).toHaveLength(1);
    expect(() => survivalNetBenefitBootstrap([arms[0]!, arms[0]!, arms[1]!], 6, [0.2], { replicates: 50, seed: 1 })).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => survivalNetBenefitBootstrap([arms[0]!], 6, [0.2], { replicates: 0, seed: 1 })).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => survivalNetBenefitBootstrap([{ ...arms[0]!, risk: arms[0]!.risk.slice(1) }], 6, [0.2], { replicates: 5, seed: 1 })).toThrowError(expect.objectContaining({ code: 'LENGTH_MISMATCH' }));
  });

  it('is the documented example', () => {
    const arm = { time: [1, 2, 3, 4, 5, 6], event: [1, 0, 1, 1, 0, 1], risk: [0.9, 0.2, 0.7, 0.6, 0.1, 0.4] };
    const res = survivalNetBenefitBootstrap([arm, arm], 4, [0.5], { replicates: 100, seed: 1 });
    expect(res.difference?.[0]?.difference).toBe(0);
    expect(res.difference?.[0]?.lower).toBeLessThan(0);
    expect(res.difference?.[0]?.upper).toBeGreaterThan(0);
    const out = new Float64Array(2);
    replicateSurvivalNetBenefit({ time: [1, 2, 3, 4], event: [1, 0, 1, 0], risk: [0.9, 0.2, 0.7, 0.1], order: Uint32Array.of(0, 1, 2, 3) }, Int32Array.of(1, 1, 1, 1), 2.5, [0.5], out);
    expect(Array.from(out)).toEqual([0.25, 0]);
  });
});
