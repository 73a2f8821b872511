import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decisionCurve } from './decision-curve';
import { decisionCurveBootstrap } from './decision-curve-bootstrap';
import type { DecisionCurveRow } from './decision-curve-rows';
import { expectClose } from '../test/support/expect-close';
import { readFixture } from '../test/support/read-analysis-fixture';
import { netBenefitDifference } from './net-benefit-difference';
import { parseCsv } from './parse-csv';
import { createSeededRandom } from './seeded-random';
import { thresholdGrid } from './threshold-grid';

const csv = parseCsv(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'dca-data.csv'), 'utf8'));
const column = (name: string): string[] => {
  const j = csv.header.indexOf(name);
  return csv.rows.map((r) => r[j] ?? '');
};
const outcome = column('outcome').map(Number);
const model = column('model').map(Number);
const clinician = column('clinician').map(Number);
const arm = column('arm');
const stratum = column('stratum');

interface DcaCase {
  thresholds: number[];
  prevalence?: number;
  harm?: Record<string, number>;
  rows: DecisionCurveRow[];
}
const dca = readFixture<Record<'default' | 'withOne' | 'caseControl', DcaCase>>('dca.json');

// Same formula, same order of floating-point operations as dcurves: agreement to 1e-12 absolute,
// non-finite values (t = 0, t = 1) must be identical.
const DCA_TOL = { abs: 1e-12 };
const NUMERIC = ['n', 'threshold', 'pos_rate', 'tp_rate', 'fp_rate', 'harm', 'net_benefit', 'net_intervention_avoided', 'standardized_net_benefit'] as const;

describe('decisionCurve vs dcurves semantics in R (dca.json)', () => {
  it.each(Object.entries(dca))('%s', (_name, c) => {
    const rows = decisionCurve({
      outcome,
      predictors: { model, clinician },
      thresholds: c.thresholds,
      ...(c.prevalence !== undefined ? { prevalence: c.prevalence } : {}),
      ...(c.harm ? { harm: c.harm } : {}),
    });
    expect(rows.map((r) => `${r.variable}/${r.label}`)).toEqual(c.rows.map((r) => `${r.variable}/${r.label}`));
    rows.forEach((row, k) => {
      const ref = c.rows[k] as DecisionCurveRow;
      for (const key of NUMERIC) expectClose(row[key], ref[key], DCA_TOL, `${row.variable} t=${row.threshold} ${key}`);
    });
  });

  it('default grid is seq(0, 0.99, by = 0.01), identical doubles', () => {
    expect(thresholdGrid(0, 0.99, 0.01)).toEqual(dca.default.thresholds);
    const rows = decisionCurve({ outcome, predictors: { model } });
    expect(rows.length).toBe(3 * 100);
  });

  it('at threshold 1 treat-all is -Inf and treat-none NaN, as in R', () => {
    const rows = decisionCurve({ outcome, predictors: { model }, thresholds: [1] });
    expect(rows[0]?.net_benefit).toBe(-Infinity);
    expect(rows[1]?.net_benefit).toBeNaN();
  });
});

describe('decisionCurve degenerate input', () => {
  it.each([
    [{ outcome: [], predictors: {} }, 'EMPTY_INPUT'],
    [{ outcome: [0, 0, 0], predictors: { m: [0.1, 0.2, 0.3] } }, 'NO_OUTCOME_VARIATION'],
    [{ outcome: [1, 1], predictors: { m: [0.1, 0.2] } }, 'NO_OUTCOME_VARIATION'],
    [{ outcome: [0, 2], predictors: { m: [0.1, 0.2] } }, 'NOT_BINARY'],
    [{ outcome: [0, 1], predictors: { m: [0.1] } }, 'LENGTH_MISMATCH'],
    [{ outcome: [0, 1], predictors: { m: [0.1, 1.2] } }, 'OUT_OF_RANGE'],
    [{ outcome: [0, 1], predictors: { m: [0.1, Number.NaN] } }, 'OUT_OF_RANGE'],
    [{ outcome: [0, 1], predictors: { all: [0.1, 0.2] } }, 'INVALID_ARGUMENT'],
    [{ outcome: [0, 1], predictors: { m: [0.1, 0.2] }, thresholds: [] }, 'EMPTY_INPUT'],
    [{ outcome: [0, 1], predictors: { m: [0.1, 0.2] }, thresholds: [1.1] }, 'OUT_OF_RANGE'],
    [{ outcome: [0, 1], predictors: { m: [0.1, 0.2] }, prevalence: -0.1 }, 'OUT_OF_RANGE'],
    [{ outcome: [0, 1], predictors: { m: [0.1, 0.2] }, harm: { x: 0.1 } }, 'INVALID_ARGUMENT'],
  ] as const)('%j → %s', (input, code) => {
    expect(() => decisionCurve(input)).toThrowError(expect.objectContaining({ code }));
  });

  it('all patients test-positive: the predictor equals treat-all', () => {
    const rows = decisionCurve({ outcome: [0, 1, 1, 0], predictors: { m: [1, 1, 1, 1] }, thresholds: [0.1, 0.5] });
    expect(rows.filter((r) => r.variable === 'm').map((r) => r.net_benefit)).toEqual(rows.filter((r) => r.variable === 'all').map((r) => r.net_benefit));
  });
});

interface BootstrapFixture {
  xoshiroFromState1234: number[];
  streams: Record<string, number[]>;
  dcaBootstrap: { replicates: number; seed: number; rows: { variable: string; threshold: number; net_benefit: number; net_benefit_lower: number; net_benefit_upper: number }[] };
  netBenefitDifference: {
    replicates: number;
    seed: number;
    thresholds: number[];
    rows: { threshold: number; net_benefit_a: number; net_benefit_b: number; difference: number; difference_lower: number; difference_upper: number }[];
  };
}
const boot = readFixture<BootstrapFixture>('bootstrap.json');

describe('seeded bootstrap vs the NumPy twin (bootstrap.json)', () => {
  it('xoshiro128** stream equals the Python implementation (itself checked against the reference vector)', () => {
    for (const [seed, expected] of Object.entries(boot.streams)) {
      const rng = createSeededRandom(Number(seed));
      expect(
        expected.map(() => rng.nextUint32()),
        `seed ${seed}`,
      ).toEqual(expected);
    }
  });

  it('stratified bootstrap DCA intervals match to 1e-12', () => {
    const { replicates, seed, rows: expected } = boot.dcaBootstrap;
    const result = decisionCurveBootstrap({ outcome, predictors: { model, clinician } }, { replicates, seed, strata: arm.map((a, i) => `${a}:${stratum[i] ?? ''}`) });
    expect(result.rows.length).toBe(expected.length);
    result.rows.forEach((row, k) => {
      const ref = expected[k];
      if (!ref) throw new Error('missing row');
      expect(`${row.variable}@${row.threshold}`).toBe(`${ref.variable}@${ref.threshold}`);
      expectClose(row.net_benefit, ref.net_benefit, { abs: 1e-12 }, `${ref.variable}@${ref.threshold} nb`);
      expectClose(row.net_benefit_lower, ref.net_benefit_lower, { abs: 1e-12 }, `${ref.variable}@${ref.threshold} lower`);
      expectClose(row.net_benefit_upper, ref.net_benefit_upper, { abs: 1e-12 }, `${ref.variable}@${ref.threshold} upper`);
    });
  });

  it('difference in net benefit between arms matches to 1e-12', () => {
    const { replicates, seed, thresholds, rows: expected } = boot.netBenefitDifference;
    const pick = <T>(values: readonly T[], a: string): T[] => values.filter((_, i) => arm[i] === a);
    const armData = (a: string) => ({ outcome: pick(outcome, a), risk: pick(clinician, a), strata: pick(stratum, a) });
    const rows = netBenefitDifference(armData('A'), armData('B'), { thresholds }, { replicates, seed });
    rows.forEach((row, k) => {
      const ref = expected[k];
      if (!ref) throw new Error('missing row');
      for (const key of ['net_benefit_a', 'net_benefit_b', 'difference', 'difference_lower', 'difference_upper'] as const) {
        expectClose(row[key], ref[key], { abs: 1e-12 }, `t=${ref.threshold} ${key}`);
      }
    });
  });

  it('same seed → same intervals; different seed → different intervals', () => {
    const run = (seed: number) => decisionCurveBootstrap({ outcome, predictors: { model } }, { replicates: 50, seed }).rows.map((r) => r.net_benefit_lower);
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });

  it('rejects bad bootstrap options', () => {
    expect(() => decisionCurveBootstrap({ outcome, predictors: { model } }, { replicates: 0, seed: 1 })).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => decisionCurveBootstrap({ outcome, predictors: { model } }, { replicates: 10, seed: 1, strata: ['x'] })).toThrowError(expect.objectContaining({ code: 'LENGTH_MISMATCH' }));
  });
});
