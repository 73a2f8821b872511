import { describe, expect, it } from 'vitest';
import { describeDesignChanges } from './describe-design-changes';

const base = {
  randomization: { method: 'permuted_blocks', blockSizes: [2, 4] },
  eligibility: [
    { id: 'adult', text: 'Age 18 or older', kind: 'inclusion', waivable: false },
    { id: 'prior', text: 'Prior treatment', kind: 'exclusion', waivable: true },
  ],
  targetSampleSize: 100,
  coordinatorsSeeArm: false,
};

describe('describeDesignChanges', () => {
  it('says nothing when nothing changed', () => {
    expect(describeDesignChanges(base, structuredClone(base))).toEqual([]);
  });

  it('names each criterion added, removed, reworded or made waivable, the size and the randomization', () => {
    const after = {
      ...base,
      randomization: { method: 'permuted_blocks', blockSizes: [4, 8] },
      eligibility: [
        { id: 'adult', text: 'Age 18 years or older', kind: 'inclusion', waivable: true },
        { id: 'kps', text: 'Karnofsky ≥ 70', kind: 'inclusion', waivable: false },
      ],
      targetSampleSize: 120,
    };
    expect(describeDesignChanges(base, after)).toEqual([
      `Eligibility: criterion 'adult' reworded from "Age 18 or older" to "Age 18 years or older".`,
      `Eligibility: criterion 'adult' is now waivable.`,
      `Eligibility: inclusion criterion 'kps' added ("Karnofsky ≥ 70").`,
      `Eligibility: exclusion criterion 'prior' removed ("Prior treatment").`,
      'Target sample size 100 → 120.',
      'Randomization parameters changed (under a new published commitment).',
    ]);
  });

  it('describes a new imaging schedule against the default one', () => {
    const after = { ...base, imagingVisits: [{ code: 'baseline', label: 'Baseline', offsetDays: 0, windowDays: 0 }] };
    expect(describeDesignChanges(base, after)).toEqual(['Imaging visits: the default schedule → baseline day 0±0.']);
  });
});
