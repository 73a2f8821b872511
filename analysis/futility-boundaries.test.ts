import { describe, expect, it } from 'vitest';
import type { SpendingFunction } from './alpha-spending';
import { expectClose } from '../test/support/expect-close';
import { readFixture } from '../test/support/read-analysis-fixture';
import { groupSequentialDesign } from './group-sequential-design';

interface FutilityFixture {
  alpha: number;
  beta: number;
  type: 'asOF' | 'asP' | 'asHSD';
  gammaA: number | null;
  betaType: 'bsOF' | 'bsP' | 'bsHSD';
  gammaB: number | null;
  info: number[];
  criticalValues: number[];
  futilityBounds: number[];
  inflationFactor: number;
  shift: number;
  power: number[];
}
// Made by analysis/fixtures/generate-futility.R (rpact).
const fixture = readFixture<{ rpactVersion: string; designs: FutilityFixture[] }>('gsd-futility.json');

const spending = (type: string, gamma: number | null): SpendingFunction => (type.endsWith('OF') ? { type: 'obf' } : type.endsWith('P') ? { type: 'pocock' } : { type: 'hsd', gamma: gamma as number });

describe(`non-binding futility boundaries by beta spending (rpact ${fixture.rpactVersion})`, () => {
  for (const f of fixture.designs) {
    it(`${f.type}/${f.betaType} at ${f.info.map((x) => x.toFixed(2)).join(', ')}`, () => {
      const d = groupSequentialDesign({ informationFractions: f.info, alpha: f.alpha, beta: f.beta, spending: spending(f.type, f.gammaA), futility: { spending: spending(f.betaType, f.gammaB) } });
      d.looks.forEach((l, k) => {
        // Efficacy bounds are those of the design without futility (non-binding).
        expectClose(l.criticalValue, f.criticalValues[k]!, { abs: 2e-7 }, `critical value ${k + 1}`);
        expectClose(l.cumulativePower!, f.power[k]!, { abs: 1e-6 }, `power by look ${k + 1}`);
        if (k + 1 < f.info.length) expectClose(l.futilityValue!, f.futilityBounds[k]!, { abs: 1e-6 }, `futility bound ${k + 1}`);
        else expect(l.futilityValue).toBeNull();
      });
      expectClose(d.inflationFactor!, f.inflationFactor, { rel: 1e-7 }, 'inflation factor');
      expectClose(d.drift! ** 2, f.shift, { rel: 1e-7 }, 'shift');
      expect(d.method).toContain('non-binding futility');
    });
  }

  it('refuses futility on a two-sided design or one that does not end at t = 1', () => {
    const futility = { spending: { type: 'obf' } as const };
    expect(() => groupSequentialDesign({ informationFractions: [0.5, 1], alpha: 0.05, sided: 2, spending: { type: 'obf' }, futility })).toThrow(/one-sided/);
    expect(() => groupSequentialDesign({ informationFractions: [0.5, 0.8], alpha: 0.025, spending: { type: 'obf' }, futility })).toThrow(/one-sided/);
  });

  it('keeps futility values null without a futility plan', () => {
    const d = groupSequentialDesign({ informationFractions: [0.5, 1], alpha: 0.025, spending: { type: 'obf' } });
    expect(d.looks.map((l) => l.futilityValue)).toEqual([null, null]);
  });
});
