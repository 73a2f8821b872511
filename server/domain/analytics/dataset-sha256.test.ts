import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../randomization/canonical-json';
import { datasetSha256 } from './dataset-sha256';

/** The snapshot hash as the dataset build wrote it before datasetSha256. */
const reference = (value: unknown) =>
  createHash('sha256')
    .update(canonicalJson(JSON.parse(JSON.stringify(value))))
    .digest('hex');

describe('datasetSha256', () => {
  it('hashes what canonicalJson writes after a round trip through JSON', () => {
    const value = {
      rows: [{ b: 1, a: 'x', c: undefined, d: NaN, e: Infinity, f: -0, g: [undefined, -Infinity, null], h: new Date(Date.UTC(2026, 0, 2)) }],
      é: { z: true, Z: false, '10': 1, '9': 2, '': 'empty' },
      model: null,
      text: 'quote " backslash \\ line\nbreak \u2028 \ud800',
    };
    expect(datasetSha256(value)).toBe(reference(value));
  });

  it('agrees with the round trip on any JSON-like value', () => {
    const leaf = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node')), fc.dictionary(fc.string(), tie('node'))),
    })).node;
    fc.assert(
      fc.property(fc.oneof(fc.array(value), fc.dictionary(fc.string(), value)), (v) => {
        expect(datasetSha256(v)).toBe(reference(v));
      }),
      { numRuns: 200 },
    );
  });
});
