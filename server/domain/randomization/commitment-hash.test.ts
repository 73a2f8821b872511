import { describe, expect, it } from 'vitest';
import { ALGORITHM_VERSION } from './algorithm-version';
import { canonicalJson } from './canonical-json';
import { commitmentDocument, commitmentHash } from './commitment-hash';
import { parseRandomizationParameters } from './parse-randomization-parameters';

const SEED_HEX = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';

describe('commitmentHash', () => {
  it('hashes the documented canonical text (fixed values computed with sha256sum)', () => {
    // printf '%s' "$DOCUMENT" | sha256sum
    const blocks = { seed: SEED_HEX, params: { method: 'permuted_blocks' }, algorithmVersion: ALGORITHM_VERSION };
    expect(commitmentDocument(blocks)).toBe(
      '{"algorithmVersion":"segtrial-randomization/1","parameters":{"arms":[{"key":"ai_assisted","label":"AI-assisted","ratio":1},{"key":"control","label":"Control","ratio":1}],"blockSizes":[2,4,6],"factors":[],"method":"permuted_blocks"},"seed":"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"}',
    );
    expect(commitmentHash(blocks)).toBe('3ce31c6a63e07a61d8340db323340f771dcd34905fb353c88c4c4c6fe8386a2b');

    const minimization = {
      seed: SEED_HEX,
      algorithmVersion: ALGORITHM_VERSION,
      params: {
        method: 'minimization',
        arms: [
          { key: 'ai_assisted', label: 'AI-assisted', ratio: 2 },
          { key: 'control', label: 'Control' },
        ],
        factors: [
          { name: 'sex', levels: ['F', 'M'] },
          { name: 'age_band', levels: ['<50', '50-64', '>=65'] },
        ],
        minimization: { weights: { site: 2 } },
      },
    };
    expect(commitmentDocument(minimization)).toBe(
      '{"algorithmVersion":"segtrial-randomization/1","parameters":{"arms":[{"key":"ai_assisted","label":"AI-assisted","ratio":2},{"key":"control","label":"Control","ratio":1}],"factors":[{"levels":["F","M"],"name":"sex"},{"levels":["<50","50-64",">=65"],"name":"age_band"}],"method":"minimization","minimization":{"imbalance":"range","p":0.8,"weights":{"site":2}}},"seed":"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"}',
    );
    expect(commitmentHash(minimization)).toBe('7ab9738af7822b00f6b4b04e18ebb0b90000c1ece5f182dfa3586309266e6d99');
  });

  it('does not depend on key order, explicit defaults, seed form or a DB round trip', () => {
    const base = commitmentHash({ seed: SEED_HEX, params: { method: 'permuted_blocks' }, algorithmVersion: ALGORITHM_VERSION });
    const explicit = {
      factors: [],
      blockSizes: [2, 4, 6],
      arms: [
        { ratio: 1, label: 'AI-assisted', key: 'ai_assisted' },
        { label: 'Control', key: 'control' },
      ],
      method: 'permuted_blocks',
    };
    expect(commitmentHash({ seed: SEED_HEX.toUpperCase(), params: explicit, algorithmVersion: ALGORITHM_VERSION })).toBe(base);
    const stored = JSON.parse(JSON.stringify(parseRandomizationParameters(explicit)));
    expect(commitmentHash({ seed: Buffer.from(SEED_HEX, 'hex'), params: stored, algorithmVersion: ALGORITHM_VERSION })).toBe(base);
  });

  it('changes with the seed, any parameter (arm order included) and the version', () => {
    const hash = (seed: string, params: unknown, algorithmVersion = ALGORITHM_VERSION) => commitmentHash({ seed, params, algorithmVersion });
    const base = hash(SEED_HEX, { method: 'permuted_blocks' });
    const variants = [
      hash('ff'.repeat(32), { method: 'permuted_blocks' }),
      hash(SEED_HEX, { method: 'permuted_blocks', blockSizes: [2, 4] }),
      hash(SEED_HEX, { method: 'permuted_blocks', blockSizes: [6, 4, 2] }),
      hash(SEED_HEX, {
        method: 'permuted_blocks',
        arms: [
          { key: 'control', label: 'Control' },
          { key: 'ai_assisted', label: 'AI-assisted' },
        ],
      }),
      hash(SEED_HEX, { method: 'permuted_blocks' }, 'segtrial-randomization/2'),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it('refuses invalid parameters with the typed error', () => {
    expect(() => commitmentHash({ seed: SEED_HEX, params: { method: 'permuted_blocks', blockSizes: [3] }, algorithmVersion: ALGORITHM_VERSION })).toThrow(
      expect.objectContaining({ code: 'INVALID_BLOCK_SIZES' }),
    );
  });
});

describe('canonicalJson', () => {
  it('sorts keys recursively, keeps array order, drops undefined', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: undefined, a: null }], a: 'x', e: 0.8 })).toBe('{"a":"x","b":[2,{"a":null,"d":1}],"e":0.8}');
  });

  it('refuses values JSON cannot carry faithfully', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
  });
});
