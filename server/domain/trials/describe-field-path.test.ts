import { describe, expect, it } from 'vitest';
import { describeFieldPath } from './describe-field-path';

describe('describeFieldPath', () => {
  it('turns schema paths into words with 1-based positions', () => {
    expect(describeFieldPath(['design', 'randomization', 'blockSizes', 0])).toBe('randomization, block size 1');
    expect(describeFieldPath(['eligibility', 2, 'text'])).toBe('eligibility criterion 3, text');
    expect(describeFieldPath(['baseline', 'age'])).toBe('age');
    expect(describeFieldPath(['somethingNew'])).toBe('somethingNew');
    expect(describeFieldPath([])).toBe('');
  });
});
