import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildAdsl } from '@/analysis/build-adsl';
import { buildAdtte } from '@/analysis/build-adtte';
import { AnalysisInputError } from '@/analysis/errors';
import { formatCsv } from '@/analysis/format-csv';
import { expectClose } from '@/test/support/expect-close';
import { readFixture } from '@/test/support/read-analysis-fixture';
import { computeSurvivalAnalytics, DAYS_PER_MONTH } from '../analytics/compute-survival-analytics';
import { adamSampleTrial } from '@/test/support/adam-sample-trial';
import { adamSubjectsOf } from './adam-subjects-of';

type Km = { n: number; events: number; median: number | null; lower: number | null; upper: number | null };
type Param = { rows: number; km: Record<string, Km>; logrank: { chisq: number; p: number }; logrank_stratified: { chisq: number; p: number } };
const reference = readFixture<{ PFS: Param; OS: Param }>('adtte-check.json');
const { dataset, extras } = adamSampleTrial();
const { study, subjects } = adamSubjectsOf(dataset, extras);

describe('ADaM ADTTE reproduces the platform survival report in R (generate-adtte-check.R)', () => {
  it('the committed ADTTE sample is what the builder writes now (else rerun write-adtte-sample.ts and the R script)', () => {
    expect(formatCsv(buildAdtte(study, subjects))).toBe(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../analysis/fixtures/adtte-sample.csv'), 'utf8'));
  });

  const report = computeSurvivalAnalytics({ rows: dataset.rows, armA: 'ai_assisted', armB: 'control', labelOf: (a) => a, horizonMonths: 12 });
  for (const code of ['PFS', 'OS'] as const) {
    it(`${code}: KM medians with Brookmeyer-Crowley limits and the log-rank tests agree with survival::survfit / survdiff on the export`, () => {
      const ref = reference[code];
      const mine = report.find((e) => e.endpoint === code.toLowerCase());
      expect(mine).toBeDefined();
      expect(ref.rows).toBe(dataset.rows.length);
      for (const arm of mine!.arms) {
        const r = ref.km[arm.arm.toUpperCase()] as Km;
        // R sees every randomized participant (no follow-up: censored at day 0); the report leaves those out and counts them.
        expect(r.n).toBe(arm.n + arm.missing);
        expect(r.events).toBe(arm.events);
        expect(arm.curve.available).toBe(true);
        if (!arm.curve.available) continue;
        const m = arm.curve.value.median;
        for (const f of ['median', 'lower', 'upper'] as const) {
          const want = r[f];
          if (want === null) expect(m[f], `${arm.arm} ${f}`).toBeNull();
          else expectClose((m[f] as number) * DAYS_PER_MONTH, want, { rel: 1e-12 }, `${code} ${arm.arm} ${f}`);
        }
      }
      expect(mine!.logRank.available && mine!.logRankStratified.available).toBe(true);
      if (!mine!.logRank.available || !mine!.logRankStratified.available) return;
      expectClose(mine!.logRank.value.chiSquare, ref.logrank.chisq, { rel: 1e-10 }, 'log-rank chi-square');
      expectClose(mine!.logRank.value.p, ref.logrank.p, { rel: 1e-8 }, 'log-rank p');
      expectClose(mine!.logRankStratified.value.chiSquare, ref.logrank_stratified.chisq, { rel: 1e-10 }, 'stratified log-rank chi-square');
      expectClose(mine!.logRankStratified.value.p, ref.logrank_stratified.p, { rel: 1e-8 }, 'stratified log-rank p');
    });
  }
});

describe('ADaM ADSL and ADTTE structure', () => {
  const adsl = buildAdsl(study, subjects);
  const adtte = buildAdtte(study, subjects);
  const col = (d: typeof adsl, name: string) => d.rows.map((r) => r[d.columns.indexOf(name)]);

  it('ADSL: one row per randomized participant, flags from the data, names and labels within the SAS transport limits', () => {
    expect(adsl.rows).toHaveLength(dataset.rows.length);
    expect(new Set(col(adsl, 'USUBJID')).size).toBe(dataset.rows.length);
    expect(col(adsl, 'ITTFL').every((v) => v === 'Y')).toBe(true);
    expect(col(adsl, 'PPROTFL').filter((v) => v === 'N')).toHaveLength(dataset.rows.filter((r) => r.withdrawn || r.protocolDeviation).length);
    expect(col(adsl, 'EOSSTT').filter((v) => v === 'DISCONTINUED')).toHaveLength(dataset.rows.filter((r) => r.withdrawn).length);
    expect(col(adsl, 'DCSREAS').filter((v) => v !== '')).toEqual(expect.arrayContaining(['WITHDRAWAL BY SUBJECT: WITHDREW CONSENT']));
    expect(col(adsl, 'STRAT1')).toEqual(dataset.rows.map((r) => r.levels.age_band));
    expect(col(adsl, 'DTHFL').filter((v) => v === 'Y')).toHaveLength(dataset.rows.filter((r) => r.osEvent === 1).length);
    for (const d of [adsl, adtte]) {
      expect(d.variables.map((v) => v.name)).toEqual(d.columns);
      for (const v of d.variables) {
        expect(v.name).toMatch(/^[A-Z][A-Z0-9]{0,7}$/);
        expect(v.label.length).toBeLessThanOrEqual(40);
        expect(v.derivation.length).toBeGreaterThan(0);
      }
    }
  });

  it('ADTTE: two rows per participant; CNSR is the complement of the event; ADT − STARTDT = AVAL; no follow-up is censored at day 0', () => {
    expect(adtte.rows).toHaveLength(2 * dataset.rows.length);
    const days = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 86_400_000;
    for (const r of adtte.rows) {
      const get = (n: string) => r[adtte.columns.indexOf(n)];
      expect(days(get('STARTDT') as string, get('ADT') as string)).toBe(get('AVAL'));
      expect(get('CNSR') === 0 ? get('EVNTDESC') : get('CNSDTDSC')).not.toBe('');
    }
    const none = dataset.rows.filter((r) => r.pfsDays === null).map((r) => r.studyId);
    expect(none.length).toBeGreaterThan(0);
    const noneRows = adtte.rows.filter((r) => none.includes(r[adtte.columns.indexOf('SUBJID')] as string));
    expect(noneRows.every((r) => r[adtte.columns.indexOf('AVAL')] === 0 && r[adtte.columns.indexOf('CNSR')] === 1)).toBe(true);
  });

  it('refuses a subject whose arm is not in the design with a typed error naming it', () => {
    const bad = [{ ...subjects[0]!, arm: 'placebo' }];
    expect(() => buildAdsl(study, bad)).toThrow(AnalysisInputError);
    expect(() => buildAdtte(study, bad)).toThrow(/placebo/);
  });
});
