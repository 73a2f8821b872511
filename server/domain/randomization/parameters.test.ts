import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomizationParametersSchema } from './parameters';
import { parseRandomizationParameters } from './parse-randomization-parameters';
import { RandomizationError, type RandomizationErrorCode } from './randomization-error';
import { designArbitrary, armsFor, factorsFor } from '@/test/support/randomization';

function errorOf(input: unknown): RandomizationError {
  try {
    parseRandomizationParameters(input);
  } catch (error) {
    if (error instanceof RandomizationError) return error;
    throw error;
  }
  throw new Error('expected a RandomizationError');
}

const twoToOne = [
  { key: 'ai_assisted', label: 'AI-assisted', ratio: 2 },
  { key: 'control', label: 'Control', ratio: 1 },
];

describe('parseRandomizationParameters: defaults', () => {
  it('defaults to AI-assisted : control = 1 : 1, site-only strata, blocks {2, 4, 6}', () => {
    expect(parseRandomizationParameters({ method: 'permuted_blocks' })).toEqual({
      method: 'permuted_blocks',
      arms: [
        { key: 'ai_assisted', label: 'AI-assisted', ratio: 1 },
        { key: 'control', label: 'Control', ratio: 1 },
      ],
      factors: [],
      blockSizes: [2, 4, 6],
    });
  });

  it('defaults block sizes to multiples 1, 2, 3 of the ratio sum (2:1 → {3, 6, 9})', () => {
    const params = parseRandomizationParameters({ method: 'permuted_blocks', arms: twoToOne });
    expect(params.method === 'permuted_blocks' && params.blockSizes).toEqual([3, 6, 9]);
  });

  it('defaults minimization to p = 0.8 with the range measure', () => {
    const params = parseRandomizationParameters({ method: 'minimization' });
    expect(params.method === 'minimization' && params.minimization).toEqual({ p: 0.8, imbalance: 'range' });
    const partial = parseRandomizationParameters({ method: 'minimization', minimization: { imbalance: 'variance' } });
    expect(partial.method === 'minimization' && partial.minimization).toEqual({ p: 0.8, imbalance: 'variance' });
  });

  it('is idempotent: parsed output parses to itself (what the DB stores round-trips)', () => {
    fc.assert(
      fc.property(designArbitrary, fc.boolean(), (design, blocks) => {
        const input = blocks ? { method: 'permuted_blocks', arms: armsFor(design), factors: factorsFor(design) } : { method: 'minimization', arms: armsFor(design), factors: factorsFor(design) };
        const once = parseRandomizationParameters(input);
        expect(parseRandomizationParameters(JSON.parse(JSON.stringify(once)))).toEqual(once);
        expect(randomizationParametersSchema.parse(once)).toEqual(once);
      }),
    );
  });

  it('accepts levels containing "=" such as ">=65"', () => {
    const params = parseRandomizationParameters({
      method: 'permuted_blocks',
      factors: [{ name: 'age_band', levels: ['<50', '50-64', '>=65'] }],
    });
    expect(params.factors[0]?.levels).toContain('>=65');
  });
});

describe('parseRandomizationParameters: typed errors', () => {
  const cases: [string, unknown, RandomizationErrorCode, RegExp][] = [
    [
      'ratio 0',
      {
        method: 'permuted_blocks',
        arms: [
          { key: 'a', label: 'A', ratio: 0 },
          { key: 'b', label: 'B' },
        ],
      },
      'INVALID_RATIO',
      /arms\[0\]\.ratio.*got 0/,
    ],
    [
      'ratio 1.5',
      {
        method: 'permuted_blocks',
        arms: [
          { key: 'a', label: 'A', ratio: 1.5 },
          { key: 'b', label: 'B' },
        ],
      },
      'INVALID_RATIO',
      /got 1\.5/,
    ],
    ['one arm', { method: 'permuted_blocks', arms: [{ key: 'a', label: 'A' }] }, 'INVALID_ARMS', /arms/],
    [
      'duplicate arm',
      {
        method: 'permuted_blocks',
        arms: [
          { key: 'a', label: 'A' },
          { key: 'a', label: 'B' },
        ],
      },
      'INVALID_ARMS',
      /arm key 'a' is used twice/,
    ],
    ['block 3 with 1:1', { method: 'permuted_blocks', blockSizes: [2, 3] }, 'INVALID_BLOCK_SIZES', /block size 3 is not a multiple of the ratio sum 2 \(1:1\)/],
    ['block 4 with 2:1', { method: 'permuted_blocks', arms: twoToOne, blockSizes: [4] }, 'INVALID_BLOCK_SIZES', /block size 4 .* ratio sum 3 \(2:1\); expected one of 3, 6, 9/],
    ['repeated block size', { method: 'permuted_blocks', blockSizes: [2, 2] }, 'INVALID_BLOCK_SIZES', /listed twice/],
    ['empty block sizes', { method: 'permuted_blocks', blockSizes: [] }, 'INVALID_BLOCK_SIZES', /blockSizes/],
    ['block size 0', { method: 'permuted_blocks', blockSizes: [0] }, 'INVALID_BLOCK_SIZES', /got 0/],
    ['p > 1', { method: 'minimization', minimization: { p: 1.2 } }, 'INVALID_MINIMIZATION', /minimization\.p.*got 1\.2/],
    [
      'unknown weight',
      { method: 'minimization', factors: [{ name: 'sex', levels: ['F', 'M'] }], minimization: { weights: { age: 2 } } },
      'INVALID_MINIMIZATION',
      /weight given for 'age'.*expected 'site' or one of 'sex'/,
    ],
    ['all weights 0', { method: 'minimization', minimization: { weights: { site: 0 } } }, 'INVALID_MINIMIZATION', /all factor weights are 0/],
    ['blocks with minimization', { method: 'minimization', blockSizes: [2] }, 'METHOD_SETTINGS_MISMATCH', /'blockSizes' given/],
    ['minimization with blocks', { method: 'permuted_blocks', minimization: { p: 0.8 } }, 'METHOD_SETTINGS_MISMATCH', /'minimization' settings given/],
    ['factor named site', { method: 'permuted_blocks', factors: [{ name: 'site', levels: ['x'] }] }, 'INVALID_FACTOR', /'site' is reserved/],
    [
      'factor twice',
      {
        method: 'permuted_blocks',
        factors: [
          { name: 'sex', levels: ['F'] },
          { name: 'sex', levels: ['M'] },
        ],
      },
      'INVALID_FACTOR',
      /factor 'sex' is defined twice/,
    ],
    ['level twice', { method: 'permuted_blocks', factors: [{ name: 'sex', levels: ['F', 'F'] }] }, 'INVALID_FACTOR', /factor 'sex' lists level 'F' twice/],
    ['no levels', { method: 'permuted_blocks', factors: [{ name: 'sex', levels: [] }] }, 'INVALID_FACTOR', /factors\[0\]\.levels/],
    ['"|" in a level', { method: 'permuted_blocks', factors: [{ name: 'sex', levels: ['F|M'] }] }, 'INVALID_NAME', /level of factor 'sex' 'F\|M'/],
    ['"=" in a factor name', { method: 'permuted_blocks', factors: [{ name: 'a=b', levels: ['x'] }] }, 'INVALID_NAME', /factor name 'a=b'/],
    ['unknown method', { method: 'coin_toss' }, 'INVALID_PARAMETERS', /method.*got "coin_toss"/],
    ['unknown key', { method: 'permuted_blocks', blocks: [2] }, 'INVALID_PARAMETERS', /blocks/],
    ['not an object', 'blocks please', 'INVALID_PARAMETERS', /parameters/],
  ];

  it.each(cases)('%s → %s', (_name, input, code, message) => {
    const error = errorOf(input);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.details?.['issues']).toBeInstanceOf(Array);
  });

  it('reports every problem in details.issues and counts the rest in the message', () => {
    const error = errorOf({
      method: 'permuted_blocks',
      arms: [
        { key: 'a', label: 'A', ratio: 2 },
        { key: 'a', label: 'B' },
      ],
      blockSizes: [4],
    });
    expect(error.message).toMatch(/\(and 1 more problem\)$/);
    expect((error.details?.['issues'] as { code: string }[]).map((i) => i.code)).toEqual(['INVALID_ARMS', 'INVALID_BLOCK_SIZES']);
  });
});
