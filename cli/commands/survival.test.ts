import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { expectClose } from '../../test/support/expect-close';
import { readFixture } from '../../test/support/read-analysis-fixture';
import { CliUsageError } from '../command';
import gsd from './gsd';
import survival from './survival';

async function capture(run: () => Promise<number>): Promise<{ code: number; out: string }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    return { code: await run(), out: chunks.join('') };
  } finally {
    spy.mockRestore();
  }
}
afterEach(() => vi.restoreAllMocks());

interface Dataset {
  name: string;
  time: number[];
  event: number[];
  arm: string[];
  stratum: string[];
  arms: [string, string];
  km: Record<string, { median: number | null; median_lower: number | null; median_upper: number | null }>;
  logrank: { chisq: number; p: number };
  logrank_stratified: { chisq: number };
  cox_efron: { beta: number[]; lower: number[]; upper: number[] };
}
const veteran = readFixture<{ datasets: Dataset[] }>('survival.json').datasets.find((d) => d.name === 'veteran') as Dataset;
const dir = mkdtempSync(path.join(tmpdir(), 'segtrial-survival-'));
const csv = path.join(dir, 'veteran.csv');
// One row with a missing time: dropped with a note, as R's model.frame.
writeFileSync(csv, ['time,status,trt,celltype', ...veteran.time.map((t, i) => `${t},${veteran.event[i]},${veteran.arm[i]},${veteran.stratum[i]}`), 'NA,1,test,large'].join('\n'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('segtrial survival', () => {
  it('--json reproduces R survfit medians, survdiff and coxph on the veteran data', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { code, out } = await capture(() => survival.run(['--data', csv, '--time', 'time', '--event', 'status', '--group', 'trt', '--json']));
    expect(code).toBe(0);
    expect(String(stderr.mock.calls[0]?.[0])).toContain('dropped 1 row');
    const r = JSON.parse(out) as {
      kaplanMeier: { group: string; median: number | null; lower: number | null; upper: number | null }[];
      logRank: { chiSquare: number; p: number };
      cox: { hazardRatios: { hazardRatio: number; lower: number; upper: number }[] };
    };
    for (const g of r.kaplanMeier) {
      const ref = veteran.km[g.group];
      expect([g.median, g.lower, g.upper]).toEqual([ref?.median, ref?.median_lower, ref?.median_upper]);
    }
    expectClose(r.logRank.chiSquare, veteran.logrank.chisq, { rel: 1e-11 }, 'log-rank');
    const hr = r.cox.hazardRatios[0];
    expectClose(hr?.hazardRatio ?? 0, Math.exp(veteran.cox_efron.beta[0] ?? 0), { rel: 1e-8 }, 'HR');
    expectClose(hr?.lower ?? 0, veteran.cox_efron.lower[0] ?? 0, { rel: 1e-8 }, 'HR lower');
  });
  it('--strata stratifies the log-rank test; text output names the reference group', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { out } = await capture(() => survival.run(['--data', csv, '--time', 'time', '--event', 'status', '--group', 'trt', '--strata', 'celltype']));
    stderr.mockRestore();
    expect(out).toContain(`Stratified log-rank: chi-square ${veteran.logrank_stratified.chisq.toPrecision(4)}`);
    expect(out).toContain('reference standard');
  });
  it('names a missing column and a non-numeric time', async () => {
    await expect(survival.run(['--data', csv, '--time', 'days', '--event', 'status', '--group', 'trt'])).rejects.toThrowError(/column 'days' not in/);
    await expect(survival.run(['--data', csv, '--time', 'trt', '--event', 'status', '--group', 'trt'])).rejects.toBeInstanceOf(CliUsageError);
  });
});

describe('segtrial gsd', () => {
  const designs = readFixture<{
    designs: {
      type: string;
      kMax: number;
      alpha: number;
      beta: number;
      sided: number;
      info: number[];
      hazardRatio: number;
      criticalValues: number[];
      inflationFactor: number;
      maxEvents: number | null;
    }[];
  }>('gsd.json').designs;
  it('design --json reproduces rpact (O’Brien–Fleming type, 3 looks, max events)', async () => {
    const ref = designs[0];
    if (!ref) throw new Error('fixture');
    const { code, out } = await capture(() => gsd.run(['design', '--looks', '3', '--alpha', '0.025', '--beta', '0.2', '--spending', 'obf', '--hr', String(ref.hazardRatio), '--json']));
    expect(code).toBe(0);
    const d = JSON.parse(out) as { looks: { criticalValue: number }[]; inflationFactor: number; maxEvents: number };
    d.looks.forEach((l, k) => expectClose(l.criticalValue, ref.criticalValues[k] as number, { abs: 2e-7 }, `look ${k + 1}`));
    expectClose(d.inflationFactor, ref.inflationFactor, { rel: 1e-6 }, 'inflation');
    expectClose(d.maxEvents, ref.maxEvents as number, { rel: 1e-6 }, 'max events');
  });
  it('monitor prints the recommendation of the boundary', async () => {
    const { out } = await capture(() => gsd.run(['monitor', '--alpha', '0.025', '--spending', 'obf', '--planned', '250', '--looks', '70:1.2,160:2.7']));
    expect(out.trim().split('\n').at(-1)).toMatch(/stop for efficacy$/);
  });
  it('refuses an unknown spending function', async () => {
    await expect(gsd.run(['design', '--looks', '3', '--alpha', '0.025', '--spending', 'linear'])).rejects.toThrowError(/--spending must be/);
  });
  it("design --futility adds rpact's non-binding beta-spending futility bounds", async () => {
    // analysis/fixtures/generate-futility.R: asOF with bsHSD gammaB = -2 at 1/3, 2/3, 1.
    const ref = readFixture<{ designs: { futilityBounds: number[]; inflationFactor: number }[] }>('gsd-futility.json').designs[0]!;
    const { code, out } = await capture(() => gsd.run(['design', '--looks', '3', '--alpha', '0.025', '--spending', 'obf', '--futility', 'hsd:-2', '--json']));
    expect(code).toBe(0);
    const d = JSON.parse(out) as { looks: { futilityValue: number | null }[]; inflationFactor: number };
    d.looks.slice(0, 2).forEach((l, k) => expectClose(l.futilityValue!, ref.futilityBounds[k]!, { abs: 1e-6 }, `futility ${k + 1}`));
    expect(d.looks[2]!.futilityValue).toBeNull();
    expectClose(d.inflationFactor, ref.inflationFactor, { rel: 1e-7 }, 'inflation');
    await expect(gsd.run(['design', '--looks', '2', '--alpha', '0.025', '--spending', 'obf', '--futility', 'nope'])).rejects.toThrowError(/--futility must be/);
  });
});
