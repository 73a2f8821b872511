import { describe, expect, it } from 'vitest';
import { levelForAge } from './level-for-age';

describe('levelForAge', () => {
  const bands = ['<50', '50-64', '>=65'];
  it('finds the band at and around each boundary', () => {
    expect([49, 50, 64, 65, 90].map((a) => levelForAge(bands, a))).toEqual(['<50', '50-64', '50-64', '>=65', '>=65']);
    expect(levelForAge(['<=49', '>49'], 49)).toBe('<=49');
    expect(levelForAge(['<=49', '>49'], 50)).toBe('>49');
  });
  it('gives up on unparseable, overlapping or missing bands', () => {
    expect(levelForAge(['young', 'old'], 30)).toBeNull();
    expect(levelForAge(['<60', '50-70'], 55)).toBeNull();
    expect(levelForAge(['<50'], 70)).toBeNull();
    expect(levelForAge(bands, Number.NaN)).toBeNull();
  });
});
