import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectClose } from '../../test/support/expect-close';
import { readFixture } from '../../test/support/read-analysis-fixture';
import { CliUsageError } from '../command';
import compareArms from './compare-arms';
import dca from './dca';

const data = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'analysis', 'fixtures', 'dca-data.csv');

async function capture(run: () => Promise<number>): Promise<{ code: number; out: string }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    const code = await run();
    return { code, out: chunks.join('') };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

type Row = Record<string, string | number>;
const NUMERIC = ['n', 'threshold', 'pos_rate', 'tp_rate', 'fp_rate', 'harm', 'net_benefit', 'net_intervention_avoided', 'standardized_net_benefit'];
const asNumber = (v: string | number | undefined): number => (v === 'Inf' ? Infinity : v === '-Inf' ? -Infinity : Number(v));

describe('segtrial dca', () => {
  it('--format json reproduces the R reference (dcurves layout, case-control prevalence and harm)', async () => {
    const fixture = readFixture<{ caseControl: { rows: Row[] } }>('dca.json').caseControl;
    const { code, out } = await capture(() =>
      dca.run(['--data', data, '--outcome', 'outcome', '--predictors', 'model,clinician', '--thresholds', '0:1:0.01', '--prevalence', '0.2', '--harm', 'model=0.01', '--format', 'json']),
    );
    expect(code).toBe(0);
    const rows = JSON.parse(out) as Row[];
    expect(rows.length).toBe(fixture.rows.length);
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'variable',
      'label',
      ...NUMERIC.slice(0, 1),
      'threshold',
      'pos_rate',
      'tp_rate',
      'fp_rate',
      'harm',
      'net_benefit',
      'net_intervention_avoided',
      'standardized_net_benefit',
    ]);
    rows.forEach((row, k) => {
      const ref = fixture.rows[k] ?? {};
      expect(row.variable).toBe(ref.variable);
      expect(row.label).toBe(ref.label);
      for (const key of NUMERIC) expectClose(asNumber(row[key]), asNumber(ref[key]), { abs: 1e-12 }, `${String(row.variable)} ${String(row.threshold)} ${key}`);
    });
  });

  it('CSV output with default thresholds has dcurves columns and all/none rows', async () => {
    const fixture = readFixture<{ default: { rows: Row[] } }>('dca.json').default;
    const { out } = await capture(() => dca.run(['--data', data, '--outcome', 'outcome', '--predictors', 'model,clinician']));
    const [header, ...lines] = out.trimEnd().split('\r\n');
    expect(header).toBe('variable,label,n,threshold,pos_rate,tp_rate,fp_rate,harm,net_benefit,net_intervention_avoided,standardized_net_benefit');
    expect(lines.length).toBe(fixture.rows.length);
    lines.forEach((line, k) => {
      const cells = line.split(',');
      const ref = fixture.rows[k] ?? {};
      expect(cells[0]).toBe(ref.variable);
      expectClose(asNumber(cells[8]), asNumber(ref.net_benefit), { abs: 1e-12 }, `row ${k} net_benefit`);
      expectClose(asNumber(cells[9]), asNumber(ref.net_intervention_avoided), { abs: 1e-12 }, `row ${k} nia`);
    });
  });

  it('--bootstrap adds net_benefit_lower/upper, reproducible by seed', async () => {
    const args = ['--data', data, '--outcome', 'outcome', '--predictors', 'model', '--thresholds', '0.1:0.2:0.1', '--bootstrap', '50', '--seed', '7', '--strata', 'arm,stratum'];
    const a = await capture(() => dca.run(args));
    const b = await capture(() => dca.run(args));
    expect(a.out).toBe(b.out);
    expect(a.out.split('\r\n')[0]).toMatch(/,net_benefit_lower,net_benefit_upper$/);
  });

  it.each([
    [['--outcome', 'outcome', '--predictors', 'model'], /required/],
    [['--data', data, '--outcome', 'outcome', '--predictors', 'nope'], /column 'nope' not in/],
    [['--data', data, '--outcome', 'outcome', '--predictors', 'model', '--thresholds', '0:1'], /from:to:by/],
    [['--data', data, '--outcome', 'outcome', '--predictors', 'model', '--bootstrap', '10'], /--seed/],
    [['--data', data, '--outcome', 'outcome', '--predictors', 'model', '--format', 'xml'], /--format/],
    [['--data', data, '--outcome', 'model', '--predictors', 'clinician'], /NOT_BINARY/],
  ])('bad arguments %j → CliUsageError', async (args, message) => {
    await expect(dca.run(args)).rejects.toThrowError(CliUsageError);
    await expect(dca.run(args)).rejects.toThrowError(message);
  });
});

describe('segtrial compare-arms', () => {
  it('--json prints every figure with its method, matching R', async () => {
    const ref = readFixture<{ newcombe: [number, number]; fisherP: number }[]>('arm-comparison.json')[0];
    const { out } = await capture(() => compareArms.run(['--events-a', '12', '--n-a', '50', '--events-b', '5', '--n-b', '48', '--json']));
    const result = JSON.parse(out) as { estimates: { method: string; lower: number }[]; tests: { method: string; pValue: number }[] };
    const newcombe = result.estimates.find((e) => e.method.startsWith('Newcombe'));
    expectClose(newcombe?.lower ?? Number.NaN, ref?.newcombe[0] ?? 0, { rel: 1e-12 }, 'Newcombe lower');
    expectClose(result.tests[0]?.pValue ?? Number.NaN, ref?.fisherP ?? 0, { rel: 1e-9 }, 'Fisher p');
  });
  it('prints a readable table without --json', async () => {
    const { out } = await capture(() => compareArms.run(['--events-a', '12', '--n-a', '50', '--events-b', '5', '--n-b', '48']));
    expect(out).toContain('Newcombe hybrid score (method 10)');
    expect(out).toContain('12/50');
  });
  it.each([
    [['--events-a', '12', '--n-a', '50', '--events-b', '5'], /--n-b is required/],
    [['--events-a=-1', '--n-a', '50', '--events-b', '5', '--n-b', '48'], /non-negative integer/],
    [['--events-a', '60', '--n-a', '50', '--events-b', '5', '--n-b', '48'], /EVENTS_EXCEED_TOTAL/],
  ])('bad arguments %j → CliUsageError', async (args, message) => {
    await expect(compareArms.run(args)).rejects.toThrowError(message);
  });
});
