import { describe, expect, it } from 'vitest';
import { armSubgroupInteraction } from '@/analysis/arm-subgroup-interaction';
import { compareArms } from '@/analysis/compare-arms';
import type { AnalysisRow } from './analysis-dataset';
import { compareArmsByProtocolVersion } from './compare-arms-by-protocol-version';

/** Rows with only what the split reads: version, arm and the primary outcome (null = missing). */
function rows(spec: [version: number, arm: string, outcomes: (boolean | null)[]][]): AnalysisRow[] {
  return spec.flatMap(([protocolVersion, arm, outcomes]) => outcomes.map((progressionFree6m) => ({ protocolVersion, arm, progressionFree6m }) as unknown as AnalysisRow));
}

describe('compareArmsByProtocolVersion', () => {
  const data = rows([
    [1, 'a', [true, true, true, false, null]],
    [1, 'b', [true, false, false, false]],
    [2, 'a', [true, true, false]],
    [2, 'b', [true, false, null, null]],
    [3, 'a', [true]],
  ]);
  const split = compareArmsByProtocolVersion({ rows: data, armA: 'a', armB: 'b' });

  it('counts randomized and complete cases per version and arm', () => {
    expect(split.versions.map((v) => [v.version, v.armA, v.armB])).toEqual([
      [1, { randomized: 5, n: 4, events: 3 }, { randomized: 4, n: 4, events: 1 }],
      [2, { randomized: 3, n: 3, events: 2 }, { randomized: 4, n: 2, events: 1 }],
      [3, { randomized: 1, n: 1, events: 1 }, { randomized: 0, n: 0, events: 0 }],
    ]);
  });

  it('gives each version the Newcombe risk difference of compareArms, none where an arm has no outcome', () => {
    const expected = compareArms({ eventsA: 3, nA: 4, eventsB: 1, nB: 4 }).estimates.find((e) => e.measure === 'risk difference' && e.method.startsWith('Newcombe'));
    expect(split.versions[0]!.riskDifference).toEqual({ available: true, value: expected });
    expect(split.versions[2]!.riskDifference).toMatchObject({ available: false, reason: expect.stringContaining('version 3') });
  });

  it('tests arm × version interaction over the versions with outcomes in both arms', () => {
    expect(split.interaction).toEqual({
      available: true,
      value: armSubgroupInteraction([
        { name: 'v1', eventsA: 3, nA: 4, eventsB: 1, nB: 4 },
        { name: 'v2', eventsA: 2, nA: 3, eventsB: 1, nB: 2 },
      ]),
    });
    expect(compareArmsByProtocolVersion({ rows: rows([[1, 'a', [true]]]), armA: 'a', armB: 'b' }).interaction).toMatchObject({ available: false });
  });
});
