import { describe, expect, it } from 'vitest';
import type { ArmCounts } from './arm-counts';
import { cochranMantelHaenszelTest } from './cochran-mantel-haenszel-test';
import { compareArms } from './compare-arms';
import { expectClose } from '../test/support/expect-close';
import { readFixture } from '../test/support/read-analysis-fixture';
import { mantelHaenszelOddsRatio } from './mantel-haenszel-odds-ratio';
import { mantelHaenszelRiskDifference } from './mantel-haenszel-risk-difference';

interface StratifiedCase {
  strata: ArmCounts[];
  mhOddsRatio: { estimate: number; ci: [number, number] };
  mhRiskDifference: { estimate: number; ci: [number, number] };
  cmh: { statistic: number; p: number };
  cmhCorrected: { statistic: number; p: number };
}

const fixture = readFixture<Record<string, StratifiedCase>>('stratified.json');
const TOL = { rel: 1e-12, abs: 1e-14 }; // closed forms
const P_TOL = { rel: 1e-11, abs: 1e-300 };

describe('Mantel-Haenszel vs R mantelhaen.test / Sato formula (stratified.json)', () => {
  it.each(Object.entries(fixture))('%s', (_name, c) => {
    const or = mantelHaenszelOddsRatio(c.strata);
    expectClose(or.estimate, c.mhOddsRatio.estimate, TOL, 'MH OR');
    expectClose(or.lower, c.mhOddsRatio.ci[0], TOL, 'MH OR lower');
    expectClose(or.upper, c.mhOddsRatio.ci[1], TOL, 'MH OR upper');
    const rd = mantelHaenszelRiskDifference(c.strata);
    expectClose(rd.estimate, c.mhRiskDifference.estimate, TOL, 'MH RD');
    expectClose(rd.lower, c.mhRiskDifference.ci[0], TOL, 'MH RD lower');
    expectClose(rd.upper, c.mhRiskDifference.ci[1], TOL, 'MH RD upper');
    const plain = cochranMantelHaenszelTest(c.strata, { correct: false });
    const corrected = cochranMantelHaenszelTest(c.strata, { correct: true });
    expectClose(plain.statistic ?? Number.NaN, c.cmh.statistic, TOL, 'CMH X²');
    expectClose(plain.pValue, c.cmh.p, P_TOL, 'CMH p');
    expectClose(corrected.statistic ?? Number.NaN, c.cmhCorrected.statistic, TOL, 'CMH X² corrected');
    expectClose(corrected.pValue, c.cmhCorrected.p, P_TOL, 'CMH p corrected');
  });

  it('compareArms adds the stratified figures when strata are given', () => {
    const c = fixture.two as StratifiedCase;
    const totals = c.strata.reduce((t, s) => ({ eventsA: t.eventsA + s.eventsA, nA: t.nA + s.nA, eventsB: t.eventsB + s.eventsB, nB: t.nB + s.nB }), { eventsA: 0, nA: 0, eventsB: 0, nB: 0 });
    const result = compareArms(totals, { strata: c.strata });
    const stratified = result.estimates.filter((e) => e.stratified);
    expect(stratified.map((e) => e.method)).toEqual(['Mantel-Haenszel (Sato variance)', 'Mantel-Haenszel (Robins-Breslow-Greenland CI)']);
    expectClose(result.tests.find((t) => t.method === 'Cochran-Mantel-Haenszel test')?.pValue ?? Number.NaN, c.cmh.p, P_TOL, 'CMH p');
    expect(() => compareArms({ ...totals, nA: totals.nA + 1 }, { strata: c.strata })).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('degenerate strata', () => {
  it('no strata → EMPTY_INPUT; an empty arm in a stratum → EMPTY_GROUP naming the stratum', () => {
    expect(() => mantelHaenszelOddsRatio([])).toThrowError(expect.objectContaining({ code: 'EMPTY_INPUT' }));
    expect(() => mantelHaenszelRiskDifference([{ eventsA: 1, nA: 2, eventsB: 0, nB: 0 }])).toThrowError(/stratum 0/);
  });
  it('no events anywhere: MH OR undefined, CMH has no variation, MH RD is 0 with a zero-width interval', () => {
    const strata = [
      { eventsA: 0, nA: 5, eventsB: 0, nB: 6 },
      { eventsA: 0, nA: 3, eventsB: 0, nB: 4 },
    ];
    expect(() => mantelHaenszelOddsRatio(strata)).toThrowError(expect.objectContaining({ code: 'UNDEFINED_ESTIMATE' }));
    expect(() => cochranMantelHaenszelTest(strata, { correct: true })).toThrowError(expect.objectContaining({ code: 'NO_OUTCOME_VARIATION' }));
    const rd = mantelHaenszelRiskDifference(strata);
    expect([rd.estimate, rd.lower, rd.upper]).toEqual([0, 0, 0]);
  });
  it('a one-patient stratum is rejected by the CMH test, as R does', () => {
    expect(() => cochranMantelHaenszelTest([{ eventsA: 1, nA: 1, eventsB: 0, nB: 0 }], { correct: false })).toThrowError();
  });
});
