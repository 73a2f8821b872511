import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ALGORITHM_VERSION } from './algorithm-version';
import { createRandomStream } from './random-stream';
import { generateSeed, normalizeSeed, seedToHex } from './seed';
import { CHI_SQUARE_999, chiSquare, seedFor } from '@/test/support/randomization';

const SEED_HEX = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';

describe('createRandomStream', () => {
  it('reads block 0 = HMAC-SHA256(seed, "version|stream|0") as big-endian words (known answer)', () => {
    // Reference from OpenSSL, independent of node:crypto:
    //   printf '%s' 'segtrial-randomization/1|site=site-a|0' \
    //     | openssl dgst -sha256 -mac HMAC -macopt hexkey:000102…1e1f
    //   → b3aaa54f2cf0774e193944719c05e392e3fbabe9c13a7d610f7a8b06bc6f7856
    expect(ALGORITHM_VERSION).toBe('segtrial-randomization/1');
    const stream = createRandomStream({ seed: SEED_HEX, algorithmVersion: ALGORITHM_VERSION, streamName: 'site=site-a' });
    const words = Array.from({ length: 8 }, () => stream.nextUint32().toString(16).padStart(8, '0'));
    expect(words.join('')).toBe('b3aaa54f2cf0774e193944719c05e392e3fbabe9c13a7d610f7a8b06bc6f7856');
  });

  it('continues with block 1 after 8 words', () => {
    const seed = normalizeSeed(SEED_HEX);
    const stream = createRandomStream({ seed, algorithmVersion: ALGORITHM_VERSION, streamName: 's' });
    for (let i = 0; i < 8; i += 1) stream.nextUint32();
    const block1 = createHmac('sha256', seed).update(`${ALGORITHM_VERSION}|s|1`).digest();
    expect(stream.nextUint32()).toBe(block1.readUInt32BE(0));
    expect(stream.wordsRead).toBe(9);
  });

  it('nextDouble takes 27 + 26 high bits of two words', () => {
    const stream = createRandomStream({ seed: SEED_HEX, algorithmVersion: ALGORITHM_VERSION, streamName: 'site=site-a' });
    // words 0xb3aaa54f, 0x2cf0774e
    expect(stream.nextDouble()).toBe(((0xb3aaa54f >>> 5) * 2 ** 26 + (0x2cf0774e >>> 6)) / 2 ** 53);
  });

  it('depends on seed, version and stream name', () => {
    const first = (seed: Uint8Array | string, algorithmVersion: string, streamName: string) => createRandomStream({ seed, algorithmVersion, streamName }).nextUint32();
    const base = first(SEED_HEX, ALGORITHM_VERSION, 'a');
    expect(first(SEED_HEX, ALGORITHM_VERSION, 'a')).toBe(base);
    expect(first(seedFor(1), ALGORITHM_VERSION, 'a')).not.toBe(base);
    expect(first(SEED_HEX, 'other-version/1', 'a')).not.toBe(base);
    expect(first(SEED_HEX, ALGORITHM_VERSION, 'b')).not.toBe(base);
  });

  it('rejects a version containing the separator', () => {
    expect(() => createRandomStream({ seed: SEED_HEX, algorithmVersion: 'v|1', streamName: 'a' })).toThrow(RangeError);
  });

  it('nextDouble is uniform on [0, 1): χ² over 20 bins, 100 000 draws', () => {
    const stream = createRandomStream({ seed: seedFor('double'), algorithmVersion: ALGORITHM_VERSION, streamName: 'u' });
    const bins = Array<number>(20).fill(0);
    const n = 100_000;
    let outside = 0;
    for (let i = 0; i < n; i += 1) {
      const u = stream.nextDouble();
      if (!(u >= 0 && u < 1)) outside += 1;
      const bin = Math.floor(u * 20);
      bins[bin] = (bins[bin] ?? 0) + 1;
    }
    expect(outside).toBe(0);
    expect(chiSquare(bins, Array<number>(20).fill(n / 20))).toBeLessThan(CHI_SQUARE_999[19] ?? 0);
  });

  it.each([2, 3, 6, 10])('nextInt(%i) is uniform: χ² over 60 000 draws', (k) => {
    const stream = createRandomStream({ seed: seedFor(`int-${k}`), algorithmVersion: ALGORITHM_VERSION, streamName: 'i' });
    const counts = Array<number>(k).fill(0);
    const n = 60_000;
    for (let i = 0; i < n; i += 1) {
      const v = stream.nextInt(k);
      counts[v] = (counts[v] ?? 0) + 1;
    }
    expect(chiSquare(counts, Array<number>(k).fill(n / k))).toBeLessThan(CHI_SQUARE_999[k - 1] ?? 0);
  });

  it('nextInt has no modulo bias where plain w mod n would have a large one', () => {
    // n = 3·2^30: w mod n would hit [0, 2^30) twice as often as the other two thirds.
    const n = 3 * 2 ** 30;
    const stream = createRandomStream({ seed: seedFor('bias'), algorithmVersion: ALGORITHM_VERSION, streamName: 'b' });
    const thirds = [0, 0, 0];
    const draws = 30_000;
    for (let i = 0; i < draws; i += 1) {
      const third = Math.floor(stream.nextInt(n) / 2 ** 30);
      thirds[third] = (thirds[third] ?? 0) + 1;
    }
    expect(chiSquare(thirds, [draws / 3, draws / 3, draws / 3])).toBeLessThan(CHI_SQUARE_999[2] ?? 0);
    // Rejection: a quarter of the words are refused, so ~4/3 words per draw.
    expect(stream.wordsRead / draws).toBeGreaterThan(1.25);
    expect(stream.wordsRead / draws).toBeLessThan(1.42);
  });

  it('nextInt rejects n outside [1, 2^32]', () => {
    const stream = createRandomStream({ seed: SEED_HEX, algorithmVersion: ALGORITHM_VERSION, streamName: 'x' });
    expect(() => stream.nextInt(0)).toThrow(RangeError);
    expect(() => stream.nextInt(1.5)).toThrow(RangeError);
    expect(() => stream.nextInt(2 ** 32 + 1)).toThrow(RangeError);
    expect(stream.nextInt(1)).toBe(0);
  });
});

describe('seeds', () => {
  it('generateSeed returns 32 fresh bytes', () => {
    const a = generateSeed();
    expect(a).toHaveLength(32);
    expect(seedToHex(a)).not.toBe(seedToHex(generateSeed()));
  });

  it('accepts 64 hex characters and 32 bytes, refuses anything else with INVALID_SEED', () => {
    expect(seedToHex(SEED_HEX.toUpperCase())).toBe(SEED_HEX);
    expect(seedToHex(normalizeSeed(SEED_HEX))).toBe(SEED_HEX);
    expect(() => normalizeSeed('abc')).toThrow(expect.objectContaining({ code: 'INVALID_SEED' }));
    expect(() => normalizeSeed('zz'.repeat(32))).toThrow(expect.objectContaining({ code: 'INVALID_SEED' }));
    expect(() => normalizeSeed(new Uint8Array(16))).toThrow(/32 bytes; got 16/);
  });
});
