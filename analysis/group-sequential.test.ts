import { describe, expect, it } from 'vitest';
import { alphaSpending, type SpendingFunction } from './alpha-spending';
import { expectClose } from '../test/support/expect-close';
import { readFixture } from '../test/support/read-analysis-fixture';
import { groupSequentialDesign } from './group-sequential-design';
import { groupSequentialMonitor } from './group-sequential-monitor';
import { groupSequentialProbabilities } from './group-sequential-probabilities';

interface DesignFixture {
  kMax: number;
  alpha: number;
  beta: number;
  sided: 1 | 2;
  type: 'asOF' | 'asP' | 'asHSD';
  gamma: number | null;
  info: number[];
  hazardRatio: number;
  effectSize: number;
  criticalValues: number[];
  alphaSpent: number[];
  stageLevels: number[];
  inflationFactor: number;
  shift: number;
  maxEvents: number | null;
  maxSubjects: number | null;
}
const fixture = readFixture<{ designs: DesignFixture[]; monitor: { planned: number; events: number[]; alpha: number; criticalValues: number[] } }>('gsd.json');

function spendingOf(d: DesignFixture): SpendingFunction {
  if (d.type === 'asOF') return { type: 'obf' };
  if (d.type === 'asP') return { type: 'pocock' };
  return { type: 'hsd', gamma: d.gamma as number };
}

describe('group-sequential designs vs rpact (gsd.json)', () => {
  // rpact's own integration and spending values agree with exact formulas to about 1e-8
  // (it reports the final cumulative α as α − 1e-8), so critical values are compared to 2e-7.
  it.each(fixture.designs.map((d) => [`${d.type}${d.gamma !== null ? ` γ=${d.gamma}` : ''}, K=${d.kMax}, ${d.sided}-sided`, d] as const))('%s', (_name, d) => {
    const r = groupSequentialDesign({ informationFractions: d.info, alpha: d.alpha, beta: d.beta, sided: d.sided, spending: spendingOf(d), hazardRatio: d.hazardRatio, effectSize: d.effectSize });
    r.looks.forEach((l, k) => {
      expectClose(l.criticalValue, d.criticalValues[k] as number, { abs: 2e-7 }, `critical value ${k + 1}`);
      expectClose(l.cumulativeAlpha, d.alphaSpent[k] as number, { rel: 1e-7, abs: 2e-8 }, `alpha spent ${k + 1}`);
    });
    expectClose(r.inflationFactor as number, d.inflationFactor, { rel: 1e-6 }, 'inflation factor');
    expectClose((r.drift as number) ** 2, d.shift, { rel: 1e-6 }, 'shift');
    if (d.maxEvents !== null) expectClose(r.maxEvents as number, d.maxEvents, { rel: 1e-6 }, 'max events');
    if (d.maxSubjects !== null) expectClose(r.maxSubjects as number, d.maxSubjects, { rel: 1e-6 }, 'max subjects');
  });

  it('the boundaries spend exactly the planned α under the null (self-consistency of the integration)', () => {
    const d = groupSequentialDesign({ informationFractions: [0.2, 0.5, 0.8, 1], alpha: 0.025, spending: { type: 'hsd', gamma: -2 } });
    const p = groupSequentialProbabilities(
      d.looks.map((l) => l.informationFraction),
      d.looks.map((l) => l.criticalValue),
      d.looks.map(() => -Infinity),
      0,
    );
    let total = 0;
    p.upper.forEach((u, k) => {
      total += u;
      expectClose(total, d.looks[k]?.cumulativeAlpha as number, { rel: 1e-9 }, `cumulative α ${k + 1}`);
    });
  });

  it('spending functions reach α at t = 1 and HSD(γ = 0) is linear', () => {
    for (const s of [{ type: 'obf' }, { type: 'pocock' }, { type: 'hsd', gamma: -4 }] as const) expect(alphaSpending(s, 0.05, 1)).toBe(0.05);
    expect(alphaSpending({ type: 'hsd', gamma: 0 }, 0.05, 0.4)).toBeCloseTo(0.02, 15);
  });

  it('rejects malformed designs', () => {
    expect(() => groupSequentialDesign({ informationFractions: [0.5, 0.5, 1], alpha: 0.025, spending: { type: 'obf' } })).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => groupSequentialDesign({ informationFractions: [0.5, 1], alpha: 1.2, spending: { type: 'obf' } })).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => groupSequentialDesign({ informationFractions: [0.5, 1], alpha: 0.025, spending: { type: 'obf' }, hazardRatio: 1 })).toThrowError(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe('interim monitoring at observed information fractions', () => {
  it('recomputes the boundaries at events / planned events as rpact', () => {
    const m = fixture.monitor;
    const r = groupSequentialMonitor(
      { alpha: m.alpha, spending: { type: 'obf' }, plannedInformation: m.planned },
      m.events.map((e) => ({ information: e, z: 1 })),
    );
    r.looks.forEach((l, k) => expectClose(l.criticalValue, m.criticalValues[k] as number, { abs: 2e-7 }, `boundary ${k + 1}`));
    expect(r.looks.map((l) => l.recommendation)).toEqual(['continue', 'continue', 'final analysis: not significant']);
  });
  it('stops at the first look whose z crosses its boundary', () => {
    const r = groupSequentialMonitor({ alpha: 0.025, spending: { type: 'obf' }, plannedInformation: 250 }, [
      { information: 80, z: 2.0 },
      { information: 170, z: 2.9 },
      { information: 250, z: 3.5 },
    ]);
    expect(r.stopped).toBe(true);
    expect(r.looks.map((l) => l.recommendation)).toEqual(['continue', 'stop for efficacy']);
  });
  it('a two-sided design flags a crossing in the harmful direction', () => {
    const r = groupSequentialMonitor({ alpha: 0.05, sided: 2, spending: { type: 'pocock' }, plannedInformation: 100 }, [{ information: 50, z: -3 }]);
    expect(r.looks[0]?.recommendation).toBe('stop: boundary crossed in the harmful direction');
  });
});
