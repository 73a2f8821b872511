import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { armSubgroupInteraction, type SubgroupArmCounts } from './arm-subgroup-interaction';
import { benjaminiHochbergAdjust } from './benjamini-hochberg-adjust';
import { expectClose } from '../test/support/expect-close';
import { readFixture } from '../test/support/read-analysis-fixture';
import { holmAdjust } from './holm-adjust';

const pAdjust = readFixture<{ p: number[]; holm: number[]; bh: number[] }[]>('p-adjust.json');

describe('p-value adjustment vs R p.adjust (p-adjust.json)', () => {
  it.each(pAdjust.map((c) => [c.p.join(','), c] as const))('p = %s', (_name, c) => {
    holmAdjust(c.p).forEach((v, i) => expectClose(v, c.holm[i] ?? Number.NaN, { rel: 1e-14, abs: 1e-16 }, `holm[${i}]`));
    benjaminiHochbergAdjust(c.p).forEach((v, i) => expectClose(v, c.bh[i] ?? Number.NaN, { rel: 1e-14, abs: 1e-16 }, `BH[${i}]`));
  });
  it('empty input gives an empty result; a bad p throws OUT_OF_RANGE', () => {
    expect(holmAdjust([])).toEqual([]);
    expect(benjaminiHochbergAdjust([])).toEqual([]);
    expect(() => holmAdjust([0.1, Number.NaN])).toThrowError(expect.objectContaining({ code: 'OUT_OF_RANGE' }));
    expect(() => benjaminiHochbergAdjust([1.2])).toThrowError(expect.objectContaining({ code: 'OUT_OF_RANGE' }));
  });
  it('adjusted p-values never fall below the raw ones and BH ≤ Holm', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 }), (p) => {
        const holm = holmAdjust(p);
        const bh = benjaminiHochbergAdjust(p);
        return p.every((v, i) => (holm[i] ?? -1) >= v && (bh[i] ?? -1) >= v && (bh[i] ?? 2) <= (holm[i] ?? -1) + 1e-15);
      }),
    );
  });
});

interface InteractionCase {
  groups: SubgroupArmCounts[];
  result: { statistic: number; df: number; p: number; z: number | null };
}
const interaction = readFixture<InteractionCase[]>('interaction.json');

describe('arm × subgroup interaction vs R (saturated glm Wald test; +0.5 formula for zero cells)', () => {
  it.each(interaction.map((c) => [c.groups.map((g) => g.name).join('/'), c] as const))('%s', (_name, c) => {
    const r = armSubgroupInteraction(c.groups);
    // glm converged to 1e-15: 1e-9 relative.
    expectClose(r.statistic, c.result.statistic, { rel: 1e-9 }, 'statistic');
    expect(r.df).toBe(c.result.df);
    expectClose(r.pValue, c.result.p, { rel: 1e-9 }, 'p');
    if (c.result.z !== null) expectClose(r.z ?? Number.NaN, c.result.z, { rel: 1e-9 }, 'z');
    else expect(r.z).toBeNull();
  });
  it('names the zero-cell correction per subgroup and needs two subgroups', () => {
    const zero = interaction[2]?.groups ?? [];
    expect(armSubgroupInteraction(zero).subgroups.map((s) => s.correction)).toEqual(['Haldane-Anscombe +0.5', 'none']);
    expect(() => armSubgroupInteraction(zero.slice(0, 1))).toThrowError(expect.objectContaining({ code: 'EMPTY_INPUT' }));
  });
});
